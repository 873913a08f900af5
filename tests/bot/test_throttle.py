"""Abuse limits: one person flooding the bot, replies under Telegram's flood control."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bot.models import RateWindow, TelegramUpdate, UpdateStatus
from bot.throttle import rate_hit, rate_windows_prune
from tests import driver
from tests.concurrency import race
from tests.driver import post, texts_to

pytestmark = pytest.mark.django_db

FLOODER = 7_400_000_001
OTHER = 7_400_000_002
HELP = "Что я умею"


@pytest.fixture
def limit(settings):
    settings.TELEGRAM_USER_RATE_LIMIT = 5
    settings.TELEGRAM_USER_RATE_WINDOW = 60
    return settings


def test_window_counts_and_starts_again():
    now = timezone.now()
    assert [rate_hit(key="k", window=10, now=now + timedelta(seconds=i)) for i in range(3)] == [1, 2, 3]
    assert rate_hit(key="other", window=10, now=now) == 1
    assert rate_hit(key="k", window=10, now=now + timedelta(seconds=10)) == 1  # the window began at `now`
    assert rate_hit(key="k", window=10, now=now + timedelta(seconds=11)) == 2
    assert RateWindow.objects.get(key="k").hits == 2


def test_old_windows_are_pruned():
    rate_hit(key="old", window=10, now=timezone.now() - timedelta(days=3))
    rate_hit(key="new", window=10)
    assert rate_windows_prune() == 1
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["new"]


def test_a_flooding_user_gets_one_polite_answer_and_the_rest_is_skipped(bot_settings, limit, caplog):
    flood = [driver.message("/help", user_id=FLOODER) for _ in range(12)]

    with caplog.at_level(logging.INFO):
        responses = post(*flood, driver.message("/help", user_id=OTHER))

    assert {response.status_code for response in responses} == {200}
    assert [r.json()["result"] for r in responses] == ["processed"] * 5 + ["throttled"] * 7 + ["processed"]
    sent = texts_to(bot_settings, FLOODER)
    assert len(sent) == 6
    assert all(HELP in text for text in sent[:5])
    assert "быстрее" in sent[5]
    assert HELP in texts_to(bot_settings, OTHER)[0]  # someone else is not slowed down
    statuses = list(
        TelegramUpdate.objects.filter(chat_id=FLOODER).order_by("update_id").values_list("status", flat=True)
    )
    assert statuses == [UpdateStatus.DONE] * 5 + [UpdateStatus.THROTTLED] * 7
    assert not TelegramUpdate.objects.filter(status=UpdateStatus.THROTTLED, payload__isnull=False).exists()
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_the_limit_lifts_when_the_window_ends(bot_settings, limit):
    post(*[driver.message("/help", user_id=FLOODER) for _ in range(7)])
    RateWindow.objects.update(started_at=timezone.now() - timedelta(seconds=61))

    [response] = post(driver.message("/help", user_id=FLOODER))

    assert response.json()["result"] == "processed"
    assert len(texts_to(bot_settings, FLOODER)) == 5 + 1 + 1


def test_button_presses_count_and_the_answer_is_a_toast_in_english(bot_settings, limit):
    presses = [driver.callback("gone:1", user_id=FLOODER, language_code="en") for _ in range(7)]

    responses = post(*presses)

    assert [r.json()["result"] for r in responses] == ["processed"] * 5 + ["throttled"] * 2
    answers = bot_settings.calls_to("answerCallbackQuery")
    assert len(answers) == 6
    assert answers[-1].params["show_alert"] is True
    assert "faster than I can read" in answers[-1].params["text"]


def test_payments_are_never_throttled(bot_settings, limit):
    post(*[driver.message("/help", user_id=FLOODER) for _ in range(7)])

    checkout, paid = post(
        driver.load("pre_checkout_query", user_id=FLOODER), driver.load("successful_payment", user_id=FLOODER)
    )

    assert (checkout.json()["result"], paid.json()["result"]) == ("processed", "processed")
    assert bot_settings.calls_to("answerPreCheckoutQuery")


def test_redelivery_of_a_throttled_update_stays_skipped(bot_settings, limit):
    flood = [driver.message("/help", user_id=FLOODER) for _ in range(7)]
    post(*flood)
    RateWindow.objects.update(started_at=timezone.now() - timedelta(seconds=61))

    [again] = post(flood[-1])

    assert again.json()["result"] == "duplicate"
    assert len(texts_to(bot_settings, FLOODER)) == 6


def test_limit_zero_turns_it_off(bot_settings, settings):
    settings.TELEGRAM_USER_RATE_LIMIT = 0
    responses = post(*[driver.message("/help", user_id=FLOODER) for _ in range(25)])

    assert {r.json()["result"] for r in responses} == {"processed"}
    assert not RateWindow.objects.exists()


def test_a_reply_refused_with_429_is_sent_again_after_retry_after(bot_settings, caplog):
    bot_settings.fail_next("sendMessage", "retry_after", retry_after=1)

    with caplog.at_level(logging.WARNING):
        [response] = post(driver.message("/help", user_id=OTHER))

    assert response.json()["result"] == "processed"
    calls = [call.status for call in bot_settings.calls_to("sendMessage")]
    assert calls == [429, 200]
    assert TelegramUpdate.objects.get().status == UpdateStatus.DONE
    assert not caplog.records


def test_a_long_flood_wait_gives_up_without_a_traceback(bot_settings, settings, caplog):
    settings.TELEGRAM_REPLY_MAX_WAIT = 5
    bot_settings.fail_next("sendMessage", "retry_after", retry_after=30)

    with caplog.at_level(logging.WARNING):
        [response] = post(driver.message("/help", user_id=OTHER))

    assert response.status_code == 200
    claim = TelegramUpdate.objects.get()
    assert (claim.status, claim.error.startswith("RetryAfter")) == (UpdateStatus.FAILED, True)
    assert [call.status for call in bot_settings.calls_to("sendMessage")] == [429]  # no apology into the flood
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None and "flood control" in record.getMessage()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are only real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted():
    results = race(lambda i: [rate_hit(key="shared", window=60) for _ in range(5)], 8)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sorted(count for counts in results for count in counts) == list(range(1, 41))
