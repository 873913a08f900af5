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

from bot import common, gate
from bot.broadcast import handlers as broadcast
from bot.context import ROUTES_KEY, BotContext
from bot.horoscope import handlers as horoscope
from bot.menu import handlers as core
from bot.menu import intents, keyboards
from bot.natal import handlers as natal
from bot.onboarding import handlers as onboarding
from bot.premium import handlers as payments
from bot.privacy import handlers as privacy
from bot.profile import flow as profile_flow
from bot.profile import handlers as profile
from bot.routing import NEW_MESSAGE, USER_CONTENT, Routes
from bot.support import handlers as support
from bot.tarot import handlers as tarot
from bot.throttle import RetryAfterLimiter
from horoscopes.tarot.services import QUESTION_STATE as TAROT_QUESTION_STATE

# Update kinds we ask Telegram for, by webhook and by polling alike.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.PRE_CHECKOUT_QUERY,
    Update.MY_CHAT_MEMBER,
]

# Feature modules, each with register() for its commands and buttons, in priority order.
FEATURES = (onboarding, profile, privacy, horoscope, natal, tarot, payments, support, broadcast, core)

ROUTES = Routes(
    menu={
        "horoscope": horoscope.horoscope_show,
        intents.HOROSCOPE: horoscope.horoscope_asked,
        intents.HOROSCOPE_TOMORROW: horoscope.horoscope_asked,
        intents.TAROT_DAY: tarot.tarot_day,
        "tarot": tarot.tarot_menu,
        "natal": natal.natal_show,
        "premium": payments.premium_command,
        "profile": profile.profile_show,
        "help": core.help_command,
    },
    states={
        onboarding.STATE_LANGUAGE: onboarding.language_message,
        **profile_flow.STATES,
        horoscope.BIRTH_STATE: horoscope.birth_date_message,
        TAROT_QUESTION_STATE: tarot.tarot_question_message,
        payments.EMAIL_STATE: payments.email_message,
        support.STATE: support.support_message,
    },
    resume={
        onboarding.RESUME_NOTIFY: onboarding.onboarding_notify,
        onboarding.RESUME_DONE: onboarding.onboarding_finish,
        profile.RESUME_PROFILE: profile.profile_show,
        horoscope.RESUME_PERSONAL: horoscope.personal_show,
        natal.RESUME_NATAL: natal.natal_show,
        payments.RESUME_SUPPORT_PAYMENT: support.support_payment_ask,
    },
)


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
        .rate_limiter(
            RetryAfterLimiter(max_retries=settings.TELEGRAM_REPLY_RETRIES, max_wait=settings.TELEGRAM_REPLY_MAX_WAIT)
        )
    )
    if not with_updater:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[ROUTES_KEY] = ROUTES
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Register the handlers of every feature, in priority order."""
    application.add_handler(TypeHandler(Update, common.user_load), group=-2)
    application.add_handler(TypeHandler(Update, gate.gate), group=-1)
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
