"""Writes of the tarot feature: drawing readings under the daily limit, interpretations, sent-image ids."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from horoscopes.llm import offline_log
from horoscopes.tarot import draw_for_day, draw_spread
from horoscopes.tarot import llm as tarot_llm
from horoscopes.tarot.deck import LANGS
from horoscopes.tarot.interpret import interpret_offline
from horoscopes.tarot.models import TarotCard, TarotDailyCount, TarotImage, TarotReading
from horoscopes.tarot.questions import Concern, question_area, question_clean, question_concern
from horoscopes.tarot.selectors import (
    DELIVERY_STALE_AFTER,
    LIMITED_KINDS,
    PREMIUM_KINDS,
    Allowance,
    drawn_cards,
    tarot_daily_limit,
    tarot_deck,
    tarot_local_date,
)
from payments.selectors import user_is_premium
from users.models import TelegramUser
from users.services import user_state_set

logger = logging.getLogger(__name__)

QUESTION_STATE = "tarot:question"


class TarotError(Exception):
    """A reading could not be drawn; the subclass says why."""


class TarotLimitReached(TarotError):
    """Today's readings are used up."""

    def __init__(self, allowance: Allowance) -> None:
        super().__init__(f"daily limit of {allowance.limit} reached")
        self.allowance = allowance


class TarotPremiumRequired(TarotError):
    """This spread is for Premium users."""


class TarotSensitiveQuestion(TarotError):
    """The question touches a topic the cards should not answer."""

    def __init__(self, concern: Concern) -> None:
        super().__init__(f"sensitive question: {concern}")
        self.concern = concern


@dataclass(frozen=True)
class ReadingDrawn:
    """The outcome of asking for a reading: the reading, whether it is new, and what is left today."""

    reading: TarotReading
    created: bool
    allowance: Allowance


def _cards_json(cards: list) -> list[dict]:
    return [{"key": card.key, "reversed": card.reversed, "position": card.position} for card in cards]


def tarot_day_card_draw(*, user_id: int, local_date: date) -> tuple[TarotReading, bool]:
    """The user's card of the day for a local date, drawn and stored on first request; (reading, created)."""
    existing = TarotReading.objects.filter(user_id=user_id, kind=TarotReading.Kind.DAY, local_date=local_date).first()
    if existing is not None:
        return existing, False
    language = TelegramUser.objects.filter(pk=user_id).values_list("language", flat=True).get()
    # Keyed, so the same user and date always get the same card even if the row is ever lost.
    drawn = draw_for_day(f"{user_id}:{local_date.isoformat()}", secret=settings.TAROT_DAY_SECRET or None)
    try:
        with transaction.atomic():
            reading = TarotReading.objects.create(
                user_id=user_id,
                kind=TarotReading.Kind.DAY,
                local_date=local_date,
                language=language,
                cards=_cards_json([drawn]),
                interpretation_status=TarotReading.Status.NONE,
            )
    except IntegrityError:
        # Two taps at once: the UNIQUE (user, local date) constraint let exactly one of them in.
        return TarotReading.objects.get(user_id=user_id, kind=TarotReading.Kind.DAY, local_date=local_date), False
    return reading, True


def tarot_question_key(*, message_id: int, sent_at: int) -> str:
    """The idempotency key of a reading asked for by one prompt message (its id and when it was sent)."""
    # Message ids never repeat within a Telegram chat; the time guards against test servers that restart them.
    return f"q:{message_id}:{sent_at}"


def tarot_question_ask(*, user: TelegramUser, kind: str, prompt_message_id: int, prompt_sent_at: int) -> TelegramUser:
    """Remember that the user was asked for the question of a reading of this kind, and by which message."""
    if kind not in LIMITED_KINDS:
        raise ValueError(f"readings of kind {kind!r} take no question")
    data = {"kind": kind, "prompt": prompt_message_id, "sent_at": prompt_sent_at}
    return user_state_set(user=user, state=QUESTION_STATE, data=data)


def tarot_question_forget(*, user_id: int) -> int:
    """Stop waiting for a tarot question (the user moved on); rows changed."""
    return TelegramUser.objects.filter(pk=user_id, state__startswith="tarot:").update(state="", state_data={})


@transaction.atomic
def tarot_reading_draw(
    *,
    user_id: int,
    kind: str,
    question: str = "",
    idempotency_key: str,
    local_date: date | None = None,
    rng: random.Random | None = None,
) -> ReadingDrawn:
    """Draw and store a three-card or Celtic cross reading, counted against the user's daily allowance.

    The same idempotency key always yields the same reading (a double tap, a replayed update). The
    per-user daily count row is locked, so two concurrent requests cannot both take the last reading.
    Raises TarotSensitiveQuestion, TarotPremiumRequired or TarotLimitReached instead of drawing.
    """
    if kind not in LIMITED_KINDS:
        raise ValueError(f"unknown reading kind: {kind!r}")
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValueError("an idempotency key of 1-64 characters is required")
    user = TelegramUser.objects.get(pk=user_id)
    local_date = local_date or tarot_local_date(user)
    premium = user_is_premium(user)
    limit = tarot_daily_limit(premium=premium)

    TarotDailyCount.objects.get_or_create(user_id=user_id, local_date=local_date)
    count = TarotDailyCount.objects.select_for_update().get(user_id=user_id, local_date=local_date)

    existing = TarotReading.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return ReadingDrawn(existing, False, Allowance(premium=premium, limit=limit, used=count.readings))

    question = question_clean(question)
    concern = question_concern(question)
    if concern is not None:
        raise TarotSensitiveQuestion(concern)
    if kind in PREMIUM_KINDS and not premium:
        raise TarotPremiumRequired(kind)
    if count.readings >= limit:
        raise TarotLimitReached(Allowance(premium=premium, limit=limit, used=count.readings))

    reading = TarotReading.objects.create(
        user_id=user_id,
        kind=kind,
        local_date=local_date,
        question=question,
        area=question_area(question),
        language=user.language,
        cards=_cards_json(draw_spread(kind, rng=rng)),
        idempotency_key=idempotency_key,
        interpretation_status=TarotReading.Status.PENDING,
    )
    count.readings += 1
    count.save(update_fields=["readings"])
    tarot_question_forget(user_id=user_id)
    return ReadingDrawn(reading, True, Allowance(premium=premium, limit=limit, used=count.readings))


def tarot_image_remember(*, key: str, file_id: str) -> None:
    """Remember the Telegram file id of an image we uploaded, to send it by id next time."""
    if not file_id:
        return
    TarotImage.objects.update_or_create(key=key, defaults={"file_id": file_id})


def tarot_reading_shown(*, reading_id: int, image_file_id: str = "") -> None:
    """The cards are on the user's screen: keep the image's file id (the interpretation is queued next)."""
    if image_file_id:
        TarotReading.objects.filter(pk=reading_id, image_file_id="").update(image_file_id=image_file_id)


def tarot_reading_interpret(*, reading_id: int) -> TarotReading:
    """Write (once) the interpretation of a reading: by the LLM when configured, else by the offline reader."""
    reading = TarotReading.objects.select_related("user").get(pk=reading_id)
    if reading.interpretation_status == TarotReading.Status.DONE or reading.kind not in LIMITED_KINDS:
        return reading
    cards = drawn_cards(reading)
    deck = tarot_deck(card.key for card in cards)
    lang = reading.language if reading.language in LANGS else settings.LANGUAGE_CODE
    started = time.monotonic()
    written = None
    try:
        written = tarot_llm.interpretation(reading=reading, deck=deck)
    except Exception:
        logger.exception("LLM interpretation of tarot reading %s failed; the offline reader takes over", reading_id)
    if written is not None:
        text, model = written
        source = TarotReading.Source.LLM
    else:
        text = interpret_offline(
            spread_key=reading.kind,
            drawn=cards,
            deck=deck,
            area=reading.area,
            lang=lang,
            question=reading.question,
            seed=reading.pk,
        )
        source, model = TarotReading.Source.OFFLINE, ""
        offline_log(kind="tarot", subject=f"reading {reading_id} ({reading.kind}, {lang})", started=started)
    # Only a reading still waiting gets the text: a concurrent run that finished first keeps its own.
    TarotReading.objects.filter(pk=reading_id).exclude(interpretation_status=TarotReading.Status.DONE).update(
        interpretation=text,
        interpretation_status=TarotReading.Status.DONE,
        interpretation_source=source,
        interpretation_model=model[:100],
        interpreted_at=timezone.now(),
    )
    reading.refresh_from_db()
    return reading


def tarot_delivery_claim(*, reading_id: int) -> bool:
    """Take the sending of a written interpretation; False when it was sent or someone is sending it now."""
    now = timezone.now()
    return bool(
        TarotReading.objects.filter(
            pk=reading_id, interpretation_status=TarotReading.Status.DONE, delivered_at__isnull=True
        )
        .filter(Q(delivery_started_at__isnull=True) | Q(delivery_started_at__lt=now - DELIVERY_STALE_AFTER))
        .update(delivery_started_at=now)
    )


def tarot_delivery_finish(*, reading_id: int, delivered: bool) -> None:
    """Record the outcome of sending: sent for good, or released for a later attempt."""
    readings = TarotReading.objects.filter(pk=reading_id)
    if delivered:
        readings.update(delivered_at=timezone.now())
    else:
        readings.update(delivery_started_at=None)


@transaction.atomic
def tarot_card_picture_changed(*, card_id: int) -> TarotCard:
    """A card's picture was uploaded, replaced or removed: images sent before must not be reused."""
    card = TarotCard.objects.select_for_update().get(pk=card_id)
    card.image_version += 1
    card.save(update_fields=["image_version"])
    return card
