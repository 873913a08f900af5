"""Handlers that run for every update: loading the user, membership changes, errors."""

import logging
import traceback

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import translation
from telegram import ChatMember, Message, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.menu import texts
from bot.services import update_fail
from bot.throttle import retry_after_seconds
from users.models import TelegramUser
from users.services import TelegramProfile, language_guess, user_mark_blocked, user_touch, user_touch_known

logger = logging.getLogger(__name__)


def message_of(update: Update) -> Message:
    """The message an update carries; handlers registered for messages or buttons on messages always have one."""
    message = update.effective_message
    if message is None:
        raise LookupError("This update carries no message")
    return message


async def user_load(update: Update, context: BotContext) -> None:
    """Load (or create) the user behind the update and speak their language from here on."""
    tg_user = update.effective_user
    if tg_user is not None and not tg_user.is_bot:
        profile = TelegramProfile(
            telegram_id=tg_user.id,
            username=tg_user.username or "",
            first_name=tg_user.first_name or "",
            last_name=tg_user.last_name or "",
            language_code=tg_user.language_code or "",
        )
        # A button belongs to a conversation with someone we know: pressed after /delete_me (or by anyone we
        # have no row for) it must not bring an erased person back.
        query = update.callback_query
        if query is None:
            context.db_user = await sync_to_async(user_touch)(profile=profile)
        else:
            context.db_user = await sync_to_async(user_touch_known)(profile=profile)
            if context.db_user is None:
                translation.activate(language_guess(tg_user.language_code))
                await query.answer(str(texts.BUTTON_NO_USER), show_alert=True)
                raise ApplicationHandlerStop
    translation.activate(context.language)


async def chat_member_update(update: Update, context: BotContext) -> None:
    """Record that a user blocked the bot, or came back."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    blocked = status in {ChatMember.BANNED, ChatMember.LEFT}
    await sync_to_async(user_mark_blocked)(telegram_id=change.from_user.id, blocked=blocked)


async def _language_of(update: Update) -> str:
    tg_user = update.effective_user
    if tg_user is None:
        return settings.LANGUAGE_CODE
    try:
        stored = await TelegramUser.objects.filter(telegram_id=tg_user.id).values_list("language", flat=True).afirst()
    except Exception:
        stored = None
    return stored or language_guess(tg_user.language_code)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the failure (Sentry picks up the log record), mark the update failed, apologise to the user."""
    error = context.error
    update_id = getattr(update, "update_id", "?")
    if isinstance(error, RetryAfter):
        # Flood control outlasted our retries: an expected state under load, not a bug, and an apology would
        # be refused the same way.
        logger.warning(
            "Update %s: reply refused by flood control (retry after %.0f s)", update_id, retry_after_seconds(error)
        )
        if isinstance(update, Update):
            await _record_failure(update.update_id, f"RetryAfter: {error}")
        return
    logger.error("Handler failed for update %s", update_id, exc_info=error)
    if not isinstance(update, Update):
        return
    details = "".join(traceback.format_exception(error)) if error else "unknown error"
    await _record_failure(update.update_id, details)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    # PTB hands the error handler a fresh context (no db_user): look the language up again.
    language = await _language_of(update)
    with translation.override(language):
        text = str(texts.ERROR)
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as exc:  # blocked, flood control: Telegram's answer says it all
        logger.warning("Could not send the error message for update %s: %s", update.update_id, exc)
    except Exception:
        logger.warning("Could not send the error message for update %s", update.update_id, exc_info=True)


async def _record_failure(update_id: int, details: str) -> None:
    try:
        await sync_to_async(update_fail)(update_id=update_id, error=details)
    except Exception:
        logger.exception("Could not mark update %s as failed", update_id)
