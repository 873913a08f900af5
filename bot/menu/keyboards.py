"""Keyboards shared by the bot's features."""

from functools import cache

from django.utils import translation
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.menu import texts
from bot.ui import buttons, callback_data
from users.models import Language

MENU_ROWS = (
    (("horoscope", texts.MENU_HOROSCOPE), ("tarot", texts.MENU_TAROT)),
    (("natal", texts.MENU_NATAL), ("premium", texts.MENU_PREMIUM)),
    (("profile", texts.MENU_PROFILE), ("help", texts.MENU_HELP)),
)


def main_menu() -> ReplyKeyboardMarkup:
    """The main menu in the active language."""
    return ReplyKeyboardMarkup(
        [[str(label) for _, label in row] for row in MENU_ROWS], resize_keyboard=True, is_persistent=True
    )


@cache
def menu_actions() -> dict[str, str]:
    """Every menu label in every language, mapped to its action."""
    actions = {}
    for code in Language.values:
        with translation.override(code):
            for row in MENU_ROWS:
                for action, label in row:
                    actions[str(label)] = action
    return actions


def language_choice() -> InlineKeyboardMarkup:
    """Buttons to pick the interface language."""
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback("🇷🇺 Русский", callback_data.LANGUAGE, "ru"),
                buttons.callback("🇬🇧 English", callback_data.LANGUAGE, "en"),
            ]
        ]
    )


def help_buttons() -> InlineKeyboardMarkup:
    """Buttons under the help text."""
    return InlineKeyboardMarkup([[buttons.callback(texts.LANGUAGE_BUTTON, callback_data.LANGUAGE)]])
