"""gunicorn settings for the web process, shared by the Procfile and the Dockerfile (command-line flags win)."""

import os

from django.conf import settings

from config.logging import gunicorn_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

wsgi_app = "config.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
bind = f"0.0.0.0:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# Telegram resends an update after 60 s without an answer; a worker stuck that long is restarted.
timeout = 60
# On SIGTERM (a deploy, `docker stop`) requests in flight get this long to finish.
graceful_timeout = 30
accesslog = "-"
# gunicorn's runtime control socket (gunicornc) is not used; it would write into $HOME.
control_socket_disable = True
# Reading settings here validates the configuration before any worker starts, and gives gunicorn's and
# uvicorn's own lines (access lines included) the same format as the application's.
logconfig_dict = gunicorn_logging(log_format=settings.LOG_FORMAT, level=settings.LOG_LEVEL)
