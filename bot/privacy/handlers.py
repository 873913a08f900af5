"""/privacy, /my_data (everything stored, as JSON) and /delete_me (erase, after a confirmation)."""

import json
import time

from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from telegram import InlineKeyboardMarkup, InputFile, ReplyKeyboardRemove, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.privacy import texts as t
from bot.privacy.person import person_erase, person_export
from bot.profile.flow import callback_values, send
from bot.profile.texts import format_date, format_time
from bot.ui import buttons, callback_data
from payments.selectors import user_is_premium
from users.bot_config import bot_config
from users.models import TelegramUser
from users.selectors import user_local_date, user_local_now, user_zone
from users.services import PRIVACY_POLICY_VERSION

CB_PRIVACY = "pv"  # pv:erase:<unix time of the question>, pv:keep:<the same>
ERASE, KEEP = "erase", "keep"
# A confirmation button older than this asks again: an old message must not erase anybody by accident.
CONFIRM_VALID_SECONDS = 15 * 60


def consent_text(user: TelegramUser | None, lang: str) -> str:
    """When the user accepted the policy and which version, on their own clock and in their language."""
    if user is None or user.consent_at is None:
        return str(t.CONSENT_NONE)
    local = user_local_now(user, user.consent_at)
    return t.CONSENT_GIVEN.format(
        date=format_date(local.date(), lang),
        time=format_time(local.time()),
        version=user.consent_version or "?",
    )


def policy_text(user: TelegramUser | None = None, lang: str = "ru") -> str:
    """The privacy policy in the active language, with the user's consent and the operator's contact."""
    text = t.POLICY.format(version=PRIVACY_POLICY_VERSION)
    text += "\n\n" + consent_text(user, lang)
    contact = bot_config().support_contact
    if contact:
        text += "\n\n" + t.POLICY_CONTACT.format(contact=contact)
    return text


async def privacy_command(update: Update, context: BotContext) -> None:
    """/privacy: the policy."""
    await send(update, policy_text(context.db_user, context.language))


async def my_data_send(update: Update, context: BotContext) -> None:
    """Send the user everything stored about them as a JSON document."""
    user = context.user
    if user is None:
        return
    document = await sync_to_async(person_export)(user_id=user.pk)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    name = f"astrobot-my-data-{user_local_date(user).isoformat()}.json"
    await update.effective_chat.send_document(
        InputFile(body, filename=name),
        caption=f"{t.MY_DATA_CAPTION}\n\n{consent_text(user, context.language)}",
        disable_content_type_detection=True,
    )


async def my_data_command(update: Update, context: BotContext) -> None:
    """/my_data."""
    await my_data_send(update, context)


async def delete_ask(update: Update, context: BotContext) -> None:
    """Explain what erasing means and ask to confirm."""
    user = context.user
    if user is None:
        return
    text = str(t.DELETE_CONFIRM)
    if user_is_premium(user):
        until = user.premium_until.astimezone(user_zone(user)).date()
        text += "\n\n" + t.DELETE_PREMIUM.format(date=format_date(until, context.language))
    asked_at = int(time.time())
    markup = InlineKeyboardMarkup(
        [
            [
                buttons.callback(t.DELETE_YES, CB_PRIVACY, ERASE, asked_at),
                buttons.callback(t.DELETE_NO, CB_PRIVACY, KEEP, asked_at),
            ]
        ]
    )
    await send(update, text, markup)


async def delete_command(update: Update, context: BotContext) -> None:
    """/delete_me."""
    await delete_ask(update, context)


def _asked_at(values: list[str]) -> int:
    return int(values[1]) if len(values) > 1 and values[1].isdigit() else 0


async def _answer_under_question(update: Update, text: object) -> None:
    """Replace the confirmation question by what came of it, so the old message never offers a choice again."""
    query = update.callback_query
    try:
        await query.edit_message_text(str(text), parse_mode=ParseMode.HTML)
    except BadRequest:  # too old to edit, or already says this: say it in a new message
        await send(update, text)


async def _question_outlived(update: Update, context: BotContext, asked_at: int) -> bool:
    """True (and said so) when the question was asked of an earlier life of this account, erased since."""
    if asked_at and asked_at < int(context.user.first_seen_at.timestamp()):
        await _answer_under_question(update, t.DELETE_STALE)
        return True
    return False


async def privacy_keep_callback(update: Update, context: BotContext) -> None:
    """ "Keep my data" under "erase all your data?" (and any other odd answer to it): nothing is erased."""
    values = await callback_values(update, context, None)
    if values is None or await _question_outlived(update, context, _asked_at(values)):
        return
    await _answer_under_question(update, t.DELETE_KEPT)


async def privacy_erase_callback(update: Update, context: BotContext) -> None:
    """ "Yes, erase everything" (pv:erase:<when asked>): erase, unless the question is too old."""
    values = await callback_values(update, context, None)
    if values is None:
        return
    asked_at = _asked_at(values)
    if await _question_outlived(update, context, asked_at):
        return
    if time.time() - asked_at > CONFIRM_VALID_SECONDS:
        await _answer_under_question(update, t.DELETE_EXPIRED)
        return
    await sync_to_async(person_erase)(user_id=context.user.pk)
    # Nothing later in this update may write the erased user back.
    context.db_user = None
    await _answer_under_question(update, t.DELETE_DONE)
    await send(update, t.DELETED, ReplyKeyboardRemove())


def register(application: Application) -> None:
    """/privacy, /my_data, /delete_me and the confirmation buttons."""
    application.add_handler(CommandHandler("privacy", privacy_command, filters=routing.NEW_MESSAGE))
    application.add_handler(CommandHandler("my_data", my_data_command, filters=routing.NEW_MESSAGE))
    application.add_handler(CommandHandler("delete_me", delete_command, filters=routing.NEW_MESSAGE))
    application.add_handler(
        CallbackQueryHandler(privacy_erase_callback, pattern=callback_data.pattern(CB_PRIVACY, ERASE))
    )
    application.add_handler(
        CallbackQueryHandler(privacy_keep_callback, pattern=callback_data.pattern(CB_PRIVACY, KEEP))
    )
    # Only an explicit "erase" erases: any other answer under this prefix keeps the data.
    application.add_handler(CallbackQueryHandler(privacy_keep_callback, pattern=callback_data.pattern(CB_PRIVACY)))
