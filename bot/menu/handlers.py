"""/help, language and the main menu (/start lives in onboarding)."""

from asgiref.sync import sync_to_async
from django.utils import translation
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.menu import intents, keyboards, texts
from bot.ui import callback_data
from users.services import user_set_language, user_state_set


async def help_command(update: Update, context: BotContext) -> None:
    """Explain what the bot does."""
    await update.effective_message.reply_text(
        texts.help_text(), parse_mode=ParseMode.HTML, reply_markup=keyboards.help_buttons()
    )


async def language_callback(update: Update, context: BotContext) -> None:
    """Offer the language choice, or switch to the chosen language."""
    query = update.callback_query
    _, values = callback_data.parse(query.data)
    if not values:
        await query.answer()
        await query.message.reply_text(str(texts.CHOOSE_LANGUAGE), reply_markup=keyboards.language_choice())
        return
    user = context.user
    try:
        await sync_to_async(user_set_language)(user=user, language=values[0])
    except ValueError:
        await query.answer()
        return
    translation.activate(user.language)
    await query.answer()
    if query.message.reply_markup:
        await query.edit_message_reply_markup(reply_markup=None)
    await query.message.reply_text(str(texts.LANGUAGE_CHANGED), reply_markup=keyboards.main_menu())


async def menu_message(update: Update, context: BotContext) -> None:
    """Route a main-menu button to its section."""
    action = keyboards.menu_actions().get(update.effective_message.text or "")
    user = context.user
    if user.state:
        # A menu button leaves whatever question was open: its next message is not an answer to it.
        await sync_to_async(user_state_set)(user=user)
    handler = context.routes.menu.get(action) if action else None
    if handler is None:
        await update.effective_message.reply_text(str(texts.SECTION_SOON), reply_markup=keyboards.main_menu())
        return
    await handler(update, context)


async def state_or_unknown_message(update: Update, context: BotContext) -> None:
    """Hand the message to the question the user was asked, or to the feature it names, or answer with a hint."""
    state = context.user.state if context.user else ""
    handler = context.routes.states.get(state) if state else None
    if handler is not None:
        await handler(update, context)
        return
    intent = intents.intent_of(update.effective_message.text) if context.db_user is not None else None
    if intent == intents.COMPATIBILITY:
        await update.effective_message.reply_text(str(texts.COMPATIBILITY_SOON), reply_markup=keyboards.main_menu())
        return
    feature = context.routes.menu.get(intent) if intent else None
    if feature is not None:
        await feature(update, context)
        return
    await update.effective_message.reply_text(str(texts.NOT_UNDERSTOOD), reply_markup=keyboards.main_menu())


async def stale_callback(update: Update, context: BotContext) -> None:
    """Answer a press on a button no handler knows (an old message), so the client stops waiting."""
    await update.callback_query.answer(str(texts.BUTTON_OUTDATED), show_alert=False)


def register(application: Application) -> None:
    """/help and the language buttons."""
    application.add_handler(CommandHandler("help", help_command, filters=routing.NEW_MESSAGE))
    application.add_handler(
        CallbackQueryHandler(language_callback, pattern=callback_data.pattern(callback_data.LANGUAGE))
    )
