"""ASGI entry point: Django, plus a lifespan handler that runs one Telegram Application per worker."""

import logging
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from bot import runtime  # noqa: E402
from bot.webhook import WEBHOOK_PATH, webhook_asgi  # noqa: E402
from config.middleware import RequestIdMiddleware  # noqa: E402

logger = logging.getLogger("config.asgi")


async def lifespan(receive, send) -> None:
    """Start the bot when the worker starts and stop it when it stops; Django refuses this scope."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await runtime.application_start()
            except runtime.BotNotConfigured:
                logger.warning("TELEGRAM_BOT_TOKEN is not set: the webhook answers 503 until it is.")
            except Exception:
                # Serve anyway: /health reports the bot as down and the webhook retries the start lazily.
                logger.exception("The Telegram application did not start")
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            try:
                await runtime.application_stop()
            except Exception:
                logger.exception("The Telegram application did not stop cleanly")
            await send({"type": "lifespan.shutdown.complete"})
            return


async def route(scope, receive, send) -> None:
    """The webhook to bot.webhook, everything else (admin, /health, payments) to Django."""
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] == "http" and scope["path"] == WEBHOOK_PATH:
        await webhook_asgi(scope, receive, send)
        return
    await django_application(scope, receive, send)


# The ASGI application the web process serves: every request (webhook included) gets an id in the logs.
application = RequestIdMiddleware(route)
