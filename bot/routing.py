"""Routes beyond commands and buttons: main-menu labels, conversation states, and continuations.

bot.application lists them in plain code; handlers reach them through `context.routes`, so a feature can
hand over to another (the profile questions resume the natal chart) without importing it.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from telegram import Update
from telegram.ext import filters

from bot.context import BotContext

Handler = Callable[[Update, BotContext], Awaitable[None]]

PRIVATE = filters.ChatType.PRIVATE
# A new message in a private chat (not an edit).
NEW_MESSAGE = filters.UpdateType.MESSAGE & PRIVATE
# What a person typed or sent, as opposed to service messages (payments, pins, ...).
USER_CONTENT = NEW_MESSAGE & ~filters.StatusUpdate.ALL & ~filters.SUCCESSFUL_PAYMENT


@dataclass(frozen=True)
class Routes:
    """menu: menu action -> section; states: TelegramUser.state -> next message; resume: key -> continuation.

    `menu` also holds the extra actions a free text can name (bot.menu.intents): tomorrow, the card of the day.
    """

    menu: Mapping[str, Handler]
    states: Mapping[str, Handler]
    resume: Mapping[str, Handler]
