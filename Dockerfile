FROM python:3.11-slim

# The embedded SQLite database (used when DATABASE_URL is empty) and uploads live in /app/data, the one
# directory the app writes to: mount a volume there to keep them.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PORT=8000 \
    SQLITE_PATH=/app/data/db.sqlite3 MEDIA_ROOT=/app/data/media

WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/prod.txt

COPY . .
# Static files are collected at build time; production settings need these values only to import.
RUN SECRET_KEY=build TELEGRAM_WEBHOOK_SECRET=build ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v0

# staticfiles stays writable so that the Procfile's `manage.py release` (which collects again) works here too.
RUN useradd --create-home astrobot && mkdir -p /app/data/media && chown -R astrobot /app/data /app/staticfiles
USER astrobot

EXPOSE 8000
# Liveness of the web process (it answers, it reaches the database) within a second; any Host is accepted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/health/live' % (os.environ.get('PORT') or 8000), timeout=3)"
# Exec form: gunicorn is PID 1 and gets `docker stop`'s SIGTERM (graceful timeout in gunicorn.conf.py).
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
