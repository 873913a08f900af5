"""/start: deep-link payloads, and onboarding for someone new.

Greeting with a picture and the privacy notice -> language -> birth date (the sign is revealed) -> birth
time ("I don't know", or later) -> birthplace (or later) -> daily horoscope time, in a time zone guessed
from the birthplace -> the menu. A known user who sends /start goes straight to the menu.
"""

import contextlib
import html

from asgiref.sync import sync_to_async
from django.utils import translation
from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.menu import keyboards, texts
from bot.onboarding import texts as t
from bot.profile import flow as profile_flow
from bot.profile.flow import RESUME_ONBOARDING, birth_data_request, callback_values, send, state_set
from bot.ui import buttons, callback_data
from users.models import Language
from users.parsing import ParseError, parse_birth_date
from users.selectors import user_local_date
from users.services import (
    user_consent_record,
    user_onboarding_complete,
    user_record_start,
    user_set_current_tz,
    user_set_language,
)
from users.welcome import welcome_card

STATE_LANGUAGE = "onboarding:language"
CB_ONBOARDING = "ob"  # ob:<language code>
# Continuations: after the birth data, the daily time question; after that, the menu.
RESUME_NOTIFY = RESUME_ONBOARDING
RESUME_DONE = "onboarding:done"
LANGUAGE_WORDS = {
    Language.RU: {"ru", "рус", "русский", "russian", "по-русски", "на русском"},
    Language.EN: {"en", "eng", "english", "англ", "английский", "in english", "на английском"},
}

# Telegram file ids of the greeting picture once uploaded, per bot (and Bot API server) and language: later
# greetings send the id instead of the file.
_photo_ids: dict[tuple[str, str, str], str] = {}


def _first_name(update: Update) -> str:
    user = update.effective_user
    return (user.first_name if user else "") or str(texts.FRIEND)


async def start_command(update: Update, context: BotContext) -> None:
    """/start and /start <payload>: record where the user came from, then onboard them or show the menu."""
    if context.db_user is None:
        return
    if context.args:
        context.db_user = await sync_to_async(user_record_start)(user_id=context.user.pk, payload=context.args[0])
    if context.user.onboarded_at is not None:
        if context.user.state:
            await state_set(context)
        await send(update, texts.GREETING_BACK.format(name=html.escape(_first_name(update))), keyboards.main_menu())
        return
    await state_set(context, STATE_LANGUAGE)
    await _greet(update, context)


async def _greet(update: Update, context: BotContext) -> None:
    lang = context.language
    caption = t.GREETING.format(name=html.escape(_first_name(update))) + "\n\n<i>" + str(t.CONSENT) + "</i>"
    markup = _language_buttons()
    key = (context.bot.token, context.bot.base_url, lang)
    file_id = _photo_ids.get(key)
    photo = file_id or InputFile(welcome_card(lang), filename=f"astrobot-{lang}.jpg")
    try:
        message = await update.effective_chat.send_photo(
            photo, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except BadRequest:
        if file_id is None:
            raise
        # The stored id is no longer valid (another bot token, or Telegram forgot it): upload again.
        _photo_ids.pop(key, None)
        await _greet(update, context)
        return
    if message.photo:
        _photo_ids[key] = message.photo[-1].file_id


def _language_buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback("🇷🇺 Русский", CB_ONBOARDING, Language.RU),
                buttons.callback("🇬🇧 English", CB_ONBOARDING, Language.EN),
            ]
        ]
    )


async def language_callback(update: Update, context: BotContext) -> None:
    """The language picked under the greeting: accept the notice and ask for the birth date."""
    values = await callback_values(update, context, (STATE_LANGUAGE,))
    if values is None:
        return
    await _language_chosen(update, context, values[0] if values else "")


async def _language_chosen(update: Update, context: BotContext, language: str) -> None:
    # A forged button keeps the guessed language.
    with contextlib.suppress(ValueError):
        context.db_user = await sync_to_async(user_set_language)(user=context.user, language=language)
    translation.activate(context.user.language)
    context.db_user = await sync_to_async(user_consent_record)(user_id=context.user.pk)
    await birth_data_request(update, context, resume=RESUME_NOTIFY, skippable=True)


async def language_message(update: Update, context: BotContext) -> None:
    """Text instead of a language button: a language's name, or already the birth date."""
    text = (update.effective_message.text or "").strip()
    folded = text.casefold().strip(" .!")
    for language, words in LANGUAGE_WORDS.items():
        if folded in words:
            await _language_chosen(update, context, language)
            return
    parsed = parse_birth_date(text, today=user_local_date(context.user)) if text else None
    if parsed is not None and (parsed.ok or parsed.error != ParseError.UNRECOGNISED):
        # They skipped ahead to the date (even a wrong one): keep the guessed language and answer about the date.
        context.db_user = await sync_to_async(user_consent_record)(user_id=context.user.pk)
        await state_set(context, profile_flow.STATE_DATE, {"resume": RESUME_NOTIFY, "skippable": True, "skipped": []})
        await profile_flow.birth_date_message(update, context)
        return
    await send(update, t.LANGUAGE_USE_BUTTONS, _language_buttons())


async def onboarding_notify(update: Update, context: BotContext) -> None:
    """After the birth data: guess the current time zone from the birthplace and ask for the daily time."""
    user = context.user
    # Guess only for someone who never chose a zone or a time: the birthplace is where most people still live.
    if user.birth_tz and user.notify_changed_at is None and user.birth_tz != user.current_tz:
        context.db_user = await sync_to_async(user_set_current_tz)(user_id=user.pk, tz=user.birth_tz)
    await profile_flow.notify_request(update, context, resume=RESUME_DONE, cancellable=False)


async def onboarding_finish(update: Update, context: BotContext) -> None:
    """Onboarding is done: the main menu."""
    context.db_user = await sync_to_async(user_onboarding_complete)(user_id=context.user.pk)
    await send(update, t.DONE, keyboards.main_menu())


def register(application: Application) -> None:
    """/start and the language buttons of the greeting; onboarding's continuations of the profile questions."""
    application.add_handler(CommandHandler("start", start_command, filters=routing.NEW_MESSAGE))
    application.add_handler(CallbackQueryHandler(language_callback, pattern=callback_data.pattern(CB_ONBOARDING)))
