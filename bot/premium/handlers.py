"""Premium and payments: plans, Stars invoices and subscriptions, card payments, refunds, /terms, /paysupport."""

import html
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_q.tasks import async_task
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, PreCheckoutQueryHandler
from telegram.ext import filters as tg_filters

from bot.context import BotContext
from bot.menu import keyboards as menu
from bot.premium import keyboards
from bot.premium import texts as t
from bot.premium.formatting import refund_text, user_date
from bot.premium.keyboards import PREFIX
from bot.routing import NEW_MESSAGE, PRIVATE
from bot.ui import buttons, callback_data
from payments import selectors
from payments.models import STARS_SUBSCRIPTION_PERIOD, Payment, PaymentStatus, Plan, Provider, Subscription
from payments.providers import StarsInvoice, card_provider
from payments.providers.stars import StarsProvider
from payments.services import (
    PaymentRefused,
    payment_confirm_stars,
    payment_create,
    payment_fail,
    payment_mark_invoiced,
    payment_record_refund,
    subscription_set_renewal,
)
from users.bot_config import bot_config
from users.models import TelegramUser
from users.selectors import user_by_id
from users.services import user_state_set

logger = logging.getLogger(__name__)

EMAIL_STATE = "payments:email"
# The support inbox takes the user's message about a payment (bot.support.handlers.RESUME_PAYMENT).
RESUME_SUPPORT_PAYMENT = "support:payment"

_REFUSALS = {
    selectors.PRECHECKOUT_UNKNOWN: t.PRECHECKOUT_UNKNOWN,
    selectors.PRECHECKOUT_NOT_YOURS: t.PRECHECKOUT_NOT_YOURS,
    selectors.PRECHECKOUT_PAID: t.PRECHECKOUT_PAID,
    selectors.PRECHECKOUT_CLOSED: t.PRECHECKOUT_CLOSED,
    selectors.PRECHECKOUT_AMOUNT: t.PRECHECKOUT_AMOUNT,
}


def _price_rub(plan: Plan) -> str:
    return f"{plan.price_rub:.2f}".removesuffix(".00")


def _premium_screen(user: TelegramUser) -> tuple[str, InlineKeyboardMarkup | None]:
    """The Premium section: benefits, the user's status, the plans as buttons (sync: reads the database)."""
    plans = selectors.plans_for_sale()
    subscription = selectors.user_subscription(user_id=user.pk)
    benefits = t.PREMIUM_BENEFITS.format(readings=bot_config().tarot_premium_daily_readings)
    lines = [str(t.PREMIUM_TITLE), "", benefits, ""]
    if selectors.user_is_premium(user):
        lines.append(t.PREMIUM_ACTIVE.format(date=user_date(user, user.premium_until)))
    else:
        lines.append(str(t.PREMIUM_NONE))
    rows: list[list[InlineKeyboardButton]] = []
    if subscription is not None:
        if subscription.renews():
            lines.append(t.PREMIUM_RENEWS.format(date=user_date(user, subscription.expires_at)))
            rows.append([buttons.callback(t.BUTTON_CANCEL_RENEWAL, PREFIX, keyboards.RENEWAL_OFF, subscription.pk)])
        else:
            lines.append(t.PREMIUM_RENEWAL_OFF.format(date=user_date(user, subscription.expires_at)))
            rows.append([buttons.callback(t.BUTTON_RESTORE_RENEWAL, PREFIX, keyboards.RENEWAL_ON, subscription.pk)])
    stars = StarsProvider.is_enabled()
    card = card_provider() is not None
    on_sale = False
    for plan in plans:
        name = plan.name(user.language)
        row = []
        if plan.is_subscription:
            # One subscription at a time: the current one is managed with the renewal button above.
            if stars and plan.price_stars and subscription is None:
                label = t.PLAN_BUTTON_SUBSCRIPTION.format(name=name, price=plan.price_stars)
                row.append(buttons.callback(label, PREFIX, keyboards.STARS, plan.pk))
        else:
            if stars and plan.price_stars:
                label = t.PLAN_BUTTON_STARS.format(name=name, price=plan.price_stars)
                row.append(buttons.callback(label, PREFIX, keyboards.STARS, plan.pk))
            if card and plan.price_rub:
                label = t.PLAN_BUTTON_CARD.format(price=_price_rub(plan))
                row.append(buttons.callback(label, PREFIX, keyboards.CARD, plan.pk))
        if row:
            rows.append(row)
            on_sale = True
    lines += ["", str(t.PREMIUM_CHOOSE if on_sale else t.PREMIUM_NO_PLANS), "", str(t.PREMIUM_FOOTER)]
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


async def premium_command(update: Update, context: BotContext) -> None:
    """/premium and the menu button: what Premium gives, the user's end date, the plans."""
    text, markup = await sync_to_async(_premium_screen)(context.user)
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def terms_command(update: Update, context: BotContext) -> None:
    """/terms: the terms of use and payment (Telegram requires them of bots that take payments)."""
    card = t.TERMS_CARD if card_provider() is not None else ""
    await update.effective_message.reply_text(
        f"{t.TERMS.format(card=card)}\n\n{t.TERMS_SUPPORT}", parse_mode=ParseMode.HTML, reply_markup=menu.main_menu()
    )


def _paysupport_text(user: TelegramUser) -> str:
    contact = bot_config().support_contact
    lines = [str(t.PAYSUPPORT)]
    if contact:
        lines.append(t.PAYSUPPORT_CONTACT.format(contact=html.escape(contact)))
    lines.append("")
    payments = selectors.user_payments(user_id=user.pk)
    if payments:
        lines.append(str(t.PAYSUPPORT_HISTORY))
        for payment in payments:
            lines.append(
                t.PAYMENT_LINE.format(
                    date=user_date(user, payment.created_at),
                    order=f"<code>{payment.public_id}</code>",
                    amount=payment.amount_display(),
                    status=str(PaymentStatus(payment.status).label),
                )
            )
    else:
        lines.append(str(t.PAYSUPPORT_NO_HISTORY))
    return "\n".join(lines)


async def paysupport_command(update: Update, context: BotContext) -> None:
    """/paysupport: how to get help with a payment and the latest order numbers; then the message to support."""
    text = await sync_to_async(_paysupport_text)(context.user)
    command_only = len((update.effective_message.text or "").split(None, 1)) < 2
    if command_only:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)
    await context.routes.resume[RESUME_SUPPORT_PAYMENT](update, context)


# --- Choosing a plan -------------------------------------------------------------------------------------


async def _id_or_plans(update: Update, context: BotContext) -> int | None:
    """The id after the action ("5" in "pay:c:5"); a press without one is answered with the current plans."""
    values = callback_data.arguments(update.callback_query.data)
    if values and values[0].isdigit():
        return int(values[0])
    await update.callback_query.answer()
    await premium_command(update, context)
    return None


async def premium_show_callback(update: Update, context: BotContext) -> None:
    """ "Renew Premium" under a reminder, other features' Premium buttons, stale or odd buttons: the plans."""
    await update.callback_query.answer()
    await premium_command(update, context)


async def premium_stars_callback(update: Update, context: BotContext) -> None:
    """A Stars plan (pay:s:<plan id>): send its invoice (an invoice link for a subscription)."""
    plan_id = await _id_or_plans(update, context)
    if plan_id is None:
        return
    query = update.callback_query
    user = context.user
    try:
        payment = await sync_to_async(payment_create)(user_id=user.pk, plan_id=plan_id, provider=Provider.STARS)
    except PaymentRefused:
        await query.answer(str(t.PLAN_GONE))
        await premium_command(update, context)
        return
    await query.answer()
    plan = payment.plan
    if plan.is_subscription:
        await _send_subscription_link(update, context, payment)
        return
    invoice = StarsInvoice(
        title=t.INVOICE_TITLE.format(name=plan.name(user.language))[:32],
        description=t.INVOICE_DESCRIPTION.format(days=payment.days)[:255],
        payload=payment.public_id,
        label=t.INVOICE_LABEL.format(days=payment.days),
        amount=int(payment.amount),
    )
    try:
        await context.bot.send_invoice(chat_id=update.effective_chat.id, **invoice.as_kwargs())
    except TelegramError as exc:
        await sync_to_async(payment_fail)(payment_id=payment.pk, error=f"sendInvoice: {exc}")
        await update.effective_message.reply_text(str(t.INVOICE_FAILED))
        return
    await sync_to_async(payment_mark_invoiced)(payment_id=payment.pk)


async def _send_subscription_link(update: Update, context: BotContext, payment: Payment) -> None:
    user = context.user
    existing = await sync_to_async(selectors.user_subscription)(user_id=user.pk)
    if existing is not None:
        await sync_to_async(payment_fail)(payment_id=payment.pk, error="already subscribed")
        await update.effective_message.reply_text(
            t.SUBSCRIPTION_EXISTS.format(date=user_date(user, existing.expires_at))
        )
        return
    plan = payment.plan
    invoice = StarsInvoice(
        title=t.INVOICE_TITLE.format(name=plan.name(user.language))[:32],
        description=str(t.INVOICE_SUBSCRIPTION_DESCRIPTION)[:255],
        payload=payment.public_id,
        label=t.INVOICE_LABEL.format(days=payment.days),
        amount=int(payment.amount),
        subscription_period=STARS_SUBSCRIPTION_PERIOD,
    )
    try:
        link = await context.bot.create_invoice_link(**invoice.as_kwargs())
    except TelegramError as exc:
        await sync_to_async(payment_fail)(payment_id=payment.pk, error=f"createInvoiceLink: {exc}")
        await update.effective_message.reply_text(str(t.INVOICE_FAILED))
        return
    await sync_to_async(payment_mark_invoiced)(payment_id=payment.pk)
    await update.effective_message.reply_text(
        t.SUBSCRIPTION_OFFER.format(price=int(payment.amount)),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.subscribe_keyboard(link, int(payment.amount)),
    )


async def premium_card_callback(update: Update, context: BotContext) -> None:
    """A card plan (pay:c:<plan id>): ask for the receipt e-mail before opening the payment."""
    plan_id = await _id_or_plans(update, context)
    if plan_id is None:
        return
    query = update.callback_query
    user = context.user
    plan = await sync_to_async(selectors.plan_for_sale)(plan_id=plan_id)
    if plan is None or not plan.price_rub or plan.is_subscription:
        await query.answer(str(t.PLAN_GONE))
        await premium_command(update, context)
        return
    await query.answer()
    if card_provider() is None:
        await update.effective_message.reply_text(str(t.CARD_UNAVAILABLE))
        return
    email = await sync_to_async(selectors.user_receipt_email)(user_id=user.pk)
    await sync_to_async(user_state_set)(user=user, state=EMAIL_STATE, data={"plan": plan.pk})
    text = t.EMAIL_ASK_KNOWN.format(email=html.escape(email)) if email else str(t.EMAIL_ASK)
    markup = keyboards.email_keyboard(plan.pk, email)
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def email_message(update: Update, context: BotContext) -> None:
    """The receipt e-mail for a card payment."""
    user = context.user
    email = (update.effective_message.text or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        await update.effective_message.reply_text(str(t.EMAIL_INVALID), reply_markup=keyboards.cancel_keyboard())
        return
    await _card_start(update, context, plan_id=int(user.state_data.get("plan") or 0), email=email)


async def premium_known_email_callback(update: Update, context: BotContext) -> None:
    """The e-mail of the last receipt (pay:e:<plan id>): open the card payment with it."""
    plan_id = await _id_or_plans(update, context)
    if plan_id is None:
        return
    await update.callback_query.answer()
    email = await sync_to_async(selectors.user_receipt_email)(user_id=context.user.pk)
    if not email:
        await premium_command(update, context)
        return
    await _card_start(update, context, plan_id=plan_id, email=email)


async def _card_start(update: Update, context: BotContext, *, plan_id: int, email: str) -> None:
    """Create the card payment; the worker opens it at the provider and sends the payment page."""
    user = context.user
    await sync_to_async(user_state_set)(user=user)
    provider = card_provider()
    if provider is None:
        await update.effective_message.reply_text(str(t.CARD_UNAVAILABLE), reply_markup=menu.main_menu())
        return
    try:
        payment = await sync_to_async(payment_create)(
            user_id=user.pk, plan_id=plan_id, provider=provider.name, receipt_email=email
        )
    except PaymentRefused:
        await update.effective_message.reply_text(str(t.PLAN_GONE))
        await premium_command(update, context)
        return
    await update.effective_message.reply_text(str(t.CARD_PREPARING), reply_markup=menu.main_menu())
    return_url = settings.YOOKASSA_RETURN_URL or f"https://t.me/{context.bot.username}"
    await sync_to_async(async_task)("bot.premium.tasks.checkout_open", payment_id=payment.pk, return_url=return_url)


async def premium_cancel_callback(update: Update, context: BotContext) -> None:
    """Cancel under the e-mail question (pay:x): back to the plans."""
    await update.callback_query.answer()
    if context.user.state == EMAIL_STATE:
        await sync_to_async(user_state_set)(user=context.user)
    if update.callback_query.message and update.callback_query.message.reply_markup:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    await premium_command(update, context)


async def premium_check_callback(update: Update, context: BotContext) -> None:
    """ "I have paid" (pay:k:<order>): look the card payment up now instead of waiting for the background check."""
    query = update.callback_query
    user = context.user
    values = callback_data.arguments(query.data)
    if not values:
        await query.answer()
        await premium_command(update, context)
        return
    payment = await sync_to_async(selectors.payment_by_public_id)(public_id=values[0])
    if payment is None or payment.user_id != user.pk:
        await query.answer()
        await premium_command(update, context)
        return
    if payment.status == PaymentStatus.SUCCEEDED:
        await query.answer()
        until = user.premium_until or payment.premium_until
        await update.effective_message.reply_text(t.CHECK_ALREADY.format(date=user_date(user, until)))
        return
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING):
        await query.answer()
        await update.effective_message.reply_text(str(t.CHECK_CANCELED))
        return
    await query.answer(str(t.CHECK_STARTED))
    await sync_to_async(async_task)("bot.premium.tasks.payment_check_and_tell", payment_id=payment.pk)


# --- Auto-renewal --------------------------------------------------------------------------------------------


async def _own_subscription(update: Update, context: BotContext) -> Subscription | None:
    """The user's subscription named by the button (pay:u:<id>, pay:r:<id>); else the plans and None."""
    subscription_id = await _id_or_plans(update, context)
    if subscription_id is None:
        return None
    subscription = await sync_to_async(selectors.user_subscription_by_id)(
        user_id=context.user.pk, subscription_id=subscription_id
    )
    if subscription is None:
        await update.callback_query.answer()
        await premium_command(update, context)
    return subscription


async def premium_renewal_off_callback(update: Update, context: BotContext) -> None:
    """ "Turn off auto-renewal" (pay:u:<subscription id>), then its answer (pay:u:<id>:y or :n)."""
    query = update.callback_query
    user = context.user
    subscription = await _own_subscription(update, context)
    if subscription is None:
        return
    values = callback_data.arguments(query.data)
    choice = values[1] if len(values) > 1 else ""
    if choice == "":
        await query.answer()
        markup = keyboards.renewal_off_keyboard(subscription.pk)
        # Premium lasts to the later of the subscription's paid period and whatever else was bought.
        until = max(filter(None, (user.premium_until, subscription.expires_at)))
        text = t.RENEWAL_CANCEL_ASK.format(date=user_date(user, until))
        await update.effective_message.reply_text(text, reply_markup=markup)
        return
    await query.answer()
    if query.message and query.message.reply_markup:
        await query.edit_message_reply_markup(reply_markup=None)
    if choice != keyboards.YES:
        await update.effective_message.reply_text(str(t.RENEWAL_KEPT))
        return
    await _set_renewal(update, context, subscription, renews=False)


async def premium_renewal_on_callback(update: Update, context: BotContext) -> None:
    """ "Turn auto-renewal back on" (pay:r:<subscription id>; Telegram allows it while the paid period lasts)."""
    subscription = await _own_subscription(update, context)
    if subscription is None:
        return
    await update.callback_query.answer()
    await _set_renewal(update, context, subscription, renews=True)


async def _set_renewal(update: Update, context: BotContext, subscription: Subscription, *, renews: bool) -> None:
    user = context.user
    try:
        await context.bot.edit_user_star_subscription(
            user_id=user.telegram_id, telegram_payment_charge_id=subscription.charge_id, is_canceled=not renews
        )
    except TelegramError as exc:
        logger.warning("editUserStarSubscription failed for subscription %s: %s", subscription.pk, exc)
        await update.effective_message.reply_text(str(t.RENEWAL_FAILED))
        return
    subscription = await sync_to_async(subscription_set_renewal)(subscription_id=subscription.pk, renews=renews)
    if renews:
        text = t.RENEWAL_RESTORED.format(date=user_date(user, subscription.expires_at))
    else:
        until = max(filter(None, (user.premium_until, subscription.expires_at)))
        text = t.RENEWAL_CANCELED.format(date=user_date(user, until))
    await update.effective_message.reply_text(text, reply_markup=menu.main_menu())


# --- Telegram's payment updates ----------------------------------------------------------------------------


async def precheckout_query(update: Update, context: BotContext) -> None:
    """Answer Telegram's last question before it takes the Stars (within 10 s, so right here)."""
    query = update.pre_checkout_query
    problem = await sync_to_async(selectors.payment_precheckout_problem)(
        payload=query.invoice_payload,
        telegram_id=query.from_user.id,
        total_amount=query.total_amount,
        currency=query.currency,
    )
    if problem:
        logger.info("Pre-checkout for %r refused: %s", query.invoice_payload, problem)
        await query.answer(ok=False, error_message=str(_REFUSALS[problem]))
        return
    await query.answer(ok=True)


async def successful_payment_message(update: Update, context: BotContext) -> None:
    """Telegram took the Stars: grant Premium once per charge and thank the user."""
    message = update.effective_message
    paid = message.successful_payment
    user = context.user
    result = await sync_to_async(payment_confirm_stars)(
        payload=paid.invoice_payload,
        user_id=user.pk,
        charge_id=paid.telegram_payment_charge_id,
        amount=paid.total_amount,
        currency=paid.currency,
        is_recurring=bool(paid.is_recurring),
        subscription_expires_at=paid.subscription_expiration_date,
        raw=paid.to_dict(),
    )
    if result.unmatched:
        await message.reply_text(
            t.PAYMENT_UNMATCHED.format(charge=paid.telegram_payment_charge_id), parse_mode=ParseMode.HTML
        )
        await sync_to_async(async_task)(
            "bot.premium.tasks.staff_report", text=f"Unmatched Stars charge {paid.telegram_payment_charge_id}"
        )
        return
    if not result.granted:
        return  # this charge was recorded before: a replayed update changes nothing
    date = user_date(user, result.premium_until)
    if result.renewal:
        text = t.THANKS_RENEWAL.format(date=date)
    elif result.payment.subscription_id:
        text = t.THANKS_SUBSCRIPTION.format(date=date)
    else:
        text = t.THANKS.format(date=date)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=menu.main_menu())


async def refunded_payment_message(update: Update, context: BotContext) -> None:
    """Telegram reports a Stars refund: record it once and tell the user what it means for Premium."""
    refund = update.effective_message.refunded_payment
    outcome = await sync_to_async(payment_record_refund)(
        provider=Provider.STARS, provider_payment_id=refund.telegram_payment_charge_id, raw=refund.to_dict()
    )
    if outcome is None or not outcome.changed:
        return
    user = await sync_to_async(user_by_id)(user_id=context.user.pk)
    await update.effective_message.reply_text(refund_text(user, outcome.payment), parse_mode=ParseMode.HTML)


def register(application: Application) -> None:
    """/premium, /terms, /paysupport, the plan buttons and Telegram's payment updates."""
    application.add_handler(PreCheckoutQueryHandler(precheckout_query))
    application.add_handler(MessageHandler(tg_filters.SUCCESSFUL_PAYMENT & PRIVATE, successful_payment_message))
    application.add_handler(
        MessageHandler(tg_filters.StatusUpdate.REFUNDED_PAYMENT & PRIVATE, refunded_payment_message)
    )
    application.add_handler(CommandHandler("premium", premium_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("terms", terms_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("paysupport", paysupport_command, filters=NEW_MESSAGE))
    for action, handler in (
        (keyboards.STARS, premium_stars_callback),
        (keyboards.CARD, premium_card_callback),
        (keyboards.KNOWN_EMAIL, premium_known_email_callback),
        (keyboards.CANCEL, premium_cancel_callback),
        (keyboards.CHECK, premium_check_callback),
        (keyboards.RENEWAL_OFF, premium_renewal_off_callback),
        (keyboards.RENEWAL_ON, premium_renewal_on_callback),
        (keyboards.SHOW, premium_show_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(PREFIX, action)))
    # The bare "pay" of other features' Premium buttons, and any stale or odd button here: the current plans.
    application.add_handler(CallbackQueryHandler(premium_show_callback, pattern=callback_data.pattern(PREFIX)))
