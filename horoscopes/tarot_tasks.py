"""django-q2 entry points of the tarot feature: they take ids, and each may safely run twice."""

from __future__ import annotations

import logging

from django.utils import translation

from horoscopes.models import TarotReading
from horoscopes.tarot_selectors import tarot_readings_undelivered
from horoscopes.tarot_services import tarot_delivery_claim, tarot_delivery_finish, tarot_interpretation_enqueue
from horoscopes.tarot_services import tarot_reading_interpret as _interpret

logger = logging.getLogger(__name__)


def tarot_reading_interpret(reading_id: int) -> str:
    """Write a reading's interpretation (once) and send it to the user (once); the outcome, for the task log."""
    from bot.handlers.tarot import interpretation_keyboard
    from bot.sender import Outgoing, SendStatus, send_one

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
