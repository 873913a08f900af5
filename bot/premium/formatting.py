"""Premium wording built from data: dates in the user's calendar and the refund notice (handlers and tasks)."""

from datetime import datetime

from django.utils.formats import date_format

from bot.premium import texts as t
from payments import selectors
from payments.models import Payment
from users.models import TelegramUser
from users.selectors import user_local_now


def user_date(user: TelegramUser, moment: datetime | None) -> str:
    """A moment as the user's calendar date, e.g. "12 марта 2026" or "12 March 2026"."""
    if moment is None:
        # Callers show dates they have just checked (an active Premium, a subscription's end).
        raise ValueError("No date to show")
    return date_format(user_local_now(user, moment), "j E Y")


def refund_text(user: TelegramUser, payment: Payment) -> str:
    """The refund notice in the active language."""
    lines = [t.REFUNDED.format(amount=payment.amount_display(), order=payment.public_id)]
    if selectors.user_is_premium(user):
        lines.append(t.REFUNDED_PREMIUM_LEFT.format(date=user_date(user, user.premium_until)))
    elif payment.days:
        lines.append(str(t.REFUNDED_PREMIUM_ENDED))
    if payment.subscription_id is not None:
        lines.append(str(t.REFUNDED_SUBSCRIPTION_ENDED))
    return "\n".join(lines)
