"""Tarot handlers (filled in by its feature)."""

from telegram.ext import Application

from bot.routing import Handler

MENU: dict[str, Handler] = {}
STATES: dict[str, Handler] = {}


def register(application: Application) -> None:
    """Register this feature's commands and buttons."""
