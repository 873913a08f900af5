"""django-q2 entry points of broadcasts: send what is due (exactly once per recipient), test-send to staff."""

import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django_q.tasks import async_task

from bot.broadcast import texts
from bot.broadcast.keyboards import button_markup
from bot.sender import (
    BatchReport,
    Outgoing,
    SenderNotConfigured,
    SendLease,
    SendStatus,
    send_batch,
    send_one_result,
)
from broadcasts.models import Broadcast, Recipient, RecipientStatus
from broadcasts.selectors import broadcasts_due
from broadcasts.services import (
    broadcast_finish_if_done,
    broadcast_photo_remember,
    recipient_finish,
    recipient_start,
    recipients_due,
    recipients_sending_expire,
    variant_for,
)

logger = logging.getLogger(__name__)

ROW_STATUS = {
    SendStatus.SENT: RecipientStatus.SENT,
    SendStatus.BLOCKED: RecipientStatus.BLOCKED,
    SendStatus.FAILED: RecipientStatus.FAILED,
    SendStatus.UNCERTAIN: RecipientStatus.UNCERTAIN,
}


def broadcasts_send_due() -> list[int]:
    """Every minute: a run for each broadcast with recipients due (a lease keeps it to one run each)."""
    due = broadcasts_due()
    for broadcast_id in due:
        async_task(broadcast_run, broadcast_id, group="broadcasts")
    return due


def _outgoing(broadcast: Broadcast, row: Recipient, photo: bytes | str | None) -> Outgoing | None:
    variant = variant_for(broadcast, row.language)
    if variant is None:
        return None
    keyboard = button_markup(broadcast=broadcast, label=variant.button_text, recipient_id=row.pk)
    return Outgoing(row.user.telegram_id, variant.text, reply_markup=keyboard, photo=photo, ref=row.pk)


def broadcast_run(broadcast_id: int, budget: float | None = None) -> dict:
    """Send the broadcast's due rows for at most `budget` seconds; every row goes out at most once.

    Rows are claimed one by one right before their request (pending -> sending); a run killed mid-way leaves
    at most the messages in flight "sending", which the next run marks uncertain rather than sending twice.
    """
    lease = SendLease(f"broadcast-{broadcast_id}", ttl=30.0)
    if not lease.acquire():
        return {"busy": True}
    started = time.monotonic()
    deadline = started + (budget if budget is not None else settings.BROADCAST_RUN_SECONDS)
    report = BatchReport()
    first_sent = 0
    try:
        recipients_sending_expire(older_than=timedelta(seconds=settings.Q_CLUSTER["timeout"]))
        broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
        if broadcast is None:
            return {"missing": True}
        photo: bytes | str | None = broadcast.photo_file_id or (bytes(broadcast.photo) if broadcast.photo else None)
        rows = recipients_due(broadcast_id=broadcast_id)

        def before_send(message: Outgoing) -> bool:
            return recipient_start(recipient_id=message.ref)

        def on_result(message: Outgoing, status: SendStatus, message_id: int | None) -> None:
            error = "" if status == SendStatus.SENT else f"Telegram: {status}"
            recipient_finish(recipient_id=message.ref, status=ROW_STATUS[status], message_id=message_id, error=error)

        if isinstance(photo, bytes):
            # Upload the picture once; everybody else gets Telegram's file id.
            for row in rows:
                message = _outgoing(broadcast, row, photo)
                if message is None or not before_send(message):
                    continue
                result = send_one_result(message)
                on_result(message, result.status, result.message_id)
                first_sent += result.status == SendStatus.SENT
                if result.photo_file_id:
                    broadcast_photo_remember(broadcast_id=broadcast_id, file_id=result.photo_file_id)
                    photo = result.photo_file_id
                    break
                if time.monotonic() > deadline:
                    break

        def messages() -> Iterator[Outgoing]:
            for row in rows:
                if time.monotonic() > deadline or not lease.renew():
                    return
                message = _outgoing(broadcast, row, photo)
                if message is not None:
                    yield message

        report = send_batch(
            messages(),
            before_send=before_send,
            on_result=on_result,
            resend_uncertain=False,
            shared=True,
            paid=broadcast.paid,
        )
        broadcast_finish_if_done(broadcast_id=broadcast_id)
    except SenderNotConfigured:
        logger.warning("No bot token: broadcast %s not sent", broadcast_id)
    finally:
        lease.release()
    return {
        "sent": report.sent + first_sent,
        "blocked": report.blocked,
        "failed": report.failed,
        "uncertain": report.uncertain,
        "elapsed": round(time.monotonic() - started, 1),
    }


def broadcast_test_send(broadcast_id: int, telegram_id: int) -> list[str]:
    """Send every language variant of a broadcast to one staff member's chat, marked as a test."""
    broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
    if broadcast is None:
        return []
    photo: bytes | str | None = broadcast.photo_file_id or (bytes(broadcast.photo) if broadcast.photo else None)
    outgoing = []
    for variant in broadcast.variants.order_by("language"):
        with translation.override(variant.language):
            header = texts.TEST_HEADER.format(language=variant.get_language_display())
        keyboard = button_markup(broadcast=broadcast, label=variant.button_text, recipient_id=None)
        outgoing.append(Outgoing(telegram_id, f"<i>{header}</i>\n\n{variant.text}", reply_markup=keyboard))
    outcome: list[str] = []
    try:
        if isinstance(photo, bytes) and outgoing:
            # The picture is uploaded once; the other variants reuse Telegram's file id.
            first = send_one_result(replace(outgoing.pop(0), photo=photo))
            outcome.append(str(first.status))
            photo = first.photo_file_id or photo
            broadcast_photo_remember(broadcast_id=broadcast_id, file_id=first.photo_file_id or "")
            time.sleep(settings.TELEGRAM_SEND_CHAT_INTERVAL)  # the next message goes to the same chat
        report = send_batch([replace(message, photo=photo) for message in outgoing], keep_results=True)
    except SenderNotConfigured:
        logger.warning("No bot token: test of broadcast %s not sent", broadcast_id)
        return outcome
    return outcome + [str(result.status) for result in report.results]
