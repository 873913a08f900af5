"""A fake card provider for the tests and the local console: payments live in this process's memory.

It behaves like a redirect provider (YooKassa's shape): `create` returns a payment page, `fetch` reports
the state. Tests and the console decide what the "user" did with `pay`, `cancel` and `fail_next`.
With `autopay` on (the console: by default outside the tests), a payment counts as paid the first time
it is looked up, as if the person had paid on the page and come back.
"""

import itertools
import threading
from dataclasses import replace
from decimal import Decimal

from django.conf import settings

from payments.providers.base import (
    CheckoutRequest,
    PaymentProvider,
    ProviderError,
    ProviderPayment,
    RefundRequest,
    RefundResult,
)

_lock = threading.Lock()
_payments: dict[str, ProviderPayment] = {}
_by_key: dict[str, str] = {}
_refunded: set[str] = set()
_failures: list[ProviderError] = []
_ids = itertools.count(1)
# None: on outside the tests (the console), off in them; tests set it explicitly.
autopay: bool | None = None


def reset() -> None:
    """Forget every payment and queued failure."""
    global autopay
    with _lock:
        _payments.clear()
        _by_key.clear()
        _refunded.clear()
        _failures.clear()
        autopay = False


def pay(provider_payment_id: str) -> None:
    """The person paid on the provider's page."""
    _set_status(provider_payment_id, "succeeded")


def cancel(provider_payment_id: str) -> None:
    """The person gave up, or the provider cancelled the payment."""
    _set_status(provider_payment_id, "canceled")


def fail_next(*, retryable: bool = True) -> None:
    """Make the next call fail as a network error (retryable) or a refusal."""
    with _lock:
        _failures.append(ProviderError("fake provider failure", retryable=retryable, code="fake"))


def _set_status(provider_payment_id: str, status: str) -> None:
    with _lock:
        _payments[provider_payment_id] = replace(_payments[provider_payment_id], status=status)


def _raise_queued_failure() -> None:
    with _lock:
        failure = _failures.pop(0) if _failures else None
    if failure is not None:
        raise failure


class FakeProvider(PaymentProvider):
    """A card provider that never leaves this process."""

    name = "fake"
    currency = "RUB"

    @classmethod
    def is_enabled(cls) -> bool:
        """On when PAYMENTS_FAKE_PROVIDER is set (development and tests only)."""
        return bool(settings.PAYMENTS_FAKE_PROVIDER)

    def create(self, request: CheckoutRequest) -> ProviderPayment:
        """Open a payment; the same idempotence key returns the same one."""
        _raise_queued_failure()
        with _lock:
            known = _by_key.get(request.idempotence_key)
            if known is not None:
                return _payments[known]
            provider_payment_id = f"fake-{next(_ids):06d}"
            payment = ProviderPayment(
                provider_payment_id=provider_payment_id,
                status="pending",
                amount=request.amount,
                currency=request.currency,
                public_id=request.public_id,
                confirmation_url=f"https://pay.example.com/fake/{provider_payment_id}",
                raw={"id": provider_payment_id, "description": request.description, "email": request.receipt_email},
            )
            _payments[provider_payment_id] = payment
            _by_key[request.idempotence_key] = provider_payment_id
            return payment

    def fetch(self, provider_payment_id: str) -> ProviderPayment:
        """The payment's state (paid at once when autopay is on)."""
        _raise_queued_failure()
        with _lock:
            payment = _payments.get(provider_payment_id)
            if payment is None:
                raise ProviderError(f"no such payment {provider_payment_id}", code="not_found")
            paid_on_sight = autopay if autopay is not None else not settings.TESTING
            if paid_on_sight and payment.status == "pending":
                payment = _payments[provider_payment_id] = replace(payment, status="succeeded")
            return payment

    def refund(self, request: RefundRequest) -> RefundResult:
        """Refund a paid payment once."""
        _raise_queued_failure()
        with _lock:
            payment = _payments.get(request.provider_payment_id)
            if payment is None or payment.status != "succeeded":
                raise ProviderError("payment is not paid", code="not_paid")
            if payment.amount != Decimal(request.amount):
                raise ProviderError("partial refunds are not supported", code="amount")
            already = request.provider_payment_id in _refunded
            _refunded.add(request.provider_payment_id)
        return RefundResult(refund_id=f"refund-{request.provider_payment_id}", already_refunded=already)
