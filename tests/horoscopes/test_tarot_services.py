"""Tarot services against the real database: stored draws, idempotency, daily limits, interpretations."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from horoscopes.tarot import SPREADS
from horoscopes.tarot.models import TarotDailyCount, TarotReading
from horoscopes.tarot.questions import Concern
from horoscopes.tarot.selectors import (
    tarot_allowance,
    tarot_history_page,
    tarot_local_date,
    tarot_readings_undelivered,
    tarot_time_to_midnight,
)
from horoscopes.tarot.services import (
    QUESTION_STATE,
    TarotLimitReached,
    TarotPremiumRequired,
    TarotSensitiveQuestion,
    tarot_day_card_draw,
    tarot_delivery_claim,
    tarot_delivery_finish,
    tarot_question_ask,
    tarot_reading_draw,
    tarot_reading_interpret,
)
from tests.concurrency import race
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


# --- card of the day -----------------------------------------------------------------------------------------


def test_card_of_the_day_is_stored_once_and_stays_the_same_all_day():
    user = TelegramUserFactory()
    first, created = tarot_day_card_draw(user_id=user.pk, local_date=TODAY)
    again, created_again = tarot_day_card_draw(user_id=user.pk, local_date=TODAY)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.cards == first.cards
    assert TarotReading.objects.filter(user=user, kind="day").count() == 1
    assert first.language == "ru" and first.interpretation_status == TarotReading.Status.NONE


def test_card_of_the_day_changes_with_the_date_and_between_users():
    user, other = TelegramUserFactory(telegram_id=1), TelegramUserFactory(telegram_id=2)
    days = [tarot_day_card_draw(user_id=user.pk, local_date=TODAY + timedelta(days=i))[0].cards[0] for i in range(8)]
    assert len({(card["key"], card["reversed"]) for card in days}) > 1
    others = [tarot_day_card_draw(user_id=other.pk, local_date=TODAY + timedelta(days=i))[0].cards[0] for i in range(8)]
    assert others != days


def test_card_of_the_day_is_keyed_by_the_secret(settings):
    user = TelegramUserFactory()
    settings.TAROT_DAY_SECRET = "one"
    cards_one = [tarot_day_card_draw(user_id=user.pk, local_date=TODAY + timedelta(days=i))[0].cards for i in range(6)]
    TarotReading.objects.all().delete()
    settings.TAROT_DAY_SECRET = "two"
    cards_two = [tarot_day_card_draw(user_id=user.pk, local_date=TODAY + timedelta(days=i))[0].cards for i in range(6)]
    assert cards_one != cards_two


def test_local_date_and_midnight_follow_the_users_time_zone():
    moment = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    tokyo, moscow, la = (
        TelegramUserFactory(telegram_id=1, current_tz="Asia/Tokyo"),
        TelegramUserFactory(telegram_id=2),
        TelegramUserFactory(telegram_id=3, current_tz="America/Los_Angeles"),
    )
    assert tarot_local_date(tokyo, moment) == date(2026, 11, 23)
    assert tarot_local_date(moscow, moment) == date(2026, 11, 23)
    assert tarot_local_date(la, moment) == date(2026, 11, 22)
    assert tarot_time_to_midnight(la, moment) == timedelta(hours=9, minutes=30)
    assert tarot_time_to_midnight(tokyo, moment) == timedelta(hours=16, minutes=30)


def test_midnight_on_a_dst_night_counts_real_hours():
    berlin = TelegramUserFactory(current_tz="Europe/Berlin")
    # Clocks go back at 03:00 on 2026-10-25: from 00:00 local on the 25th to midnight is 25 real hours.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert tarot_time_to_midnight(berlin, start) == timedelta(hours=25)


# --- readings and limits ----------------------------------------------------------------------------------------


def test_free_user_gets_one_reading_a_day_and_it_resets_on_the_next_local_day(settings):
    settings.TAROT_FREE_DAILY_READINGS = 1
    user = TelegramUserFactory()
    drawn = tarot_reading_draw(
        user_id=user.pk, kind="three", question="Что с работой?", idempotency_key="q:1", local_date=TODAY
    )

    assert drawn.created and drawn.allowance.remaining == 0
    reading = drawn.reading
    assert reading.kind == "three" and reading.area == "work" and reading.question == "Что с работой?"
    assert len(reading.cards) == 3 and len({card["key"] for card in reading.cards}) == 3
    assert reading.interpretation_status == TarotReading.Status.PENDING
    with pytest.raises(TarotLimitReached) as limit:
        tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:2", local_date=TODAY)
    assert (limit.value.allowance.limit, limit.value.allowance.used) == (1, 1)

    tomorrow = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:3", local_date=TODAY + timedelta(1))
    assert tomorrow.created
    assert TarotDailyCount.objects.get(user=user, local_date=TODAY).readings == 1
    assert TarotReading.objects.filter(user=user).count() == 2


def test_same_key_returns_the_same_reading_and_counts_once():
    user = TelegramUserFactory(premium=True)
    first = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:7", local_date=TODAY)
    again = tarot_reading_draw(user_id=user.pk, kind="three", question="other", idempotency_key="q:7", local_date=TODAY)

    assert (first.created, again.created) == (True, False)
    assert again.reading.pk == first.reading.pk and again.reading.cards == first.reading.cards
    assert TarotDailyCount.objects.get(user=user).readings == 1


def test_a_repeat_after_the_limit_still_returns_the_reading():
    user = TelegramUserFactory()
    first = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:1", local_date=TODAY)
    again = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:1", local_date=TODAY)
    assert again.reading.pk == first.reading.pk


def test_celtic_cross_is_for_premium_only(settings):
    settings.TAROT_PREMIUM_DAILY_READINGS = 3
    free, premium = TelegramUserFactory(telegram_id=1), TelegramUserFactory(telegram_id=2, premium=True)
    with pytest.raises(TarotPremiumRequired):
        tarot_reading_draw(user_id=free.pk, kind="celtic_cross", idempotency_key="q:1", local_date=TODAY)
    assert not TarotDailyCount.objects.filter(user=free, readings__gt=0).exists()

    for i in range(3):
        drawn = tarot_reading_draw(
            user_id=premium.pk, kind="celtic_cross" if i % 2 else "three", idempotency_key=f"q:{i}", local_date=TODAY
        )
        assert drawn.allowance.remaining == 2 - i
    celtic = TarotReading.objects.get(user=premium, kind="celtic_cross")
    assert sorted(card["position"] for card in celtic.cards) == list(range(SPREADS["celtic_cross"].size))
    with pytest.raises(TarotLimitReached):
        tarot_reading_draw(user_id=premium.pk, kind="three", idempotency_key="q:9", local_date=TODAY)


def test_expired_premium_falls_back_to_the_free_limit():
    user = TelegramUserFactory()
    user.premium_until = timezone.now() - timedelta(minutes=1)
    user.save()
    with pytest.raises(TarotPremiumRequired):
        tarot_reading_draw(user_id=user.pk, kind="celtic_cross", idempotency_key="q:1", local_date=TODAY)
    assert tarot_allowance(user, local_date=TODAY).limit == 1


@pytest.mark.parametrize(
    ("question", "concern"),
    [
        ("Я не хочу жить", Concern.SELF_HARM),
        ("Will I win in court?", Concern.LEGAL),
        ("Диагноз подтвердится?", Concern.MEDICAL),
    ],
)
def test_sensitive_question_draws_nothing_and_costs_nothing(question, concern):
    user = TelegramUserFactory()
    with pytest.raises(TarotSensitiveQuestion) as raised:
        tarot_reading_draw(user_id=user.pk, kind="three", question=question, idempotency_key="q:1", local_date=TODAY)
    assert raised.value.concern == concern
    assert not TarotReading.objects.exists()
    assert tarot_allowance(user, local_date=TODAY).remaining == 1


def test_drawing_clears_the_question_state():
    user = TelegramUserFactory()
    tarot_question_ask(user=user, kind="three", prompt_message_id=12, prompt_sent_at=1700000000)
    user.refresh_from_db()
    assert (user.state, user.state_data) == (QUESTION_STATE, {"kind": "three", "prompt": 12, "sent_at": 1700000000})

    tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q:12", local_date=TODAY)
    user.refresh_from_db()
    assert (user.state, user.state_data) == ("", {})


def test_draws_are_uniform_enough_through_the_service(settings):
    settings.TAROT_PREMIUM_DAILY_READINGS = 1000
    user = TelegramUserFactory(premium=True)
    rng = random.Random(5)
    reversed_count = 0
    for i in range(200):
        reading = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key=f"k{i}", local_date=TODAY, rng=rng)
        reversed_count += sum(card["reversed"] for card in reading.reading.cards)
    assert 240 < reversed_count < 360  # 600 cards, about half reversed


# --- interpretation and delivery bookkeeping ------------------------------------------------------------------


def test_offline_interpretation_is_written_once_in_the_readings_language(settings):
    settings.LLM_BASE_URL = ""
    user = TelegramUserFactory(language="en")
    drawn = tarot_reading_draw(
        user_id=user.pk, kind="three", question="Will I find love?", idempotency_key="q", local_date=TODAY
    )

    reading = tarot_reading_interpret(reading_id=drawn.reading.pk)

    assert reading.interpretation_status == TarotReading.Status.DONE
    assert reading.interpretation_source == TarotReading.Source.OFFLINE
    assert "Your question: “Will I find love?”" in reading.interpretation
    assert "love and relationships" in reading.interpretation
    written = reading.interpretation
    TarotReading.objects.filter(pk=reading.pk).update(language="ru")
    assert tarot_reading_interpret(reading_id=reading.pk).interpretation == written


def test_delivery_is_claimed_once_and_released_on_failure():
    user = TelegramUserFactory()
    drawn = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="q", local_date=TODAY)
    reading_id = drawn.reading.pk
    assert not tarot_delivery_claim(reading_id=reading_id)  # nothing written yet
    tarot_reading_interpret(reading_id=reading_id)

    assert tarot_delivery_claim(reading_id=reading_id)
    assert not tarot_delivery_claim(reading_id=reading_id)
    tarot_delivery_finish(reading_id=reading_id, delivered=False)
    assert tarot_delivery_claim(reading_id=reading_id)
    tarot_delivery_finish(reading_id=reading_id, delivered=True)
    assert not tarot_delivery_claim(reading_id=reading_id)


def test_undelivered_readings_are_found_for_the_sweep():
    user, blocked = TelegramUserFactory(telegram_id=1), TelegramUserFactory(telegram_id=2)
    blocked.blocked_at = timezone.now()
    blocked.save()
    old = timezone.now() - timedelta(minutes=30)
    stuck = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="a", local_date=TODAY).reading
    fresh = tarot_reading_draw(
        user_id=user.pk, kind="three", idempotency_key="b", local_date=TODAY + timedelta(1)
    ).reading
    ancient = tarot_reading_draw(
        user_id=user.pk, kind="three", idempotency_key="c", local_date=TODAY + timedelta(2)
    ).reading
    of_blocked = tarot_reading_draw(user_id=blocked.pk, kind="three", idempotency_key="d", local_date=TODAY).reading
    TarotReading.objects.filter(pk__in=[stuck.pk, of_blocked.pk]).update(created_at=old)
    TarotReading.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=2))
    tarot_day_card_draw(user_id=user.pk, local_date=TODAY)
    TarotReading.objects.filter(kind="day").update(created_at=old)

    assert tarot_readings_undelivered() == [stuck.pk]
    assert fresh.pk not in tarot_readings_undelivered()


def test_history_pages_newest_first():
    user = TelegramUserFactory(premium=True)
    ids = []
    for i in range(8):
        reading = tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key=f"q{i}", local_date=TODAY).reading
        TarotReading.objects.filter(pk=reading.pk).update(created_at=timezone.now() + timedelta(minutes=i))
        ids.append(reading.pk)
    first = tarot_history_page(user, page=1, per_page=5)
    second = tarot_history_page(user, page=2, per_page=5)
    beyond = tarot_history_page(user, page=99, per_page=5)

    assert (first.pages, first.total) == (2, 8)
    assert [r.pk for r in first.readings] == ids[::-1][:5]
    assert [r.pk for r in second.readings] == ids[::-1][5:]
    assert beyond.page == 2
    assert tarot_history_page(TelegramUserFactory(telegram_id=7), page=1).readings == []


# --- concurrency (PostgreSQL: SQLite serialises writers and has no row locks) ----------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_concurrent_taps_cannot_both_take_the_free_reading(attempt):
    user = TelegramUserFactory(telegram_id=100 + attempt)
    # The count row exists already (an earlier attempt today, e.g. a question answered gently): only the row
    # lock, not the UNIQUE insert, can then keep the two taps apart.
    TarotDailyCount.objects.create(user=user, local_date=TODAY, readings=0)

    results = race(
        lambda i: tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key=f"tap{i}", local_date=TODAY), 2
    )

    drawn = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, TarotLimitReached)]
    assert (len(drawn), len(refused)) == (1, 1), results
    assert TarotReading.objects.filter(user=user).count() == 1
    assert TarotDailyCount.objects.get(user=user).readings == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_of_one_tap_yield_one_reading():
    user = TelegramUserFactory(premium=True)

    results = race(
        lambda i: tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="same", local_date=TODAY), 4
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.reading.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert TarotDailyCount.objects.get(user=user).readings == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts race only on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_card_of_the_day_requests_store_one_card():
    user = TelegramUserFactory()

    results = race(lambda i: tarot_day_card_draw(user_id=user.pk, local_date=TODAY), 4)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({reading.pk for reading, _ in results}) == 1
    assert sum(created for _, created in results) == 1
