"""django-q2 entry points of Premium that end in a message: they take ids, call services and tell users.

Every task may run twice (a retry, the notification and the poll at once): the services make the second
run a no-op, and user messages go out only when this run changed something.
"""

import html
import logging
import math
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.utils import timezone, translation
from django_q.tasks import async_task

from bot.premium import keyboards
from bot.premium import texts as t
from bot.premium.formatting import refund_text, user_date
from bot.sender import Outgoing, SenderNotConfigured, SendStatus, send_batch, send_one
from payments import selectors, services
from payments.models import Payment, PaymentStatus, ReminderKind
from payments.providers import ProviderError
from users.bot_config import bot_config
from users.models import TelegramUser

logger = logging.getLogger(__name__)


def _send(user: TelegramUser, build: Callable[[], str], build_markup: Callable[[], dict] | None = None) -> SendStatus:
    """Send a text and buttons built in the user's language; delivery problems are logged, never raised."""
    with translation.override(user.language):
        text = build()
        markup = build_markup() if build_markup else None
    try:
        return send_one(Outgoing(chat_id=user.telegram_id, text=text, reply_markup=markup))
    except SenderNotConfigured:
        logger.warning("No bot token: could not tell user #%s about their payment", user.pk)
        return SendStatus.FAILED


def _thanks(payment: Payment, user: TelegramUser) -> str:
    date = user_date(user, user.premium_until)
    if payment.is_recurring:
        return t.THANKS_RENEWAL.format(date=date)
    if payment.subscription_id:
        return t.THANKS_SUBSCRIPTION.format(date=date)
    return t.THANKS.format(date=date)


# --- Card payments ---------------------------------------------------------------------------------------


def checkout_open(payment_id: int, return_url: str) -> str:
    """Open a card payment at its provider and send the user the payment page."""
    try:
        payment = services.payment_checkout_open(payment_id=payment_id, return_url=return_url)
    except ProviderError as exc:
        logger.warning("Could not open card payment #%s: %s", payment_id, exc)
        payment = Payment.objects.select_related("user").get(pk=payment_id)
        if payment.user:
            _send(payment.user, lambda: str(t.CARD_FAILED))
        return "unavailable"
    payment = Payment.objects.select_related("user", "plan").get(pk=payment.pk)
    if payment.status != PaymentStatus.PENDING or not payment.confirmation_url or payment.user is None:
        return payment.status
    user = payment.user

    def build() -> str:
        name = payment.plan.name(user.language) if payment.plan else ""
        return t.CARD_OFFER.format(
            name=html.escape(name), amount=payment.amount_display(), email=html.escape(payment.receipt_email)
        )

    def build_markup() -> dict:
        return keyboards.card_offer_json(
            amount=payment.amount_display(), confirmation_url=payment.confirmation_url, order=payment.public_id
        )

    _send(user, build, build_markup)
    return payment.status


def payment_check_and_tell(payment_id: int) -> str:
    """The user pressed "I have paid": check at the provider and say where the payment stands.

    A payment granted by this check is thanked for by the payment_granted listener, like any other.
    """
    try:
        result = services.payment_check(payment_id=payment_id)
    except ProviderError as exc:
        logger.warning("Could not check payment #%s: %s", payment_id, exc)
        status = "unavailable"
    else:
        status = result.status
        if result.granted:
            return status
    user = Payment.objects.select_related("user").get(pk=payment_id).user
    if user is None:
        return status
    if status == PaymentStatus.CANCELED:
        _send(user, lambda: str(t.CHECK_CANCELED))
    elif status == PaymentStatus.SUCCEEDED:
        _send(user, lambda: t.CHECK_ALREADY.format(date=user_date(user, user.premium_until)))
    else:
        _send(user, lambda: str(t.CHECK_PENDING))
    return status


def payment_granted_listener(sender: object, *, payment_id: int, **kwargs: object) -> None:
    """payments.signals.payment_granted: thank the user from the worker."""
    async_task(payment_notify, payment_id=payment_id)


def payment_refunded_listener(sender: object, *, payment_id: int, **kwargs: object) -> None:
    """payments.signals.payment_refunded: tell the user from the worker."""
    async_task(refund_notify, payment_id=payment_id)


def payment_notify(payment_id: int) -> str:
    """Thank the user for a payment confirmed in the background."""
    payment = Payment.objects.select_related("user").get(pk=payment_id)
    if payment.user is None or payment.user.premium_until is None:
        return "skipped"
    user = payment.user
    return _send(user, lambda: _thanks(payment, user))


# --- Refunds and subscriptions -----------------------------------------------------------------------------


def refund_notify(payment_id: int) -> str:
    """Tell the user their payment was refunded and what it means for Premium."""
    payment = Payment.objects.select_related("user").get(pk=payment_id)
    user = payment.user
    if user is None:
        return "skipped"
    return _send(user, lambda: refund_text(user, payment))


# --- Reconciliation and staff reports ------------------------------------------------------------------------


def stars_reconcile() -> dict:
    """Daily: grant Stars charges whose update never reached us, record refunds; report differences to staff."""
    report = services.stars_reconcile()
    if report.differences:
        lines = ["Stars reconciliation found differences:"]
        lines += [f"• granted (update lost): {public_id}" for public_id in report.granted]
        lines += [f"• refund recorded: {public_id}" for public_id in report.refunds_recorded]
        lines += [f"• {problem}" for problem in report.problems]
        staff_report("\n".join(lines))
    return {
        "read": report.read,
        "granted": len(report.granted),
        "refunds": len(report.refunds_recorded),
        "problems": len(report.problems),
    }


def staff_report(text: str) -> str:
    """Tell staff (PAYMENTS_STAFF_CHAT_ID) about something that needs a person; always logged."""
    logger.error("Payments report for staff: %s", text)
    if not settings.PAYMENTS_STAFF_CHAT_ID:
        return "logged"
    try:
        return send_one(Outgoing(chat_id=settings.PAYMENTS_STAFF_CHAT_ID, text=text[:4000], parse_mode=None))
    except SenderNotConfigured:
        return "logged"


# --- Premium reminders and ends -----------------------------------------------------------------------------


def premium_notices() -> dict[str, int]:
    """Hourly: remind users before Premium ends (once per reminder), tell those whose Premium just ended."""
    now = timezone.now()
    counts = {"reminded": 0, "ended": 0}
    tiers = sorted(set(settings.PAYMENTS_REMINDER_DAYS), reverse=True)
    for index, days in enumerate(tiers):
        lower = tiers[index + 1] if index + 1 < len(tiers) else 0
        for user in selectors.users_for_reminder(days_before=days, days_after=lower, now=now).iterator():
            if _notice(user, ReminderKind.BEFORE_END, days, partial(_reminder_text, user, now)):
                counts["reminded"] += 1
    for user in selectors.users_premium_ended(since=now - timedelta(days=2), now=now).iterator():
        if user.blocked_at is None and _notice(user, ReminderKind.ENDED, 0, lambda: str(t.PREMIUM_ENDED)):
            counts["ended"] += 1
    counts.update(selectors.premium_counts(now=now))
    logger.info("Premium notices: %s", counts)
    return counts


def _reminder_text(user: TelegramUser, now: datetime) -> str:
    assert user.premium_until is not None  # the reminder selectors only return users with Premium
    days_left = max(1, math.ceil((user.premium_until - now) / timedelta(days=1)))
    return t.REMINDER.format(
        date=user_date(user, user.premium_until),
        days=t.days_text(days_left),
        readings=bot_config().tarot_premium_daily_readings,
    )


def _notice(user: TelegramUser, kind: str, days_before: int, build: Callable[[], str]) -> bool:
    """Send one notice unless it was sent before for this end date."""
    assert user.premium_until is not None  # the reminder selectors only return users with an end date
    claimed = services.premium_notice_claim(
        user_id=user.pk, kind=kind, days_before=days_before, premium_until=user.premium_until
    )
    if not claimed:
        return False
    status = _send(user, build, keyboards.renew_json)
    services.premium_notice_done(
        user_id=user.pk, kind=kind, days_before=days_before, premium_until=user.premium_until, status=status
    )
    return status == SendStatus.SENT


# --- Staff grants and revokes ------------------------------------------------------------------------------


def premium_staff_listener(sender: object, *, user_ids: list[int], kind: str, days: int = 0, **kwargs: object) -> None:
    """users.signals.premium_changed_by_staff: tell the users from the worker, in batches."""
    for start in range(0, len(user_ids), STAFF_NOTICE_BATCH):
        async_task(premium_staff_notify, user_ids=user_ids[start : start + STAFF_NOTICE_BATCH], kind=kind, days=days)


STAFF_NOTICE_BATCH = 500


def premium_staff_notify(user_ids: list[int], kind: str, days: int = 0) -> int:
    """Tell users that staff granted or ended their Premium; the number of messages sent.

    A second run (a retry) sends again only to users the first run did not reach: users told are not tracked
    per row, so a retry after a crash may repeat a notice; Premium itself never changes here.
    """
    now = timezone.now()
    users = TelegramUser.objects.filter(pk__in=user_ids, blocked_at__isnull=True).order_by("pk")
    if kind == "granted":
        # Only those who still have it (a revoke may have followed).
        users = users.filter(premium_until__gt=now)

    def messages() -> Iterator[Outgoing]:
        for user in users.iterator(chunk_size=500):
            with translation.override(user.language):
                if kind == "granted":
                    text = t.STAFF_GRANTED.format(days=days, date=user_date(user, user.premium_until))
                else:
                    text = str(t.STAFF_REVOKED)
            yield Outgoing(chat_id=user.telegram_id, text=text)

    try:
        report = send_batch(messages())
    except SenderNotConfigured:
        logger.warning("No bot token: could not tell %d users about Premium changed by staff", len(user_ids))
        return 0
    return report.sent
