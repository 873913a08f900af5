"""The web process's own python-telegram-bot Application: started by the ASGI lifespan, or lazily."""

import asyncio
import logging
from dataclasses import dataclass

from django.conf import settings
from telegram.ext import Application

from bot.application import build_application

logger = logging.getLogger(__name__)


class BotNotConfigured(Exception):
    """TELEGRAM_BOT_TOKEN is not set."""


@dataclass
class BotState:
    application: Application | None = None
    username: str = ""
    error: str = ""


state = BotState()
_lock: asyncio.Lock | None = None


def _get_lock() -> asyncio.Lock:
    global _lock
    if _lock is None:
        _lock = asyncio.Lock()
    return _lock


async def application_start() -> Application:
    """Initialize and start this process's Application once; later calls return it."""
    if state.application is not None:
        return state.application
    if not settings.TELEGRAM_BOT_TOKEN:
        raise BotNotConfigured("TELEGRAM_BOT_TOKEN is not set")
    async with _get_lock():
        if state.application is None:
            application = build_application()
            try:
                await application.initialize()  # fetches the bot's identity (getMe)
                await application.start()
            except Exception as exc:
                state.error = f"{type(exc).__name__}: {exc}"
                logger.error("Could not start the Telegram application: %s", state.error)
                raise
            state.username = application.bot.username
            state.error = ""
            state.application = application
            logger.info("Telegram application started as @%s", state.username)
    return state.application


async def application_stop() -> None:
    """Stop and shut down this process's Application, if it was started."""
    global _lock
    application, state.application = state.application, None
    _lock = None  # bound to this event loop; a later start may run on another
    if application is not None:
        await application.stop()
        await application.shutdown()
