"""build_application(): the one place where every handler is registered."""

from django.conf import settings
from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards
from bot.context import BotContext
from bot.handlers import common, core, horoscope, natal, onboarding, payments, privacy, profile, tarot
from bot.routing import NEW_MESSAGE, USER_CONTENT

# Update kinds we ask Telegram for, by webhook and by polling alike.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.PRE_CHECKOUT_QUERY,
    Update.MY_CHAT_MEMBER,
]

# Feature modules, each with MENU, STATES and register() (see bot.routing); earlier ones win ties.
FEATURES = (onboarding, profile, privacy, horoscope, natal, tarot, payments, core)


def build_application(
    *,
    token: str | None = None,
    base_url: str | None = None,
    base_file_url: str | None = None,
    with_updater: bool = False,
) -> Application:
    """A python-telegram-bot Application with every handler of the bot, not yet initialized.

    Updates reach it through bot.processing (webhook and runbot alike), so it has no Updater;
    `with_updater` exists only for the benchmark's baseline, PTB's own webhook server.
    """
    builder = (
        Application.builder()
        .token(token or settings.TELEGRAM_BOT_TOKEN)
        .base_url(base_url or settings.TELEGRAM_API_BASE_URL)
        .base_file_url(base_file_url or settings.TELEGRAM_API_FILE_URL)
        .context_types(ContextTypes(context=BotContext))
    )
    if not with_updater:
        builder = builder.updater(None)
    application = builder.build()
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Register the handlers of every feature, in priority order."""
    application.add_handler(TypeHandler(Update, common.user_load), group=-1)
    application.add_handler(ChatMemberHandler(common.chat_member_update, ChatMemberHandler.MY_CHAT_MEMBER))

    for feature in FEATURES:
        feature.register(application)
    # Menu buttons interrupt whatever conversation the user was in; then a pending question is answered.
    application.add_handler(
        MessageHandler(NEW_MESSAGE & filters.Text(list(keyboards.menu_actions())), core.menu_message)
    )
    application.add_handler(MessageHandler(USER_CONTENT, core.state_or_unknown_message))
    application.add_handler(CallbackQueryHandler(core.stale_callback))

    application.add_error_handler(common.error_handler)
