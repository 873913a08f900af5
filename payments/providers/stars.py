"""Telegram Stars through the Bot API: refunds, the transaction list and subscriptions.

This is the payments app's adapter to Telegram, as yookassa.py is its adapter to YooKassa: it opens a
short-lived python-telegram-bot `Bot` for each call (inside `asyncio.run`, never shared across event
loops) and returns plain values. Invoices themselves are sent by the bot's payment handlers.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.conf import settings
from telegram import Bot
from telegram import StarTransaction as StarTransactionData
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from payments.providers.base import PaymentProvider, ProviderError, RefundRequest, RefundResult

T = TypeVar("T")

# Telegram's page size for getStarTransactions.
TRANSACTIONS_PAGE = 100


@dataclass(frozen=True)
class StarsInvoice:
    """Everything sendInvoice / createInvoiceLink need for a Stars invoice (no provider token, one price)."""

    title: str
    description: str
    payload: str
    label: str
    amount: int
    subscription_period: int | None = None

    def as_kwargs(self) -> dict:
        """Keyword arguments for Bot.send_invoice / Bot.create_invoice_link (prices as plain dicts)."""
        from telegram import LabeledPrice

        kwargs: dict[str, object] = {
            "title": self.title,
            "description": self.description,
            "payload": self.payload,
            "currency": "XTR",
            "prices": [LabeledPrice(self.label, self.amount)],
        }
        if self.subscription_period:
            kwargs["subscription_period"] = self.subscription_period
        return kwargs


@dataclass(frozen=True)
class StarTransaction:
    """One entry of getStarTransactions that matters to us: a user paying or getting a refund."""

    charge_id: str
    amount: int
    date: datetime
    user_telegram_id: int | None
    # "payment" (a user paid an invoice) or "refund" (we paid a user back).
    kind: str
    invoice_payload: str = ""
    subscription_period: int | None = None
    raw: dict = field(default_factory=dict)


def _run(call: Callable[[Bot], Awaitable[T]]) -> T:
    async def main() -> T:
        timeout = settings.PAYMENTS_TELEGRAM_TIMEOUT
        bot = Bot(
            token=settings.TELEGRAM_BOT_TOKEN,
            base_url=settings.TELEGRAM_API_BASE_URL,
            base_file_url=settings.TELEGRAM_API_FILE_URL,
            request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout),
        )
        async with bot:
            return await call(bot)

    if not settings.TELEGRAM_BOT_TOKEN:
        raise ProviderError("TELEGRAM_BOT_TOKEN is not set", code="not_configured")
    try:
        return asyncio.run(main())
    except BadRequest as exc:
        raise ProviderError(exc.message, code=_code(exc.message)) from exc
    except Forbidden as exc:
        raise ProviderError(exc.message, code="forbidden") from exc
    except (TimedOut, NetworkError, RetryAfter) as exc:
        raise ProviderError(str(exc), retryable=True, code="network") from exc
    except TelegramError as exc:
        raise ProviderError(str(exc), retryable=True) from exc


def _seconds(period: timedelta | int | None) -> int | None:
    # PTB reports periods as timedelta (or int seconds, depending on its settings).
    if period is None:
        return None
    return int(period.total_seconds()) if isinstance(period, timedelta) else int(period)


def _code(message: str) -> str:
    # Telegram answers e.g. "Bad Request: CHARGE_ALREADY_REFUNDED"; PTB strips the prefix and capitalizes.
    word = message.removeprefix("Bad Request: ").split(":")[0].strip().upper()
    return word if re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", word) else ""


class StarsProvider(PaymentProvider):
    """Telegram Stars (XTR): the default provider, needs only the bot token."""

    name = "stars"
    currency = "XTR"
    redirects = False

    @classmethod
    def is_enabled(cls) -> bool:
        """On unless the operator switched it off."""
        return bool(settings.PAYMENTS_STARS_ENABLED)

    def refund(self, request: RefundRequest) -> RefundResult:
        """refundStarPayment; a charge Telegram already refunded counts as refunded."""
        payer = request.user_telegram_id
        if payer is None:
            raise ProviderError("a Stars refund needs the payer's Telegram id", code="no_user")
        try:
            _run(
                lambda bot: bot.refund_star_payment(
                    user_id=payer, telegram_payment_charge_id=request.provider_payment_id
                )
            )
        except ProviderError as exc:
            if exc.code == "CHARGE_ALREADY_REFUNDED":
                return RefundResult(refund_id=request.provider_payment_id, already_refunded=True)
            raise
        return RefundResult(refund_id=request.provider_payment_id)

    def transactions(self, *, offset: int, limit: int = TRANSACTIONS_PAGE) -> list[StarTransaction]:
        """One page of the bot's Stars transactions, oldest first, from `offset`."""
        result = _run(lambda bot: bot.get_star_transactions(offset=offset, limit=limit))
        return [_transaction(tx) for tx in result.transactions]

    def subscription_set_canceled(self, *, user_telegram_id: int, charge_id: str, canceled: bool) -> None:
        """Stop (or allow again) the renewal of a user's Stars subscription."""
        _run(
            lambda bot: bot.edit_user_star_subscription(
                user_id=user_telegram_id, telegram_payment_charge_id=charge_id, is_canceled=canceled
            )
        )


def _transaction(tx: StarTransactionData) -> StarTransaction:
    source = getattr(tx, "source", None)
    receiver = getattr(tx, "receiver", None)
    partner = source or receiver
    user = getattr(partner, "user", None)
    date = tx.date if tx.date.tzinfo else tx.date.replace(tzinfo=UTC)
    if source is not None and getattr(source, "invoice_payload", None) is not None:
        kind = "payment"
    elif receiver is not None and user is not None:
        kind = "refund"
    else:
        kind = "other"
    return StarTransaction(
        charge_id=tx.id,
        amount=int(tx.amount),
        date=date,
        user_telegram_id=user.id if user is not None else None,
        kind=kind,
        invoice_payload=getattr(source, "invoice_payload", None) or "",
        subscription_period=_seconds(getattr(source, "subscription_period", None)),
        raw=tx.to_dict(),
    )
