"""Inline buttons: the one place that makes them, as python-telegram-bot objects.

Handlers reply with the objects; tasks hand the sender Bot API JSON, made from the same objects by `as_json`.
"""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui import callback_data


def callback(label: object, prefix: str, *values: object) -> InlineKeyboardButton:
    """A button that sends callback data built from a prefix and values ("tr:h:1")."""
    return InlineKeyboardButton(str(label), callback_data=callback_data.build(prefix, *values))


def url(label: object, link: str) -> InlineKeyboardButton:
    """A button that opens a link."""
    return InlineKeyboardButton(str(label), url=link)


def as_json(markup: InlineKeyboardMarkup) -> dict:
    """Inline buttons as Bot API JSON, the form bot.sender.Outgoing takes."""
    return markup.to_dict()
