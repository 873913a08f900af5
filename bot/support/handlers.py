"""/support (and /paysupport's message): the user writes, the message lands in the admin's support inbox."""

from asgiref.sync import sync_to_async
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.menu import keyboards as menu
from bot.support import keyboards, texts
from bot.ui import callback_data
from support.models import Topic
from support.services import SupportRateLimited, support_message_receive
from users.services import user_state_set

STATE = "support:message"


def _text_after_command(text: str) -> str:
    """What the user typed after "/support" on the same message (newlines kept)."""
    parts = text.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _receive(update: Update, context: BotContext, *, text: str, topic: str) -> None:
    message = update.effective_message
    user = context.user
    if user.state:
        await sync_to_async(user_state_set)(user=user)
    try:
        received = await sync_to_async(support_message_receive)(
            user_id=user.pk, text=text, topic=topic, telegram_message_id=message.message_id
        )
    except SupportRateLimited:
        await message.reply_text(str(texts.RATE_LIMITED), reply_markup=menu.main_menu())
        return
    await message.reply_text(
        texts.RECEIVED.format(number=received.request.pk), parse_mode=ParseMode.HTML, reply_markup=menu.main_menu()
    )


async def _ask(update: Update, context: BotContext, *, topic: str) -> None:
    text = _text_after_command(update.effective_message.text or "")
    if text:
        await _receive(update, context, text=text, topic=topic)
        return
    await sync_to_async(user_state_set)(user=context.user, state=STATE, data={"topic": topic})
    question = texts.ASK if topic == Topic.GENERAL else texts.ASK_PAYMENT
    await update.effective_message.reply_text(
        str(question), parse_mode=ParseMode.HTML, reply_markup=keyboards.cancel_keyboard()
    )


async def support_command(update: Update, context: BotContext) -> None:
    """/support: ask for the message, or take the text written after the command."""
    await _ask(update, context, topic=Topic.GENERAL)


async def support_payment_ask(update: Update, context: BotContext) -> None:
    """After /paysupport's help text: the same, about a payment."""
    await _ask(update, context, topic=Topic.PAYMENT)


async def support_message(update: Update, context: BotContext) -> None:
    """The message for support; anything but text gets a clear answer and the question stays open."""
    message = update.effective_message
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(str(texts.ONLY_TEXT), reply_markup=keyboards.cancel_keyboard())
        return
    topic = context.user.state_data.get("topic") or Topic.GENERAL
    await _receive(update, context, text=text, topic=topic if topic in Topic.values else Topic.GENERAL)


async def support_cancel_callback(update: Update, context: BotContext) -> None:
    """Cancel under the question (sp:x)."""
    query = update.callback_query
    await query.answer()
    if context.user.state == STATE:
        await sync_to_async(user_state_set)(user=context.user)
    if query.message and query.message.reply_markup:
        await query.edit_message_reply_markup(reply_markup=None)
    await query.message.reply_text(str(texts.CANCELED), reply_markup=menu.main_menu())


def register(application: Application) -> None:
    """/support and its Cancel button (/paysupport is the Premium room's, and hands over here)."""
    application.add_handler(CommandHandler("support", support_command, filters=routing.NEW_MESSAGE))
    application.add_handler(
        CallbackQueryHandler(support_cancel_callback, pattern=callback_data.pattern(keyboards.PREFIX))
    )
