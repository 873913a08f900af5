"""Maintenance and feature switches from the admin's Bot settings, checked once per update before any feature.

Payments already under way (pre-checkout, successful and refunded payments), membership changes and the way
to support always pass: nobody must lose a payment or be unable to reach us.
"""

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.menu import keyboards as menu
from bot.menu import texts
from bot.premium.handlers import EMAIL_STATE
from bot.support.handlers import STATE as SUPPORT_STATE
from bot.support.keyboards import PREFIX as SUPPORT_PREFIX
from bot.tarot.keyboards import PREFIX as TAROT_PREFIX
from bot.ui import callback_data
from horoscopes.tarot.services import QUESTION_STATE as TAROT_QUESTION_STATE
from users.bot_config import BotConfig, abot_config

TAROT, NATAL, PAYMENTS, SUPPORT = "tarot", "natal", "payments", "support"
COMMANDS = {
    "tarot": TAROT,
    "natal": NATAL,
    "premium": PAYMENTS,
    "support": SUPPORT,
    "paysupport": SUPPORT,
    "terms": SUPPORT,
}
CALLBACK_PREFIXES = {TAROT_PREFIX: TAROT, callback_data.PREMIUM: PAYMENTS, SUPPORT_PREFIX: SUPPORT}
MENU_ACTIONS = {"tarot": TAROT, "natal": NATAL, "premium": PAYMENTS}
STATES = {TAROT_QUESTION_STATE: TAROT, EMAIL_STATE: PAYMENTS, SUPPORT_STATE: SUPPORT}


def feature_of(update: Update, state: str) -> str:
    """Which switchable feature an update asks for ("" for the rest)."""
    if update.callback_query is not None:
        prefix, _values = callback_data.parse(update.callback_query.data)
        return CALLBACK_PREFIXES.get(prefix, "")
    message = update.message
    if message is None:
        return ""
    text = message.text or ""
    if text.startswith("/"):
        command = text[1:].split(None, 1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
        return COMMANDS.get(command, "")
    action = menu.menu_actions().get(text)
    if action:
        return MENU_ACTIONS.get(action, "")
    return STATES.get(state, "")


def _passes_always(update: Update) -> bool:
    message = update.message
    return (
        update.pre_checkout_query is not None
        or update.my_chat_member is not None
        or (message is not None and (message.successful_payment is not None or message.refunded_payment is not None))
    )


def refusal(update: Update, state: str, config: BotConfig) -> str:
    """The text to answer instead of the feature, or "" when the update goes on as usual."""
    if _passes_always(update) or (update.message is None and update.callback_query is None):
        return ""
    feature = feature_of(update, state)
    if config.maintenance and feature != SUPPORT:
        extra = config.maintenance_message.strip()
        return f"{texts.MAINTENANCE}\n\n{extra}" if extra else str(texts.MAINTENANCE)
    if (feature == TAROT and not config.tarot_enabled) or (feature == NATAL and not config.natal_enabled):
        return str(texts.FEATURE_OFF)
    if feature == PAYMENTS and not config.payments_enabled:
        return str(texts.PAYMENTS_OFF)
    return ""


async def gate(update: Update, context: BotContext) -> None:
    """Answer with the maintenance notice or "switched off" and stop, when the settings say so."""
    config = await abot_config()
    user = context.db_user
    text = refusal(update, user.state if user else "", config)
    if not text:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.effective_message is not None and update.effective_chat and update.effective_chat.type == "private":
        await update.effective_message.reply_text(text, reply_markup=menu.main_menu())
    raise ApplicationHandlerStop
