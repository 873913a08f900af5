"""Buttons of the support inbox (callback data "sp:<action>")."""

from telegram import InlineKeyboardMarkup

from bot.support import texts
from bot.ui import buttons

PREFIX = "sp"
CANCEL = "x"


def cancel_keyboard() -> InlineKeyboardMarkup:
    """Cancel under the question "what would you like to tell us?"."""
    return InlineKeyboardMarkup([[buttons.callback(texts.BUTTON_CANCEL, PREFIX, CANCEL)]])
