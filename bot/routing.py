"""Where features plug into the shared handlers: main-menu buttons and conversation states.

Each feature module in bot/handlers/ exposes `MENU` (menu action -> handler), `STATES` (a user's
conversation state -> handler for what they send next) and `register(application)` for its own
commands and buttons. bot.application lists the features; nothing registers itself on import.
"""

from collections.abc import Awaitable, Callable
from functools import cache
from types import ModuleType

from telegram import Update
from telegram.ext import filters

from bot.context import BotContext

Handler = Callable[[Update, BotContext], Awaitable[None]]

PRIVATE = filters.ChatType.PRIVATE
# A new message in a private chat (not an edit).
NEW_MESSAGE = filters.UpdateType.MESSAGE & PRIVATE
# What a person typed or sent, as opposed to service messages (payments, pins, ...).
USER_CONTENT = NEW_MESSAGE & ~filters.StatusUpdate.ALL & ~filters.SUCCESSFUL_PAYMENT


def _features() -> tuple[ModuleType, ...]:
    from bot.application import FEATURES

    return FEATURES


@cache
def menu_routes() -> dict[str, Handler]:
    """Menu action (see bot.keyboards.MENU_ROWS) -> the handler that opens that section."""
    routes: dict[str, Handler] = {}
    for feature in _features():
        routes.update(getattr(feature, "MENU", {}))
    return routes


@cache
def state_routes() -> dict[str, Handler]:
    """Conversation state (TelegramUser.state) -> the handler for the user's next message."""
    routes: dict[str, Handler] = {}
    for feature in _features():
        for state, handler in getattr(feature, "STATES", {}).items():
            if state in routes:
                raise ValueError(f"conversation state {state!r} is claimed twice")
            routes[state] = handler
    return routes
