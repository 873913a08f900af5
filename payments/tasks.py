"""django-q2 entry points of the payments app that talk only to providers; each may safely run twice.

Whatever the user should hear about goes out through payments.signals and the bot's listeners.
"""

import logging

from payments import selectors, services
from payments.providers import ProviderError, StarsProvider

logger = logging.getLogger(__name__)


def payment_check(payment_id: int) -> str:
    """Look a card payment up at its provider (a notification, or the poll); the status found."""
    try:
        return services.payment_check(payment_id=payment_id).status
    except ProviderError as exc:
        logger.warning("Could not check payment #%s: %s", payment_id, exc)
        return "unavailable"


def payments_poll() -> dict[str, int]:
    """Every few minutes: check open card payments; close Stars invoices nobody paid in time; settle refunds
    the provider did not answer."""
    counts = {"checked": 0, "succeeded": 0, "canceled": 0, "unavailable": 0}
    for payment_id in list(selectors.payments_to_poll().values_list("pk", flat=True)[:500]):
        status = payment_check(payment_id)
        counts["checked"] += 1
        if status in counts:
            counts[status] += 1
    counts["stars_expired"] = services.payments_expire_stale()
    for outcome in services.payments_refunds_settle():
        key = f"refunds_{outcome.state}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def subscription_stop(telegram_id: int, charge_id: str) -> str:
    """Stop a Stars subscription's renewal (its owner erased their data)."""
    try:
        StarsProvider().subscription_set_canceled(user_telegram_id=telegram_id, charge_id=charge_id, canceled=True)
    except ProviderError as exc:
        logger.error("Could not stop the Stars subscription %s: %s", charge_id, exc)
        if exc.retryable:
            raise
        return "failed"
    return "stopped"
