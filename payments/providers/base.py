"""The contract every payment provider keeps.

A provider is the edge between our payments and someone else's money: it turns plain values into API
calls and API answers into plain values. It never reads or writes our models and never calls other apps;
payments.services decides what an answer means (confirm, cancel, refund) under a row lock.

Two shapes of provider exist:

* Redirect providers (YooKassa, the fake one): `create` opens a payment at the provider and returns the
  page the user pays on; `fetch` reads a payment's current state. Answers are trusted only when they
  come from `fetch`: a notification is merely a hint to call it.
* Telegram Stars: the bot itself sends the invoice (bot/handlers/payments.py) and Telegram reports the
  charge in an update, so `create` and `fetch` do not apply; refunds, the transaction list and
  subscriptions go through the Bot API.

Every method may raise ProviderError; `retryable` tells a background check whether trying later can help
(network trouble, timeouts, the provider's 5xx) or not (a refused request).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


class ProviderError(Exception):
    """The provider refused a request or could not be reached."""

    def __init__(self, message: str, *, retryable: bool = False, code: str = "") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a fiscal receipt (54-FZ): what was sold and for how much."""

    description: str
    amount: Decimal
    quantity: Decimal = Decimal("1.00")


@dataclass(frozen=True)
class CheckoutRequest:
    """What a redirect provider needs to open a payment."""

    public_id: str
    amount: Decimal
    currency: str
    description: str
    idempotence_key: str
    return_url: str
    receipt_email: str = ""
    receipt_lines: tuple[ReceiptLine, ...] = ()


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as the provider sees it right now."""

    provider_payment_id: str
    # One of "pending", "succeeded", "canceled" (PaymentStatus values); anything else is reported as pending.
    status: str
    amount: Decimal
    currency: str
    # Our public id as the provider stored it with the payment ("" when absent).
    public_id: str
    confirmation_url: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundRequest:
    """A full refund of one charge."""

    provider_payment_id: str
    amount: Decimal
    currency: str
    idempotence_key: str
    # Telegram Stars refunds name the payer.
    user_telegram_id: int | None = None


@dataclass(frozen=True)
class RefundResult:
    """What the provider answered to a refund."""

    refund_id: str
    # The charge had already been refunded before this call (a second click, a retry).
    already_refunded: bool = False
    raw: dict = field(default_factory=dict)


class PaymentProvider:
    """Base class of the providers; see the module docstring for the contract."""

    name: ClassVar[str]
    currency: ClassVar[str]
    # Whether `create`/`fetch` apply (redirect providers) or the bot invoices itself (Stars).
    redirects: ClassVar[bool] = True

    @classmethod
    def is_enabled(cls) -> bool:
        """Whether the operator configured this provider."""
        raise NotImplementedError

    def create(self, request: CheckoutRequest) -> ProviderPayment:
        """Open a payment; the same idempotence key must return the same payment, never a second one."""
        raise NotImplementedError(f"{self.name} does not open payments through its API")

    def fetch(self, provider_payment_id: str) -> ProviderPayment:
        """The payment's current state, straight from the provider."""
        raise NotImplementedError(f"{self.name} does not look payments up through its API")

    def refund(self, request: RefundRequest) -> RefundResult:
        """Return the whole amount of a charge to the payer."""
        raise NotImplementedError
