"""django-q2 entry point of the support inbox: deliver a staff answer to the user, at most once."""

import html
import logging

from django.utils import translation

from bot.sender import Outgoing, SenderNotConfigured, SendStatus, send_batch
from bot.support import texts
from support.selectors import support_reply_pending
from support.services import support_reply_claim, support_reply_delivered

logger = logging.getLogger(__name__)


def support_reply_deliver(message_id: int) -> str:
    """Send a staff answer; a second run (a retry, a double submit, a worker killed mid-send) sends nothing."""
    outcome: dict[str, object] = {}
    pending = support_reply_pending(message_id=message_id)
    if pending is None:
        return "already sent or being sent"
    user = pending.request.user
    with translation.override(user.language):
        body = texts.ANSWER.format(text=html.escape(pending.text, quote=False))

    def before_send(_message: Outgoing) -> bool:
        # The row is marked "sending" once the message has its slot, right before the request.
        return support_reply_claim(message_id=message_id) is not None

    def on_result(_message: Outgoing, status: SendStatus, sent_id: int | None) -> None:
        outcome["status"], outcome["id"] = status, sent_id

    try:
        report = send_batch(
            [Outgoing(chat_id=user.telegram_id, text=body)],
            before_send=before_send,
            on_result=on_result,
            keep_results=True,
            resend_uncertain=False,
        )
    except SenderNotConfigured:
        logger.warning("No bot token: support answer #%s not sent", message_id)
        return "no bot token"
    status = outcome.get("status")
    if status is None:
        return "already sent or being sent"
    if status == SendStatus.SENT:
        support_reply_delivered(message_id=message_id, telegram_message_id=outcome.get("id"))  # type: ignore[arg-type]
    else:
        detail = report.results[0].error if report.results else ""
        support_reply_delivered(message_id=message_id, error=f"{status}: {detail}" if detail else str(status))
    return str(status)
