"""Writes of the payments app: every change of a payment's status goes through here.

Confirming locks the payment row and returns early when the charge is already recorded, so a replayed
Telegram update, a repeated YooKassa notification and a background check that all report the same
charge, even at the same moment, end in exactly one extension of Premium. Provider calls (network) are
made outside our transactions, refunds included: a refund is claimed first, so two clicks cannot refund
twice.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext
from django_q.tasks import async_task

from payments.errors import provider_error_text
from payments.models import (
    OPEN_STATUSES,
    STARS_SUBSCRIPTION_PERIOD,
    Currency,
    Payment,
    PaymentStatus,
    Plan,
    PremiumNotice,
    Provider,
    ReminderKind,
    StarsLedgerCursor,
    Subscription,
)
from payments.providers import (
    CheckoutRequest,
    ProviderError,
    ReceiptLine,
    RefundRequest,
    RefundResult,
    StarsProvider,
    StarTransaction,
    provider_get,
)
from payments.signals import payment_granted, payment_refunded
from users.audit import audit_record
from users.models import TelegramUser
from users.services import user_premium_extend

logger = logging.getLogger(__name__)

# The reconciliation re-reads this many transactions before its cursor: cheap, and safe if Telegram's
# list ever shifts.
RECONCILE_OVERLAP = 100


class PaymentRefused(Exception):
    """A request about a payment that cannot be done (wrong state, unknown plan, ...)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class ConfirmResult:
    """What a confirmation did."""

    payment: Payment
    # This call extended Premium (False for a replay, a charge we could not match, ...).
    granted: bool
    premium_until: datetime | None = None
    # A Stars subscription renewal (as opposed to its first payment or a one-off purchase).
    renewal: bool = False
    # The charge could not be matched to a payment of ours: recorded for staff, nothing granted.
    unmatched: bool = False


@dataclass(frozen=True)
class CheckResult:
    """What a background check of a redirect payment found."""

    payment: Payment
    status: str
    granted: bool = False
    premium_until: datetime | None = None


@dataclass
class ReconcileReport:
    """What the daily Stars reconciliation found and did."""

    read: int = 0
    granted: list[str] = field(default_factory=list)
    refunds_recorded: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def differences(self) -> bool:
        """Whether anything did not match."""
        return bool(self.granted or self.refunds_recorded or self.problems)


def payer_ref(telegram_id: int) -> str:
    """A stable pseudonym for a payer (kept when the person erases their data)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"payer:{telegram_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


# --- Creating payments ---------------------------------------------------------------------------------


def payment_create(*, user_id: int, plan_id: int, provider: str, receipt_email: str = "") -> Payment:
    """A new payment for an active plan, priced in the provider's currency at today's price."""
    plan = Plan.objects.filter(pk=plan_id, is_active=True).first()
    if plan is None:
        raise PaymentRefused("plan_unavailable")
    price: int | Decimal | None
    if provider == Provider.STARS:
        price, currency = plan.price_stars, Currency.XTR
    else:
        price, currency = plan.price_rub, Currency.RUB
        if plan.is_subscription:
            raise PaymentRefused("plan_unavailable", "subscriptions are paid in Stars")
    if not price:
        raise PaymentRefused("plan_unavailable", f"the plan has no price for {provider}")
    payment = Payment(
        user_id=user_id,
        plan=plan,
        provider=provider,
        amount=Decimal(price),
        currency=currency,
        days=plan.days,
        receipt_email=receipt_email,
    )
    if provider != Provider.STARS:
        # Deterministic, so that a retried create at the provider returns the same payment.
        payment.idempotence_key = f"astrobot-{payment.public_id}"
    payment.save()
    return payment


def payment_mark_invoiced(*, payment_id: int) -> bool:
    """The invoice went out: the payment now waits for the user (created -> pending)."""
    return bool(
        Payment.objects.filter(pk=payment_id, status=PaymentStatus.CREATED).update(
            status=PaymentStatus.PENDING, updated_at=timezone.now()
        )
    )


def payment_fail(*, payment_id: int, error: str) -> bool:
    """The payment could not even be offered (invoice or provider refused): created -> failed."""
    return bool(
        Payment.objects.filter(pk=payment_id, status=PaymentStatus.CREATED).update(
            status=PaymentStatus.FAILED, error=error[:255], updated_at=timezone.now()
        )
    )


def payment_checkout_open(*, payment_id: int, return_url: str) -> Payment:
    """Open a created card payment at its provider and remember the payment page (created -> pending)."""
    payment = Payment.objects.select_related("plan").get(pk=payment_id)
    if payment.status != PaymentStatus.CREATED:
        return payment
    provider = provider_get(payment.provider)
    description = f"Astrobot Premium: {payment.plan.name_ru if payment.plan else payment.days} ({payment.public_id})"
    request = CheckoutRequest(
        public_id=payment.public_id,
        amount=payment.amount,
        currency=payment.currency,
        description=description,
        idempotence_key=payment.idempotence_key,
        return_url=return_url,
        receipt_email=payment.receipt_email,
        receipt_lines=(ReceiptLine(f"Astrobot Premium: {payment.plan.name_ru}", payment.amount),)
        if payment.plan
        else (),
    )
    try:
        remote = provider.create(request)
    except ProviderError as exc:
        if not exc.retryable:
            payment_fail(payment_id=payment.pk, error=str(exc))
        raise
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status == PaymentStatus.CREATED:
            payment.provider_payment_id = remote.provider_payment_id
            payment.confirmation_url = remote.confirmation_url
            payment.raw = {"created": remote.raw}
            payment.status = PaymentStatus.PENDING
            payment.save(update_fields=["provider_payment_id", "confirmation_url", "raw", "status", "updated_at"])
    return payment


# --- Confirming ----------------------------------------------------------------------------------------


def _grant(payment: Payment, *, user_id: int | None, now: datetime) -> datetime | None:
    """Extend the payer's Premium by the payment's days; the new end."""
    if user_id is None or not payment.days:
        return None
    user = user_premium_extend(user_id=user_id, days=payment.days, now=now)
    return user.premium_until


@transaction.atomic
def payment_confirm(
    *,
    payment_id: int,
    provider_payment_id: str,
    amount: Decimal,
    currency: str,
    raw: dict,
    now: datetime | None = None,
) -> ConfirmResult:
    """The provider says this payment is paid: record it and extend Premium, exactly once."""
    now = now or timezone.now()
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return ConfirmResult(payment, granted=False, premium_until=payment.premium_until)
    if Decimal(amount) != payment.amount or currency != payment.currency:
        raise PaymentRefused("amount_mismatch", f"{amount} {currency} instead of {payment.amount} {payment.currency}")
    payment.provider_payment_id = provider_payment_id
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = now
    payment.error = ""
    payment.raw = {**payment.raw, "paid": raw}
    payment.premium_until = _grant(payment, user_id=payment.user_id, now=now)
    payment.save()
    logger.info(
        "Payment %s confirmed (%s): Premium until %s", payment.public_id, payment.provider, payment.premium_until
    )
    return ConfirmResult(payment, granted=payment.premium_until is not None, premium_until=payment.premium_until)


@transaction.atomic
def payment_confirm_stars(
    *,
    payload: str,
    user_id: int,
    charge_id: str,
    amount: int,
    currency: str,
    is_recurring: bool = False,
    subscription_expires_at: datetime | None = None,
    raw: dict | None = None,
    now: datetime | None = None,
) -> ConfirmResult:
    """A Telegram Stars charge (successful_payment, or found by the reconciliation): record and grant once.

    Keyed by the charge id, UNIQUE per provider. The payload is our payment's public id; a charge for a
    payment that is already paid is a subscription renewal (or, were it ever to happen, a second payment
    of one invoice) and becomes a payment of its own. The Premium goes to the user who paid.
    """
    now = now or timezone.now()
    raw = raw or {}
    existing = Payment.objects.filter(provider=Provider.STARS, provider_payment_id=charge_id).first()
    if existing is not None:
        return ConfirmResult(existing, granted=False, premium_until=existing.premium_until)
    payment = Payment.objects.select_for_update().filter(provider=Provider.STARS, public_id=payload).first()
    # Under the lock: a concurrent delivery of the same charge may have recorded it while we waited.
    existing = Payment.objects.filter(provider=Provider.STARS, provider_payment_id=charge_id).first()
    if existing is not None:
        return ConfirmResult(existing, granted=False, premium_until=existing.premium_until)
    if payment is None or currency != Currency.XTR:
        return _stars_unmatched(payload, user_id, charge_id, amount, currency, raw, now, "unknown payload")
    if payment.user_id is not None and payment.user_id != user_id:
        logger.warning("Stars payment %s was paid by user #%s, not its owner #%s", payload, user_id, payment.user_id)

    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        renewal = bool(is_recurring and payment.subscription_id)
        if not renewal:
            logger.warning("A second charge %s for the already paid Stars payment %s", charge_id, payload)
        payment = Payment(
            user_id=user_id,
            payer_ref=payment.payer_ref,
            plan_id=payment.plan_id,
            provider=Provider.STARS,
            amount=payment.amount,
            currency=payment.currency,
            days=payment.days,
            subscription_id=payment.subscription_id if renewal else None,
            is_recurring=renewal,
        )
    else:
        renewal = False
    if Decimal(amount) != payment.amount:
        return _stars_unmatched(payload, user_id, charge_id, amount, currency, raw, now, "amount differs")

    payment.user_id = payment.user_id or user_id
    payment.provider_payment_id = charge_id
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = now
    payment.error = ""
    payment.raw = {**payment.raw, "paid": raw}
    if renewal and payment.subscription_id is not None:
        Subscription.objects.filter(pk=payment.subscription_id).update(
            expires_at=subscription_expires_at or now + timedelta(seconds=STARS_SUBSCRIPTION_PERIOD), renewed_at=now
        )
    elif payment.plan is not None and payment.plan.is_subscription:
        payment.subscription = Subscription.objects.create(
            user_id=user_id,
            plan=payment.plan,
            charge_id=charge_id,
            expires_at=subscription_expires_at or now + timedelta(seconds=STARS_SUBSCRIPTION_PERIOD),
            created_at=now,
        )
    payment.premium_until = _grant(payment, user_id=user_id, now=now)
    payment.save()
    logger.info("Stars payment %s confirmed (charge %s, renewal %s)", payment.public_id, charge_id, renewal)
    return ConfirmResult(payment, granted=True, premium_until=payment.premium_until, renewal=renewal)


def _stars_unmatched(
    payload: str,
    user_id: int,
    charge_id: str,
    amount: int,
    currency: str,
    raw: dict,
    now: datetime,
    reason: str,
) -> ConfirmResult:
    """Money arrived that we cannot match to an offer: keep a record for staff, grant nothing."""
    logger.error("Unmatched Stars charge %s (payload %r, user #%s): %s", charge_id, payload, user_id, reason)
    payment = Payment(
        user_id=user_id,
        provider=Provider.STARS,
        amount=Decimal(max(int(amount), 1)),
        currency=currency if currency in Currency.values else Currency.XTR,
        days=0,
        status=PaymentStatus.SUCCEEDED,
        provider_payment_id=charge_id,
        paid_at=now,
        error=f"unmatched: {reason}"[:255],
        raw={"paid": raw, "payload": payload},
    )
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        # The same charge delivered twice at once: the other delivery recorded it.
        existing = Payment.objects.get(provider=Provider.STARS, provider_payment_id=charge_id)
        return ConfirmResult(existing, granted=False)
    return ConfirmResult(payment, granted=False, unmatched=True)


def payment_cancel(*, payment_id: int, reason: str = "", raw: dict | None = None) -> bool:
    """The provider cancelled the payment, or it expired unpaid: open -> canceled."""
    updates = {"status": PaymentStatus.CANCELED, "error": reason[:255], "updated_at": timezone.now()}
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status not in OPEN_STATUSES:
            return False
        if raw:
            updates["raw"] = {**payment.raw, "canceled": raw}
        Payment.objects.filter(pk=payment_id).update(**updates)
    return True


def _announce(signal: Signal, payment_id: int) -> None:
    """Tell whoever listens (the bot, to write to the user) once the current transaction has committed."""
    transaction.on_commit(lambda: signal.send(sender=Payment, payment_id=payment_id))


def payment_check(*, payment_id: int, now: datetime | None = None) -> CheckResult:
    """Ask a redirect provider about an open payment and confirm or cancel it accordingly.

    The one path for a YooKassa notification, the background poll and the user's "I have paid" button:
    whatever the trigger said, only what the provider's API answers now counts, and only when it names
    our payment with our amount.
    """
    payment = Payment.objects.get(pk=payment_id)
    if payment.status not in OPEN_STATUSES or not payment.provider_payment_id:
        return CheckResult(payment, payment.status)
    provider = provider_get(payment.provider)
    remote = provider.fetch(payment.provider_payment_id)
    if (
        remote.provider_payment_id != payment.provider_payment_id
        or remote.public_id != payment.public_id
        or remote.amount != payment.amount
        or remote.currency != payment.currency
    ):
        logger.error(
            "Provider data for payment %s does not match (id %s, ours %r, %s %s)",
            payment.public_id,
            remote.provider_payment_id,
            remote.public_id,
            remote.amount,
            remote.currency,
        )
        return CheckResult(payment, "mismatch")
    if remote.status == PaymentStatus.SUCCEEDED:
        result = payment_confirm(
            payment_id=payment.pk,
            provider_payment_id=remote.provider_payment_id,
            amount=remote.amount,
            currency=remote.currency,
            raw=remote.raw,
            now=now,
        )
        if result.granted:
            _announce(payment_granted, result.payment.pk)
        return CheckResult(result.payment, PaymentStatus.SUCCEEDED, result.granted, result.premium_until)
    if remote.status == PaymentStatus.CANCELED:
        details = (remote.raw.get("cancellation_details") or {}).get("reason", "")
        payment_cancel(payment_id=payment.pk, reason=f"canceled by provider: {details}".strip(), raw=remote.raw)
        payment.refresh_from_db()
        return CheckResult(payment, PaymentStatus.CANCELED)
    return CheckResult(payment, PaymentStatus.PENDING)


def payments_expire_stale(*, now: datetime | None = None) -> int:
    """Close Stars invoices nobody paid in time (paying one later is refused at pre-checkout), and card
    payments that never got a payment page (the provider was down; the user was told to try again)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.PAYMENTS_INVOICE_TTL_HOURS)
    invoices = Payment.objects.filter(provider=Provider.STARS, status__in=OPEN_STATUSES, created_at__lt=cutoff).update(
        status=PaymentStatus.CANCELED, error="invoice expired unpaid", updated_at=now
    )
    unopened = (
        Payment.objects.filter(
            status=PaymentStatus.CREATED, provider_payment_id="", created_at__lt=now - timedelta(hours=1)
        )
        .exclude(provider=Provider.STARS)
        .update(status=PaymentStatus.FAILED, error="no payment page: the provider did not answer", updated_at=now)
    )
    return invoices + unopened


# --- Refunds -------------------------------------------------------------------------------------------


def _mark_refunded(payment: Payment, *, raw: dict, now: datetime) -> datetime | None:
    """Record the refund and take back the payment's days (Premium never ends earlier than now)."""
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = now
    payment.raw = {**payment.raw, "refund": raw}
    payment.save(update_fields=["status", "refunded_at", "raw", "updated_at"])
    user_id = payment.user_id
    if user_id is None or not payment.days or payment.premium_until is None:
        return None
    before = TelegramUser.objects.select_for_update().get(pk=user_id).premium_until
    user = user_premium_extend(user_id=user_id, days=-payment.days, now=now)
    floor = min(before, now) if before else now
    if user.premium_until is None or user.premium_until < floor:
        user.premium_until = floor
        user.save(update_fields=["premium_until"])
    if user.premium_until <= now:
        # The refund notice says Premium has ended: no separate "Premium ended" notice for this end.
        PremiumNotice.objects.get_or_create(
            user_id=user_id,
            kind=ReminderKind.ENDED,
            days_before=0,
            premium_until=user.premium_until,
            defaults={"status": "refund"},
        )
    return user.premium_until


class RefundState:
    """How a refund attempt ended."""

    REFUNDED = "refunded"
    # Already refunded, or claimed by another click or the reconciliation: nothing done by this call.
    ALREADY = "already"
    # The provider did not answer (timeout, network, its 5xx): the refund stays pending and the
    # reconciliation asks again; the provider's idempotence makes asking again safe.
    PENDING = "pending"
    # The provider refused: the payment is paid again, nothing was taken back.
    REFUSED = "refused"


@dataclass(frozen=True)
class RefundOutcome:
    """What a refund did."""

    payment: Payment
    # This call recorded the refund (False: already recorded, still pending, or refused).
    changed: bool
    premium_until: datetime | None = None
    state: str = RefundState.REFUNDED
    # The provider's error when state is pending or refused.
    error: ProviderError | None = None


def _refund_claim(*, payment_id: int, staff_id: int | None, reason: str, now: datetime) -> Payment | None:
    """Claim a paid payment for a refund (succeeded -> refunding) in one short statement; None if not ours."""
    claimed = Payment.objects.filter(pk=payment_id, status=PaymentStatus.SUCCEEDED, provider_payment_id__gt="").update(
        status=PaymentStatus.REFUNDING,
        refund_started_at=now,
        refund_requested_by_id=staff_id,
        refund_reason=reason[:255],
        refund_error="",
        updated_at=now,
    )
    if not claimed:
        return None
    return Payment.objects.select_related("user", "subscription", "subscription__user").get(pk=payment_id)


def _refund_at_provider(payment: Payment) -> RefundResult:
    """Stop the subscription this charge belongs to, then return the money; no transaction is open here.

    Both calls are idempotent at the provider (Telegram answers CHARGE_ALREADY_REFUNDED, YooKassa keys the
    refund by our idempotence key), so the reconciliation may repeat them after a lost answer.
    """
    payer = payment.user.telegram_id if payment.user else payment.payer_telegram_id
    subscription = payment.subscription
    if subscription is not None and payment.provider == Provider.STARS and payer is not None:
        try:
            StarsProvider().subscription_set_canceled(
                user_telegram_id=payer, charge_id=subscription.charge_id, canceled=True
            )
        except ProviderError as exc:
            if exc.retryable:
                raise
            # An ended or unknown subscription renews nothing: the refund itself still goes ahead.
            logger.warning("Could not stop subscription %s before a refund: %s", subscription.charge_id, exc)
    return provider_get(payment.provider).refund(
        RefundRequest(
            provider_payment_id=payment.provider_payment_id,
            amount=payment.amount,
            currency=payment.currency,
            idempotence_key=f"astrobot-refund-{payment.public_id}",
            user_telegram_id=payer,
        )
    )


def _refund_finish(*, payment_id: int, result: RefundResult, now: datetime) -> RefundOutcome:
    """Record a refund the provider made: refunding -> refunded, subscription ended, Premium taken back."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment_id)
        if payment.status == PaymentStatus.REFUNDED:
            return RefundOutcome(payment, changed=False, state=RefundState.ALREADY)
        until = _mark_refunded(
            payment,
            raw={"refund_id": result.refund_id, "already": result.already_refunded, **result.raw},
            now=now,
        )
        _subscription_end(payment, now=now)
        if payment.user_id:
            _announce(payment_refunded, payment.pk)
    logger.info("Payment %s refunded", payment.public_id)
    return RefundOutcome(payment, changed=True, premium_until=until)


def _subscription_end(payment: Payment, *, now: datetime) -> None:
    """A refunded subscription charge: no further renewals (cancelled at Telegram before the refund), and the
    refunded period is over."""
    if payment.subscription_id is None:
        return
    Subscription.objects.filter(pk=payment.subscription_id, canceled_at__isnull=True).update(canceled_at=now)
    Subscription.objects.filter(pk=payment.subscription_id, expires_at__gt=now).update(expires_at=now)


def _refund_release(*, payment_id: int, error: ProviderError) -> Payment:
    """The provider refused: refunding -> succeeded again, with the provider's code kept for staff."""
    Payment.objects.filter(pk=payment_id, status=PaymentStatus.REFUNDING).update(
        status=PaymentStatus.SUCCEEDED, refund_error=(error.code or "refused")[:64], updated_at=timezone.now()
    )
    return Payment.objects.get(pk=payment_id)


def _refund_run(payment: Payment, *, now: datetime) -> RefundOutcome:
    try:
        result = _refund_at_provider(payment)
    except ProviderError as exc:
        if exc.retryable:
            Payment.objects.filter(pk=payment.pk, status=PaymentStatus.REFUNDING).update(
                refund_error=(exc.code or "network")[:64], updated_at=timezone.now()
            )
            logger.warning("Refund of %s pending: the provider did not answer (%s)", payment.public_id, exc)
            payment.refresh_from_db()
            return RefundOutcome(payment, changed=False, state=RefundState.PENDING, error=exc)
        logger.warning("Refund of %s refused by the provider: %s", payment.public_id, exc)
        return RefundOutcome(
            _refund_release(payment_id=payment.pk, error=exc), changed=False, state=RefundState.REFUSED, error=exc
        )
    return _refund_finish(payment_id=payment.pk, result=result, now=now)


def payment_refund(
    *, payment_id: int, staff_id: int | None = None, reason: str = "", now: datetime | None = None
) -> RefundOutcome:
    """Staff refund: claim the payment, ask the provider with no transaction open, record the answer.

    A claim is one conditional UPDATE, so of two clicks (or two staff members) only one reaches the
    provider, and no lock is held while the provider answers (on SQLite that would stall every writer).
    A crash or timeout after the claim leaves the payment "refund pending" for payments_refunds_settle.
    """
    now = now or timezone.now()
    payment = _refund_claim(payment_id=payment_id, staff_id=staff_id, reason=reason, now=now)
    if payment is None:
        current = Payment.objects.get(pk=payment_id)
        if current.status in (PaymentStatus.REFUNDED, PaymentStatus.REFUNDING):
            return RefundOutcome(current, changed=False, state=RefundState.ALREADY)
        raise PaymentRefused("not_paid", "only a paid payment can be refunded")
    return _refund_run(payment, now=now)


def payments_refunds_settle(*, older_than: timedelta = timedelta(minutes=2), now: datetime | None = None) -> list:
    """Reconciliation: ask the provider again about refunds left pending (a timeout, a crash mid-refund)."""
    now = now or timezone.now()
    outcomes = []
    stale = Payment.objects.filter(status=PaymentStatus.REFUNDING, refund_started_at__lt=now - older_than)
    for payment_id in list(stale.order_by("refund_started_at").values_list("pk", flat=True)[:100]):
        # Re-claimed by moving the marker, so that two overlapping runs do not both ask.
        if not Payment.objects.filter(
            pk=payment_id, status=PaymentStatus.REFUNDING, refund_started_at__lt=now - older_than
        ).update(refund_started_at=now):
            continue
        payment = Payment.objects.select_related("user", "subscription").get(pk=payment_id)
        outcome = _refund_run(payment, now=now)
        if payment.refund_requested_by_id and outcome.state in (RefundState.REFUNDED, RefundState.REFUSED):
            audit_record(
                staff_id=payment.refund_requested_by_id,
                obj=outcome.payment,
                message=refund_audit_message(outcome, reason=payment.refund_reason, settled=True),
            )
        outcomes.append(outcome)
    return outcomes


def refund_audit_message(outcome: RefundOutcome, *, reason: str = "", settled: bool = False) -> str:
    """One line for the payment's history, in the active language: the result, the provider's raw code, the
    staff member's reason."""
    results = {
        RefundState.REFUNDED: gettext("Refunded %(amount)s."),
        RefundState.ALREADY: gettext("Refund of %(amount)s: already refunded or pending, nothing done."),
        RefundState.PENDING: gettext("Refund of %(amount)s pending: the provider did not answer."),
        RefundState.REFUSED: gettext("Refund of %(amount)s refused by the provider."),
    }
    parts = [results[outcome.state] % {"amount": outcome.payment.amount_display()}]
    if settled:
        parts.append(gettext("Settled by the background check."))
    if outcome.error is not None:
        parts.append(f"{provider_error_text(outcome.error)} [{outcome.error.code or '-'}: {outcome.error}]")
    if reason:
        parts.append(gettext("Reason: %(reason)s") % {"reason": reason})
    return " ".join(parts)[:1000]


def payment_record_refund(
    *, provider: str, provider_payment_id: str, raw: dict, now: datetime | None = None
) -> RefundOutcome | None:
    """A refund the provider reported (Telegram's refunded_payment, the reconciliation): recorded once.

    None when no payment of ours has that charge id.
    """
    now = now or timezone.now()
    if not provider_payment_id:
        return None
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider, provider_payment_id=provider_payment_id)
            .first()
        )
        if payment is None:
            logger.error("Refund reported for an unknown %s charge %s", provider, provider_payment_id)
            return None
        if payment.status == PaymentStatus.REFUNDED:
            return RefundOutcome(payment, changed=False)
        ours = payment.status == PaymentStatus.REFUNDING
        until = _mark_refunded(payment, raw=raw, now=now)
        if ours:
            # Our own refund, whose answer was lost: its subscription was cancelled at Telegram before it.
            _subscription_end(payment, now=now)
    logger.info("Refund of payment %s recorded from %s", payment.public_id, provider)
    return RefundOutcome(payment, changed=True, premium_until=until)


# --- Stars subscriptions -------------------------------------------------------------------------------


def subscription_set_renewal(*, subscription_id: int, renews: bool, now: datetime | None = None) -> Subscription:
    """Record that auto-renewal was switched off (or back on) at Telegram."""
    subscription = Subscription.objects.get(pk=subscription_id)
    subscription.canceled_at = None if renews else (now or timezone.now())
    subscription.save(update_fields=["canceled_at"])
    return subscription


def subscription_cancel(*, subscription_id: int, renews: bool = False) -> Subscription:
    """Staff: stop (or restore) a Stars subscription's renewal through the Bot API, then record it."""
    subscription = Subscription.objects.select_related("user").get(pk=subscription_id)
    if subscription.user is None:
        raise PaymentRefused("no_user", "the subscriber erased their data")
    StarsProvider().subscription_set_canceled(
        user_telegram_id=subscription.user.telegram_id, charge_id=subscription.charge_id, canceled=not renews
    )
    return subscription_set_renewal(subscription_id=subscription_id, renews=renews)


# --- Reconciliation ------------------------------------------------------------------------------------


def stars_reconcile(*, provider: StarsProvider | None = None, now: datetime | None = None) -> ReconcileReport:
    """Read Telegram's Stars transactions since last time; grant charges we never saw, record refunds."""
    provider = provider or StarsProvider()
    now = now or timezone.now()
    report = ReconcileReport()
    cursor, _ = StarsLedgerCursor.objects.get_or_create(name="stars")
    offset = max(0, cursor.offset - RECONCILE_OVERLAP)
    while True:
        page = provider.transactions(offset=offset)
        for tx in page:
            _reconcile_one(tx, report, now)
        offset += len(page)
        report.read += len(page)
        if len(page) < 100:
            break
    StarsLedgerCursor.objects.filter(pk=cursor.pk).update(offset=max(offset, cursor.offset), updated_at=now)
    if report.differences:
        logger.warning(
            "Stars reconciliation: granted %s, refunds %s, problems %s",
            report.granted,
            report.refunds_recorded,
            report.problems,
        )
    return report


def _reconcile_one(tx: StarTransaction, report: ReconcileReport, now: datetime) -> None:
    known = Payment.objects.filter(provider=Provider.STARS, provider_payment_id=tx.charge_id).first()
    if tx.kind == "payment":
        if known is not None:
            if int(known.amount) != tx.amount:
                report.problems.append(f"{tx.charge_id}: {tx.amount} ⭐ at Telegram, {int(known.amount)} ⭐ here")
            return
        user = (
            TelegramUser.objects.filter(telegram_id=tx.user_telegram_id).first()
            if tx.user_telegram_id is not None
            else None
        )
        if user is None:
            report.problems.append(f"{tx.charge_id}: paid by an unknown user {tx.user_telegram_id}")
            return
        try:
            result = payment_confirm_stars(
                payload=tx.invoice_payload,
                user_id=user.pk,
                charge_id=tx.charge_id,
                amount=tx.amount,
                currency=Currency.XTR,
                is_recurring=tx.subscription_period is not None,
                raw={"reconciled": tx.raw},
                now=now,
            )
        except IntegrityError:
            return  # recorded by a concurrent update in the meantime
        if result.unmatched:
            report.problems.append(f"{tx.charge_id}: paid {tx.amount} ⭐ for unknown payload {tx.invoice_payload!r}")
        elif result.granted:
            report.granted.append(result.payment.public_id)
            _announce(payment_granted, result.payment.pk)
    elif (
        tx.kind == "refund" and known is not None and known.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDING)
    ):
        outcome = payment_record_refund(provider=Provider.STARS, provider_payment_id=tx.charge_id, raw=tx.raw, now=now)
        if outcome is not None and outcome.changed:
            report.refunds_recorded.append(known.public_id)
            _announce(payment_refunded, known.pk)


# --- Premium notices -----------------------------------------------------------------------------------


def premium_notice_claim(*, user_id: int, kind: str, days_before: int, premium_until: datetime) -> bool:
    """Claim the right to send one notice; False when it was claimed before (it goes out at most once)."""
    try:
        with transaction.atomic():
            PremiumNotice.objects.create(
                user_id=user_id, kind=kind, days_before=days_before, premium_until=premium_until, status="sending"
            )
    except IntegrityError:
        return False
    return True


def premium_notice_done(*, user_id: int, kind: str, days_before: int, premium_until: datetime, status: str) -> None:
    """Record how sending a claimed notice went."""
    PremiumNotice.objects.filter(
        user_id=user_id, kind=kind, days_before=days_before, premium_until=premium_until
    ).update(status=status[:16])


# --- Privacy ---------------------------------------------------------------------------------------------


def payments_export(user: TelegramUser) -> tuple[str, list[dict]]:
    """The user's payments for /my_data."""
    rows = []
    for payment in Payment.objects.filter(user=user).select_related("plan").order_by("created_at"):
        rows.append(
            {
                "id": payment.public_id,
                "plan": payment.plan.name_en if payment.plan else "",
                "provider": payment.provider,
                "amount": str(payment.amount),
                "currency": payment.currency,
                "status": payment.status,
                "receipt_email": payment.receipt_email,
                "created_at": payment.created_at.isoformat(),
                "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
                "refunded_at": payment.refunded_at.isoformat() if payment.refunded_at else None,
                "premium_until": payment.premium_until.isoformat() if payment.premium_until else None,
            }
        )
    return "payments", rows


def payments_erase(user: TelegramUser) -> None:
    """/delete_me: payments stay for accounting, detached from the person; auto-renewal is stopped."""
    reference = payer_ref(user.telegram_id)
    # A Stars refund names the payer: paid Stars payments keep the Telegram id (and the charge id).
    Payment.objects.filter(
        user=user,
        provider=Provider.STARS,
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDING),
    ).update(payer_telegram_id=user.telegram_id)
    for payment in Payment.objects.filter(user=user).only("pk", "raw"):
        # Raw provider data holds names and usernames; keep only the ids accounting needs.
        payment.raw = {"erased": True, "ids": _raw_ids(payment.raw)}
        payment.save(update_fields=["raw"])
    Payment.objects.filter(user=user).update(user=None, payer_ref=reference, receipt_email="")
    telegram_id = user.telegram_id
    for subscription in Subscription.objects.filter(user=user, canceled_at__isnull=True):
        transaction.on_commit(
            partial(
                async_task,
                "payments.tasks.subscription_stop",
                telegram_id=telegram_id,
                charge_id=subscription.charge_id,
            )
        )
    Subscription.objects.filter(user=user).update(user=None, canceled_at=timezone.now())


def _raw_ids(raw: object) -> dict:
    found: dict = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"id", "telegram_payment_charge_id", "provider_payment_charge_id", "refund_id"} and (
                    isinstance(value, str)
                ):
                    found.setdefault(key, value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(raw)
    return found
