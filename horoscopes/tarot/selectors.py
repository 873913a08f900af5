"""Reads of the tarot feature: the deck with staff edits, daily allowances, history, sent-image ids."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from horoscopes.tarot import Card, DrawnCard, card_by_key, card_keys
from horoscopes.tarot.interpret import interpret_offline
from horoscopes.tarot.models import TarotCard, TarotDailyCount, TarotImage, TarotReading
from payments.selectors import user_is_premium
from users.bot_config import bot_config
from users.models import TelegramUser
from users.selectors import user_local_date, user_local_now

HISTORY_PAGE_SIZE = 6
# Readings that count against the daily allowance; the card of the day is always free.
LIMITED_KINDS = (TarotReading.Kind.THREE, TarotReading.Kind.CELTIC_CROSS)
PREMIUM_KINDS = (TarotReading.Kind.CELTIC_CROSS,)
# A delivery that started this long ago without finishing is taken as abandoned (the worker died).
DELIVERY_STALE_AFTER = timedelta(minutes=5)
# Readings older than this are not interpreted late: the user has moved on.
INTERPRET_GIVE_UP_AFTER = timedelta(days=1)


def tarot_local_date(user: TelegramUser, at: datetime | None = None) -> date:
    """The user's "today" for tarot: the card of the day and the allowance both reset at their midnight."""
    return user_local_date(user, at)


def tarot_time_to_midnight(user: TelegramUser, at: datetime | None = None) -> timedelta:
    """How long until the user's local midnight, when their allowance resets."""
    now = user_local_now(user, at)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
    # Subtract in UTC: within one zone Python subtracts wall clocks and would miss a DST change tonight.
    return max(timedelta(0), midnight.astimezone(UTC) - now.astimezone(UTC))


def tarot_daily_limit(*, premium: bool) -> int:
    """Readings per local day for a free or a Premium user."""
    config = bot_config()
    return config.tarot_premium_daily_readings if premium else config.tarot_free_daily_readings


@dataclass(frozen=True)
class Allowance:
    """Where a user stands with today's readings."""

    premium: bool
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        """Readings left today."""
        return max(0, self.limit - self.used)


def tarot_allowance(user: TelegramUser, *, local_date: date | None = None) -> Allowance:
    """Today's allowance of the user (not locked: for showing, the atomic check is in the service)."""
    local_date = local_date or tarot_local_date(user)
    premium = user_is_premium(user)
    used = (
        TarotDailyCount.objects.filter(user_id=user.pk, local_date=local_date)
        .values_list("readings", flat=True)
        .first()
        or 0
    )
    return Allowance(premium=premium, limit=tarot_daily_limit(premium=premium), used=used)


def tarot_deck(keys: Iterable[str] | None = None) -> dict[str, Card]:
    """Cards by key, with the texts staff edited; the shipped text for any card not in the table."""
    wanted = list(dict.fromkeys(keys)) if keys is not None else list(card_keys())
    rows = TarotCard.objects.filter(key__in=wanted) if keys is not None else TarotCard.objects.all()
    cards = {row.key: row.as_card() for row in rows}
    for key in wanted:
        if key not in cards:
            cards[key] = card_by_key(key)
    return cards


@dataclass(frozen=True)
class CardPicture:
    """A staff-uploaded picture for a card, with its version for cache keys."""

    key: str
    version: int
    data: bytes


@lru_cache(maxsize=80)
def _picture_bytes(name: str, version: int) -> bytes:
    """An uploaded picture's bytes; the version in the key makes a new upload a new entry."""
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def tarot_card_pictures(keys: Iterable[str]) -> dict[str, CardPicture]:
    """Staff-uploaded pictures of these cards, by key (cards without one are left out)."""
    pictures: dict[str, CardPicture] = {}
    rows = TarotCard.objects.filter(key__in=list(keys)).exclude(image="").values_list("key", "image", "image_version")
    for key, name, version in rows:
        try:
            data = _picture_bytes(name, version)
        except OSError:
            continue  # the file went missing from storage: the drawn face stands in
        pictures[key] = CardPicture(key=key, version=version, data=data)
    return pictures


def tarot_picture_versions(keys: Iterable[str]) -> dict[str, int]:
    """The picture version of each card that has a staff picture (for cache keys; no file reads)."""
    return dict(TarotCard.objects.filter(key__in=list(keys)).exclude(image="").values_list("key", "image_version"))


def drawn_cards(reading: TarotReading) -> list[DrawnCard]:
    """The stored cards of a reading, in position order."""
    cards = [
        DrawnCard(key=item["key"], reversed=bool(item["reversed"]), position=int(item["position"]))
        for item in reading.cards
    ]
    return sorted(cards, key=lambda card: card.position)


def tarot_image_key(*, kind: str, cards: list[DrawnCard], lang: str, versions: dict[str, int]) -> str:
    """The cache key of a rendered image: what it shows, in which language, with which card pictures."""
    parts = []
    for card in cards:
        part = card.key + ("-r" if card.reversed else "")
        if card.key in versions:
            part += f"-v{versions[card.key]}"
        parts.append(part)
    key = f"{kind}:{lang}:{'.'.join(parts)}"
    if len(key) > 120:
        key = f"{kind}:{lang}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def tarot_image_file_id(key: str) -> str | None:
    """The Telegram file id of an image already sent, or None."""
    return TarotImage.objects.filter(key=key).values_list("file_id", flat=True).first()


def tarot_reading_for_user(user: TelegramUser, reading_id: int) -> TarotReading | None:
    """One of the user's readings (None when it is not theirs or does not exist)."""
    return TarotReading.objects.filter(user_id=user.pk, pk=reading_id).first()


@dataclass(frozen=True)
class HistoryPage:
    """A page of a user's readings, newest first."""

    readings: list[TarotReading]
    page: int
    pages: int
    total: int


def tarot_history_page(user: TelegramUser, *, page: int = 1, per_page: int = HISTORY_PAGE_SIZE) -> HistoryPage:
    """One page of the user's readings; a page past the end shows the last one."""
    total = TarotReading.objects.filter(user_id=user.pk).count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    readings = list(
        TarotReading.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[start : start + per_page]
    )
    return HistoryPage(readings=readings, page=page, pages=pages, total=total)


def tarot_readings_undelivered(*, at: datetime | None = None) -> list[int]:
    """Readings whose interpretation was never written or sent (a handler or worker died): ids to retry."""
    moment = at or timezone.now()
    return list(
        TarotReading.objects.filter(
            kind__in=LIMITED_KINDS,
            delivered_at__isnull=True,
            created_at__gte=moment - INTERPRET_GIVE_UP_AFTER,
            created_at__lt=moment - DELIVERY_STALE_AFTER,
            user__blocked_at__isnull=True,
        )
        .filter(Q(delivery_started_at__isnull=True) | Q(delivery_started_at__lt=moment - DELIVERY_STALE_AFTER))
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def tarot_user_data_export(user: TelegramUser) -> tuple[str, list[dict]]:
    """The user's readings for /my_data: what was asked, the cards drawn and the interpretation."""
    readings = TarotReading.objects.filter(user_id=user.pk).order_by("created_at", "id")
    exported = []
    for reading in readings:
        exported.append(
            {
                "drawn_at": reading.created_at.isoformat(),
                "kind": reading.kind,
                "local_date": reading.local_date.isoformat(),
                "question": reading.question,
                "cards": [
                    {"position": card.position + 1, "card": card.key, "reversed": card.reversed}
                    for card in drawn_cards(reading)
                ],
                "interpretation": reading.interpretation,
            }
        )
    return "tarot_readings", exported


def tarot_interpretation_in(reading: TarotReading, lang: str) -> str:
    """The reading's interpretation in `lang`: as written, or told again from its cards by the offline reader
    when it was written in another language (the history follows a language switch, nothing leaks)."""
    if not reading.interpretation or reading.language == lang:
        return reading.interpretation
    cards = drawn_cards(reading)
    return interpret_offline(
        spread_key=reading.kind,
        drawn=cards,
        deck=tarot_deck(card.key for card in cards),
        area=reading.area,
        lang=lang,
        question=reading.question,
        seed=reading.pk,
    )
