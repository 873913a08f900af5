"""Horoscope: the user's sign for their own local date, tomorrow, any other sign, and the personal horoscope.

Handlers only read: texts are written ahead of time, and a missing one is written offline at once. The
personal horoscope is written in the background and arrives as its own message.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, timedelta

from asgiref.sync import sync_to_async
from django_q.tasks import async_task
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.horoscope import formatting as view
from bot.horoscope import tasks
from bot.horoscope import texts as t
from bot.menu import intents
from bot.profile.flow import birth_data_request
from bot.profile.texts import format_day_month
from bot.ui import buttons, callback_data
from horoscopes.astro.constants import SIGNS
from horoscopes.daily import services
from horoscopes.daily.models import PersonalHoroscope, PersonalStatus
from horoscopes.names import SIGN_NAMES, name, sign_for_word
from payments.selectors import user_is_premium
from users.models import TelegramUser
from users.parsing import ParseError, parse_birth_date
from users.selectors import user_local_date
from users.services import user_set_birth_data, user_state_set

logger = logging.getLogger(__name__)

BIRTH_STATE = "horoscope:birth_date"
RESUME_PERSONAL = "horoscope_personal"
_DATE_ERRORS: dict[str, object] = {
    ParseError.IMPOSSIBLE_DATE: t.BIRTH_DATE_IMPOSSIBLE,
    ParseError.FUTURE: t.BIRTH_DATE_FUTURE,
    ParseError.TOO_OLD: t.BIRTH_DATE_TOO_OLD,
    ParseError.NO_DAY: t.BIRTH_DATE_NO_DAY,
    ParseError.NO_YEAR: t.BIRTH_DATE_NO_YEAR,
}


def _view(user: TelegramUser, sign: str, day: date, today: date) -> tuple[str, InlineKeyboardMarkup]:
    """The horoscope of a sign for a date in the user's language, with its buttons (sync: reads the database)."""
    horoscope = services.daily_read(sign=sign, day=day, language=user.language, tz=user.current_tz)
    keyboard = view.daily_keyboard(
        sign=sign, day=day, today=today, user_sign=services.user_sign_known(user), language=user.language
    )
    return view.daily_html(horoscope), keyboard


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def horoscope_show(update: Update, context: BotContext, *, sign: str | None = None) -> None:
    """Today's horoscope (the user's local date) for their sign, or the question which sign they are."""
    user = context.user
    sign = sign or services.user_sign_known(user)
    if not sign:
        await _ask_sign(update, context)
        return
    today = user_local_date(user)
    text, keyboard = await sync_to_async(_view)(user, sign, today, today)
    await _reply(update, text, keyboard)


async def horoscope_asked(update: Update, context: BotContext) -> None:
    """A horoscope asked for in words: for the sign named or the user's own, today or tomorrow."""
    user = context.user
    text = update.effective_message.text
    sign = intents.sign_named(text) or services.user_sign_known(user)
    if not sign:
        await _ask_sign(update, context)
        return
    today = user_local_date(user)
    day = today + timedelta(days=1) if intents.intent_of(text) == intents.HOROSCOPE_TOMORROW else today
    view_text, keyboard = await sync_to_async(_view)(user, sign, day, today)
    await _reply(update, view_text, keyboard)


async def horoscope_command(update: Update, context: BotContext) -> None:
    """/horoscope, optionally with a sign: "/horoscope leo", "/horoscope Лев"."""
    word = " ".join(context.args or []).strip().lower()
    await horoscope_show(update, context, sign=sign_for_word(word) or (word if word in SIGNS else None))


async def _ask_sign(update: Update, context: BotContext) -> None:
    """Twelve sign buttons, and a typed birth date is accepted too."""
    user = context.user
    await sync_to_async(user_state_set)(user=user, state=BIRTH_STATE)
    keyboard = view.signs_keyboard(action=view.MINE, day=None, back_sign=None, language=user.language)
    await _reply(update, str(t.ASK_SIGN), keyboard)


async def birth_date_message(update: Update, context: BotContext) -> None:
    """A typed answer to "which sign are you?": a birth date, from which the sign follows."""
    user = context.user
    text = update.effective_message.text
    if not text:
        await _ask_sign(update, context)
        return
    result = parse_birth_date(text, today=user_local_date(user), language=user.language)
    if not result.ok:
        problem = _DATE_ERRORS.get(result.error or "", t.BIRTH_DATE_NOT_UNDERSTOOD)
        if result.error == ParseError.AMBIGUOUS:
            first, second = (format_day_month(choice, user.language) for choice in result.choices)
            problem = t.BIRTH_DATE_AMBIGUOUS.format(first=first, second=second)
        keyboard = view.signs_keyboard(action=view.MINE, day=None, back_sign=None, language=user.language)
        await _reply(update, str(problem), keyboard)
        return
    try:
        user = await sync_to_async(user_set_birth_data)(user_id=user.pk, birth_date=result.value)
    except ValueError:
        await _reply(update, str(t.BIRTH_DATE_NOT_UNDERSTOOD))
        return
    user = await sync_to_async(user_state_set)(user=user)
    context.db_user = user
    await _reply(update, t.SIGN_SAVED.format(sign=name(SIGN_NAMES, user.sign, user.language)))
    await horoscope_show(update, context)


def _arguments(update: Update) -> list[str]:
    return callback_data.arguments(update.callback_query.data)


async def horoscope_view_callback(update: Update, context: BotContext) -> None:
    """Today, Tomorrow, My sign, a sign in the picker, Back (hs:v:<sign>:<yyyymmdd>): that horoscope in place."""
    args = _arguments(update)
    if len(args) != 2 or args[0] not in SIGNS:
        await horoscope_other_callback(update, context)
        return
    await _show_day(update, context, args[0], args[1])


async def horoscope_signs_callback(update: Update, context: BotContext) -> None:
    """ "Another sign" (hs:s:<sign>:<yyyymmdd>): the twelve signs in place of the buttons."""
    args = _arguments(update)
    if len(args) != 2 or args[0] not in SIGNS:
        await horoscope_other_callback(update, context)
        return
    query = update.callback_query
    user = context.user
    await query.answer()
    day = _parse_day(args[1]) or user_local_date(user)
    keyboard = view.signs_keyboard(action=view.VIEW, day=day, back_sign=args[0], language=user.language)
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=keyboard)


async def horoscope_mine_callback(update: Update, context: BotContext) -> None:
    """A sign picked as one's own (hs:m:<sign>): remember it and show its horoscope."""
    args = _arguments(update)
    if len(args) != 1 or args[0] not in SIGNS:
        await horoscope_other_callback(update, context)
        return
    query = update.callback_query
    await query.answer()
    user = await sync_to_async(services.horoscope_sign_remember)(user_id=context.user.pk, sign=args[0])
    context.db_user = user
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(t.SIGN_SAVED.format(sign=name(SIGN_NAMES, args[0], user.language)))
    await horoscope_show(update, context, sign=args[0])


async def horoscope_personal_callback(update: Update, context: BotContext) -> None:
    """ "Personal horoscope" (hs:p)."""
    await update.callback_query.answer()
    await personal_show(update, context)


async def horoscope_other_callback(update: Update, context: BotContext) -> None:
    """Any other horoscope button (stale or malformed): answered, and today's horoscope shown."""
    await update.callback_query.answer()
    await horoscope_show(update, context)


def _parse_day(code: str) -> date | None:
    try:
        return date(int(code[:4]), int(code[4:6]), int(code[6:8])) if len(code) == 8 and code.isdigit() else None
    except ValueError:
        return None


async def _show_day(update: Update, context: BotContext, sign: str, code: str) -> None:
    """Show a sign's horoscope in place of the message; only today and tomorrow (the user's local dates)."""
    query = update.callback_query
    user = context.user
    today = user_local_date(user)
    day = _parse_day(code)
    if day is None or not today <= day <= today + timedelta(days=1):
        await query.answer(str(t.OUT_OF_DATE))
        day = today
    else:
        await query.answer()
    text, keyboard = await sync_to_async(_view)(user, sign, day, today)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            # The message cannot be edited any more (too old, deleted): send it anew.
            await _reply(update, text, keyboard)


async def personal_show(update: Update, context: BotContext) -> None:
    """The personal horoscope: Premium only; written in the background and sent when ready."""
    user = context.user
    if not user_is_premium(user):
        # The Premium screen of the payments feature: its bare prefix.
        button = buttons.callback(t.BUTTON_PREMIUM, callback_data.PREMIUM)
        await _reply(update, str(t.PERSONAL_OFFER), InlineKeyboardMarkup([[button]]))
        return
    if user.birth_date is None:
        await _reply(update, str(t.PERSONAL_NEEDS_BIRTH_DATA))
        await birth_data_request(update, context, resume=RESUME_PERSONAL)
        return
    day = user_local_date(user)
    horoscope, start = await sync_to_async(services.personal_request)(
        user_id=user.pk, day=day, language=user.language, deliver=True
    )
    if horoscope.status == PersonalStatus.READY:
        text, keyboard = await sync_to_async(_personal_view)(user, horoscope)
        await _reply(update, text, keyboard)
        return
    if start:
        await _reply(update, str(t.PERSONAL_PREPARING))
        await sync_to_async(async_task)(tasks.personal_deliver, horoscope.pk, group="personal horoscopes")
        return
    await _reply(update, str(t.PERSONAL_STILL_PREPARING))


def _personal_view(user: TelegramUser, horoscope: PersonalHoroscope) -> tuple[str, InlineKeyboardMarkup]:
    """A ready personal horoscope with the usual buttons (sync: reads the database)."""
    sign = services.user_sign_known(user)
    keyboard = view.daily_keyboard(
        sign=sign, day=horoscope.date, today=horoscope.date, user_sign=sign, language=user.language
    )
    return view.personal_html(horoscope, services.natal_chart_for(user)), keyboard


def register(application: Application) -> None:
    """/horoscope, its buttons, and the personal horoscope as a continuation of the birth data questions."""
    application.add_handler(CommandHandler("horoscope", horoscope_command, filters=routing.NEW_MESSAGE))
    for action, handler in (
        (view.VIEW, horoscope_view_callback),
        (view.SIGNS_PICKER, horoscope_signs_callback),
        (view.MINE, horoscope_mine_callback),
        (view.PERSONAL, horoscope_personal_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(view.PREFIX, action)))
    application.add_handler(CallbackQueryHandler(horoscope_other_callback, pattern=callback_data.pattern(view.PREFIX)))
