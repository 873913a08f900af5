"""What staff read when a provider refuses or cannot be reached: a sentence in their language per known code."""

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from payments.providers import ProviderError

# Telegram's refundStarPayment / editUserStarSubscription errors (as providers.stars reports them),
# YooKassa's API error codes and refund cancellation reasons, and our own providers' codes.
PROVIDER_ERRORS: dict[str, Promise] = {
    "CHARGE_ALREADY_REFUNDED": _("Telegram says this charge has already been refunded."),
    "CHARGE_NOT_FOUND": _("Telegram does not know this charge: check the charge id."),
    "CHARGE_ID_INVALID": _("Telegram does not accept this charge id."),
    "CHARGE_ID_EMPTY": _("The payment has no Telegram charge id."),
    "REFUND_PERIOD_EXPIRED": _("Telegram no longer allows refunding this charge: the refund period is over."),
    "USER_ID_INVALID": _("Telegram does not know the payer: the account may have been deleted."),
    "PEER_ID_INVALID": _("Telegram does not know the payer: the account may have been deleted."),
    "USER_NOT_FOUND": _("Telegram does not know the payer: the account may have been deleted."),
    "BALANCE_TOO_LOW": _("The bot's Stars balance is too low for this refund."),
    "STARS_BALANCE_TOO_LOW": _("The bot's Stars balance is too low for this refund."),
    "SUBSCRIPTION_NOT_FOUND": _("Telegram does not know this subscription."),
    "forbidden": _("Telegram refused: the bot may have been blocked or its token revoked."),
    "network": _("The provider did not answer in time. The refund is pending and will be checked again."),
    "not_configured": _("This provider is not configured on the server."),
    "no_user": _("The payer's Telegram id is unknown, so Telegram cannot refund this charge."),
    "invalid_request": _("YooKassa rejected the request as invalid."),
    "invalid_credentials": _("YooKassa rejected the shop id or secret key."),
    "not_found": _("The provider does not know this payment."),
    "too_many_requests": _("The provider asks to slow down: try again in a minute."),
    "internal_server_error": _("The provider had an internal error: try again later."),
    "refund_canceled": _("YooKassa declined the refund."),
    "insufficient_funds": _("The shop's YooKassa balance is too low for this refund."),
    "general_decline": _("YooKassa declined the refund without giving a reason."),
    "rejected_by_payee": _("The payer's bank declined the refund."),
    "yoo_money_account_closed": _("The payer's YooMoney wallet is closed."),
    "not_paid": _("The provider says this payment is not paid."),
    "amount": _("The provider does not accept a refund of this amount."),
    "fake": _("The test provider failed on purpose."),
}


def provider_error_text(error: ProviderError | None, code: str = "") -> str:
    """A sentence for staff about a provider error (the raw code goes to the audit and the hover text)."""
    code = (error.code if error is not None else "") or code
    known = PROVIDER_ERRORS.get(code)
    if known is not None:
        return str(known)
    if error is not None and error.retryable:
        return str(PROVIDER_ERRORS["network"])
    return gettext("The provider refused with an error we do not know (code %(code)s).") % {"code": code or "—"}
