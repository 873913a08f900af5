"""Buttons of the tarot feature (callback data "tr:<action>:...")."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.tarot import texts
from bot.ui import callback_data

PREFIX = "tr"


def cb(*values: object) -> str:
    return callback_data.build(PREFIX, *values)


def button(label: object, *values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(str(label), callback_data=cb(*values))


def menu_keyboard(premium: bool) -> InlineKeyboardMarkup:
    celtic = texts.BUTTON_CELTIC if premium else texts.BUTTON_CELTIC_LOCKED
    return InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_DAY, "day")],
            [button(texts.BUTTON_THREE, "ask", "3"), button(celtic, "ask", "cc")],
            [button(texts.BUTTON_HISTORY, "h", 1)],
        ]
    )


def after_reading_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.BUTTON_HISTORY, "h", 1), button(texts.BUTTON_MENU, "menu")]])


def after_day_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.BUTTON_THREE, "ask", "3"), button(texts.BUTTON_HISTORY, "h", 1)]])


def premium_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.BUTTON_PREMIUM, "prem")], [button(texts.BUTTON_MENU, "menu")]])


def interpretation_keyboard() -> dict:
    """Buttons under an interpretation sent from the worker, as Bot API JSON."""
    return {
        "inline_keyboard": [
            [
                {"text": str(texts.BUTTON_NEW_READING), "callback_data": cb("menu")},
                {"text": str(texts.BUTTON_HISTORY), "callback_data": cb("h", 1)},
            ]
        ]
    }
