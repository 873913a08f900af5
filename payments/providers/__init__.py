"""Payment providers: Telegram Stars (default), YooKassa (optional) and a fake one (tests, console)."""

from payments.providers.base import (
    CheckoutRequest,
    PaymentProvider,
    ProviderError,
    ProviderPayment,
    ReceiptLine,
    RefundRequest,
    RefundResult,
)
from payments.providers.fake import FakeProvider
from payments.providers.stars import StarsInvoice, StarsProvider, StarTransaction
from payments.providers.yookassa import YooKassaProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {
    StarsProvider.name: StarsProvider,
    YooKassaProvider.name: YooKassaProvider,
    FakeProvider.name: FakeProvider,
}


def provider_get(name: str) -> PaymentProvider:
    """The provider of this name (whether or not it is enabled: old payments still need it)."""
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise ValueError(f"unknown payment provider {name!r}") from None


def card_provider() -> PaymentProvider | None:
    """The provider for paying in roubles: YooKassa when configured, else the fake one when enabled."""
    for cls in (YooKassaProvider, FakeProvider):
        if cls.is_enabled():
            return cls()
    return None


__all__ = [
    "PROVIDERS",
    "CheckoutRequest",
    "FakeProvider",
    "PaymentProvider",
    "ProviderError",
    "ProviderPayment",
    "ReceiptLine",
    "RefundRequest",
    "RefundResult",
    "StarTransaction",
    "StarsInvoice",
    "StarsProvider",
    "YooKassaProvider",
    "card_provider",
    "provider_get",
]
