"""Reads of the payments app, among them the one Premium check every feature goes through."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from payments.models import (
    OPEN_STATUSES,
    Currency,
    Payment,
    PaymentStatus,
    Plan,
    Provider,
    Subscription,
    amount_format,
)
from users.models import TelegramUser


def user_is_premium(user: TelegramUser, *, at: datetime | None = None) -> bool:
    """Whether the user has Premium at the given moment (now by default): Premium is a date, never a flag."""
    moment = at or timezone.now()
    return user.premium_until is not None and user.premium_until > moment


def plans_for_sale() -> list[Plan]:
    """Active plans in display order."""
    return list(Plan.objects.filter(is_active=True).order_by("position", "id"))


def plan_for_sale(*, plan_id: int) -> Plan | None:
    """An active plan, or None."""
    return Plan.objects.filter(pk=plan_id, is_active=True).first()


def user_subscription(*, user_id: int, now: datetime | None = None) -> Subscription | None:
    """The user's current Stars subscription (paid period not over), renewing or not."""
    now = now or timezone.now()
    return (
        Subscription.objects.filter(user_id=user_id, expires_at__gt=now)
        .select_related("plan")
        .order_by("-expires_at")
        .first()
    )


def user_subscription_by_id(*, user_id: int, subscription_id: int) -> Subscription | None:
    """One of the user's subscriptions, whatever its period; None when there is none such or it is another's."""
    return Subscription.objects.filter(pk=subscription_id, user_id=user_id).first()


def user_payments(*, user_id: int, limit: int = 5) -> list[Payment]:
    """The user's latest payments (for /paysupport); Stars invoices never paid are not payments."""
    unpaid_invoices = (PaymentStatus.PENDING, PaymentStatus.CANCELED, PaymentStatus.FAILED)
    return list(
        Payment.objects.filter(user_id=user_id)
        .exclude(status=PaymentStatus.CREATED)
        .exclude(provider=Provider.STARS, status__in=unpaid_invoices)
        .select_related("plan")
        .order_by("-created_at")[:limit]
    )


def user_receipt_email(*, user_id: int) -> str:
    """The e-mail the user last had a receipt sent to ("" if never)."""
    return (
        Payment.objects.filter(user_id=user_id)
        .exclude(receipt_email="")
        .order_by("-created_at")
        .values_list("receipt_email", flat=True)
        .first()
        or ""
    )


def payment_by_public_id(*, public_id: str) -> Payment | None:
    """A payment by the id users and invoices carry."""
    return Payment.objects.filter(public_id=public_id).select_related("plan", "user").first()


# Why a pre-checkout query is refused; the handler words each for the user.
PRECHECKOUT_UNKNOWN = "unknown"
PRECHECKOUT_NOT_YOURS = "not_yours"
PRECHECKOUT_PAID = "paid"
PRECHECKOUT_CLOSED = "closed"
PRECHECKOUT_AMOUNT = "amount"


def payment_precheckout_problem(*, payload: str, telegram_id: int, total_amount: int, currency: str) -> str:
    """Why Telegram must not take this payment ("" when it may): ours, pending, the payer's, the same amount."""
    payment = Payment.objects.filter(public_id=payload, provider=Provider.STARS).select_related("user").first()
    if payment is None:
        return PRECHECKOUT_UNKNOWN
    if payment.user is None or payment.user.telegram_id != telegram_id:
        return PRECHECKOUT_NOT_YOURS
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return PRECHECKOUT_PAID
    if payment.status != PaymentStatus.PENDING:
        return PRECHECKOUT_CLOSED
    if currency != Currency.XTR or total_amount != int(payment.amount) or payment.amount != int(payment.amount):
        return PRECHECKOUT_AMOUNT
    return ""


def payments_to_poll(*, now: datetime | None = None, max_age_days: int = 7) -> QuerySet[Payment]:
    """Open card payments the provider knows about, youngest first (older ones the provider has closed)."""
    now = now or timezone.now()
    return (
        Payment.objects.filter(
            status__in=OPEN_STATUSES,
            created_at__gte=now - timedelta(days=max_age_days),
        )
        .exclude(provider=Provider.STARS)
        .exclude(provider_payment_id="")
        .order_by("-created_at")
    )


def users_for_reminder(*, days_before: int, days_after: int, now: datetime | None = None) -> QuerySet[TelegramUser]:
    """Users whose Premium ends between `days_after` and `days_before` days from now, who can be told.

    Subscribers whose subscription renews are left out: their Premium does not end.
    """
    now = now or timezone.now()
    renewing = Subscription.objects.filter(canceled_at__isnull=True, expires_at__gt=now).values("user_id")
    return (
        TelegramUser.objects.filter(
            premium_until__gt=now + timedelta(days=days_after),
            premium_until__lte=now + timedelta(days=days_before),
            blocked_at__isnull=True,
        )
        .exclude(pk__in=renewing)
        .order_by("premium_until")
    )


def users_premium_ended(*, since: datetime, now: datetime | None = None) -> QuerySet[TelegramUser]:
    """Users whose Premium ended after `since` (and by now)."""
    now = now or timezone.now()
    return TelegramUser.objects.filter(premium_until__gt=since, premium_until__lte=now).order_by("premium_until")


def premium_counts(*, now: datetime | None = None) -> dict[str, int]:
    """How many users have Premium now, and how many renew by subscription."""
    now = now or timezone.now()
    return {
        "premium": TelegramUser.objects.filter(premium_until__gt=now).count(),
        "renewing": Subscription.objects.filter(canceled_at__isnull=True, expires_at__gt=now).count(),
    }


def subscribers_renewing(*, users: QuerySet[TelegramUser], now: datetime | None = None) -> list[int]:
    """Ids of those users whose Stars subscription Telegram will charge again (renewal on, period not over)."""
    now = now or timezone.now()
    return list(
        Subscription.objects.filter(
            user__in=users.order_by().values("pk"), canceled_at__isnull=True, expires_at__gt=now
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def user_subscriptions(*, user_id: int) -> list[Subscription]:
    """All of a user's Stars subscriptions, newest first."""
    return list(Subscription.objects.filter(user_id=user_id).select_related("plan").order_by("-created_at"))


# Bulk refunds are confirmed on one page and run within one request: a bound on both.
REFUND_BATCH_MAX = 50


@dataclass(frozen=True)
class RefundSummary:
    """What refunding a selection of payments would do, for the confirmation page."""

    selected: int
    refundable: int
    # (amount as people write it, currency code) per currency, largest first.
    totals: list[tuple[str, str, int]]
    subscriptions_ended: int
    premium_days: int
    users: int
    erased_users: int

    @property
    def skipped(self) -> int:
        """Selected payments that are not paid (or already refunded): left alone."""
        return self.selected - self.refundable

    @property
    def too_many(self) -> bool:
        """More than one confirmation may refund."""
        return self.refundable > REFUND_BATCH_MAX


def payments_refundable(queryset: QuerySet[Payment]) -> QuerySet[Payment]:
    """The paid payments of a selection: the only ones a refund applies to."""
    return queryset.filter(status=PaymentStatus.SUCCEEDED).exclude(provider_payment_id="")


def payments_refund_summary(queryset: QuerySet[Payment]) -> RefundSummary:
    """Count, totals per currency, subscriptions that end and Premium days taken back: a few aggregate queries."""
    refundable = payments_refundable(queryset)
    totals = [
        (amount_format(row["total"], row["currency"]), row["currency"], row["count"])
        for row in refundable.order_by()
        .values("currency")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-count", "currency")
    ]
    figures = refundable.aggregate(
        count=Count("pk"),
        subscriptions=Count("subscription", distinct=True, filter=Q(subscription__canceled_at__isnull=True)),
        days=Sum("days", filter=Q(premium_until__isnull=False, user__isnull=False)),
        users=Count("user", distinct=True),
        erased=Count("pk", filter=Q(user__isnull=True)),
    )
    return RefundSummary(
        selected=queryset.count(),
        refundable=figures["count"],
        totals=totals,
        subscriptions_ended=figures["subscriptions"],
        premium_days=figures["days"] or 0,
        users=figures["users"],
        erased_users=figures["erased"],
    )
