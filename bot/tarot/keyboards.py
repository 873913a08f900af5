"""Buttons of the tarot feature (callback data "tr:<action>:...")."""

from telegram import InlineKeyboardMarkup

from bot.tarot import texts
from bot.ui import buttons

PREFIX = "tr"
# Actions: tr:menu, tr:day, tr:ask:<kind code>, tr:nq:<kind code> (no question), tr:h:<page> (history),
# tr:hp:<page> (turn the history page in place), tr:o:<reading id> (open a reading), tr:prem (Premium).
MENU = "menu"
DAY = "day"
ASK = "ask"
NO_QUESTION = "nq"
HISTORY = "h"
HISTORY_PAGE = "hp"
OPEN = "o"
PREMIUM = "prem"


def menu_keyboard(premium: bool) -> InlineKeyboardMarkup:
    """The tarot section: the card of the day, the two spreads, the history."""
    celtic = texts.BUTTON_CELTIC if premium else texts.BUTTON_CELTIC_LOCKED
    return InlineKeyboardMarkup(
        [
            [buttons.callback(texts.BUTTON_DAY, PREFIX, DAY)],
            [buttons.callback(texts.BUTTON_THREE, PREFIX, ASK, "3"), buttons.callback(celtic, PREFIX, ASK, "cc")],
            [buttons.callback(texts.BUTTON_HISTORY, PREFIX, HISTORY, 1)],
        ]
    )


def after_reading_keyboard() -> InlineKeyboardMarkup:
    """Under a reading: the history and the tarot menu."""
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback(texts.BUTTON_HISTORY, PREFIX, HISTORY, 1),
                buttons.callback(texts.BUTTON_MENU, PREFIX, MENU),
            ]
        ]
    )


def after_day_keyboard() -> InlineKeyboardMarkup:
    """Under the card of the day: three cards and the history."""
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback(texts.BUTTON_THREE, PREFIX, ASK, "3"),
                buttons.callback(texts.BUTTON_HISTORY, PREFIX, HISTORY, 1),
            ]
        ]
    )


def premium_keyboard() -> InlineKeyboardMarkup:
    """Under a Premium offer: Premium and the tarot menu."""
    return InlineKeyboardMarkup(
        [[buttons.callback(texts.BUTTON_PREMIUM, PREFIX, PREMIUM)], [buttons.callback(texts.BUTTON_MENU, PREFIX, MENU)]]
    )


def history_keyboard() -> InlineKeyboardMarkup:
    """One button to the history (when today's readings are used up)."""
    return InlineKeyboardMarkup([[buttons.callback(texts.BUTTON_HISTORY, PREFIX, HISTORY, 1)]])


def day_keyboard() -> InlineKeyboardMarkup:
    """One button to the card of the day (when there is no history yet)."""
    return InlineKeyboardMarkup([[buttons.callback(texts.BUTTON_DAY, PREFIX, DAY)]])


def no_question_keyboard(kind_code: str) -> InlineKeyboardMarkup:
    """Under the question prompt: a general reading without a question."""
    return InlineKeyboardMarkup([[buttons.callback(texts.BUTTON_NO_QUESTION, PREFIX, NO_QUESTION, kind_code)]])


def history_page_keyboard(readings: list[tuple[str, int]], *, page: int, pages: int) -> InlineKeyboardMarkup:
    """A page of past readings as (label, reading id) buttons, the page turners and the tarot menu."""
    rows = [[buttons.callback(label, PREFIX, OPEN, reading_id)] for label, reading_id in readings]
    nav = []
    if page > 1:
        nav.append(buttons.callback(texts.BUTTON_PREVIOUS, PREFIX, HISTORY_PAGE, page - 1))
    if page < pages:
        nav.append(buttons.callback(texts.BUTTON_NEXT, PREFIX, HISTORY_PAGE, page + 1))
    if nav:
        rows.append(nav)
    rows.append([buttons.callback(texts.BUTTON_MENU, PREFIX, MENU)])
    return InlineKeyboardMarkup(rows)


def interpretation_keyboard() -> dict:
    """Buttons under an interpretation sent from the worker, as Bot API JSON."""
    return buttons.as_json(
        InlineKeyboardMarkup(
            [
                [
                    buttons.callback(texts.BUTTON_NEW_READING, PREFIX, MENU),
                    buttons.callback(texts.BUTTON_HISTORY, PREFIX, HISTORY, 1),
                ]
            ]
        )
    )
