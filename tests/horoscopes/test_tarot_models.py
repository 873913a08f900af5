"""The deck in the database: seeded complete from the shipped data, idempotently, and editable by staff."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from horoscopes.tarot import card_keys, load_deck
from horoscopes.tarot.deck import AREAS, LANGS, ORIENTATIONS
from horoscopes.tarot.models import TarotCard
from horoscopes.tarot.seed import tarot_deck_seed
from horoscopes.tarot.selectors import tarot_deck
from tests.factories import TarotReadingFactory, TelegramUserFactory

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def test_seed_creates_all_78_cards_with_every_field_in_both_languages():
    TarotCard.objects.all().delete()  # the migration seeded them already
    assert tarot_deck_seed() == 78
    assert tarot_deck_seed() == 0

    rows = list(TarotCard.objects.order_by("order"))
    assert [row.key for row in rows] == list(card_keys())
    assert sum(row.arcana == "major" for row in rows) == 22
    for suit in ("wands", "cups", "swords", "pentacles"):
        assert [row.number for row in rows if row.suit == suit] == list(range(1, 15))
    for row, shipped in zip(rows, load_deck(), strict=True):
        card = row.as_card()
        assert card == shipped
        for lang in LANGS:
            assert card.name[lang] and card.astrology[lang]
            for orientation in ORIENTATIONS:
                assert len(card.keywords[orientation][lang]) >= 3
                for area in AREAS:
                    text = card.meanings[orientation][area][lang]
                    assert len(text) > 40
                    assert bool(CYRILLIC.search(text)) == (lang == "ru")


def test_seed_is_idempotent_and_keeps_staff_edits():
    tarot_deck_seed()
    TarotCard.objects.filter(key="the_star").update(name_ru="Звезда надежды", upright_general_en="Edited.")
    TarotCard.objects.filter(key="the_moon").delete()

    assert tarot_deck_seed() == 1
    assert tarot_deck_seed() == 0

    assert TarotCard.objects.count() == 78
    star = TarotCard.objects.get(key="the_star")
    assert (star.name_ru, star.upright_general_en) == ("Звезда надежды", "Edited.")
    assert TarotCard.objects.get(key="the_moon").name_en == "The Moon"


def test_seed_runs_with_historical_models_like_a_migration():
    from django.apps import apps

    TarotCard.objects.all().delete()
    assert tarot_deck_seed(apps, None) == 78


def test_deck_selector_reads_staff_texts_and_falls_back_to_shipped_data():
    assert tarot_deck(["the_fool"])["the_fool"].name["ru"] == "Шут"  # nothing seeded yet
    tarot_deck_seed()
    TarotCard.objects.filter(key="the_fool").update(keywords_upright_en="leap, trust ,, wonder")

    card = tarot_deck(["the_fool", "the_sun"])["the_fool"]

    assert card.keyword_list(reversed=False, lang="en") == ["leap", "trust", "wonder"]
    assert len(tarot_deck()) == 78


def test_one_card_of_the_day_per_user_and_local_date():
    user = TelegramUserFactory(telegram_id=1)
    today = timezone.localdate()
    cards = [{"key": "the_fool", "reversed": False, "position": 0}]
    TarotReadingFactory(user=user, kind="day", local_date=today, cards=cards)
    TarotReadingFactory(user=user, kind="three", local_date=today, cards=cards, idempotency_key="a")
    TarotReadingFactory(user=user, kind="three", local_date=today, cards=cards, idempotency_key="b")

    with pytest.raises(IntegrityError), transaction.atomic():
        TarotReadingFactory(user=user, kind="day", local_date=today, cards=cards)
    with pytest.raises(IntegrityError), transaction.atomic():
        TarotReadingFactory(user=user, kind="three", local_date=today, cards=cards, idempotency_key="a")
