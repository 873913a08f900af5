"""django-q2 entry points of the tarot feature that end in a message: they take ids and may safely run twice."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation
from django_q.tasks import async_task

from bot.sender import Outgoing, SendStatus, send_one
from bot.tarot.keyboards import interpretation_keyboard
from horoscopes.tarot.models import TarotReading
from horoscopes.tarot.selectors import tarot_readings_undelivered
from horoscopes.tarot.services import tarot_delivery_claim, tarot_delivery_finish
from horoscopes.tarot.services import tarot_reading_interpret as _interpret

logger = logging.getLogger(__name__)


def tarot_interpretation_enqueue(*, reading_id: int) -> None:
    """Queue the background interpretation of a reading once the current transaction commits."""
    # Robust: a failure to queue is logged, not raised into the handler; the sweep schedule retries it.
    transaction.on_commit(
        lambda: async_task(tarot_reading_interpret, reading_id, task_name=f"tarot-reading-{reading_id}", group="tarot"),
        robust=True,
    )


def tarot_reading_interpret(reading_id: int) -> str:
    """Write a reading's interpretation (once) and send it to the user (once); the outcome, for the task log."""
    reading = _interpret(reading_id=reading_id)
    if reading.interpretation_status != TarotReading.Status.DONE:
        return "nothing to send"
    if not tarot_delivery_claim(reading_id=reading_id):
        return "already sent or being sent"
    user = reading.user
    status = SendStatus.FAILED
    try:
        with translation.override(user.language or reading.language):
            keyboard = interpretation_keyboard()
        # The sender splits a long reading on paragraph boundaries and puts the buttons under the last part.
        status = send_one(Outgoing(chat_id=user.telegram_id, text=reading.interpretation, reply_markup=keyboard))
        return str(status)
    finally:
        # Released unless sent, so the sweep (or a retry of this task) tries again later.
        tarot_delivery_finish(reading_id=reading_id, delivered=status == SendStatus.SENT)


def tarot_interpretations_sweep() -> int:
    """Queue readings whose interpretation never arrived (a handler or worker died mid-way); how many."""
    ids = tarot_readings_undelivered()
    for reading_id in ids:
        tarot_interpretation_enqueue(reading_id=reading_id)
    if ids:
        logger.info("Queued %d tarot interpretations that never arrived", len(ids))
    return len(ids)
