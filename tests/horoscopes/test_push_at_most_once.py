"""The daily push when Telegram is slow or a worker dies mid-request: at most one message per user and day."""

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.horoscope import tasks as delivery
from bot.sender import Outgoing, SendStatus, send_batch
from horoscopes.daily import services
from horoscopes.daily.models import PushDelivery, PushStatus
from tests.factories import TelegramUserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

MOMENT = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
READ_TIMEOUT = 0.3
LATE_ANSWER = 1.2  # well beyond the read timeout: the request was written, the answer comes too late


def subscribers(count: int) -> list:
    return [
        TelegramUserFactory(
            onboarded=True,
            sign="leo",
            current_tz="Europe/Moscow",
            notify_time=time(9, 0),
            first_seen_at=MOMENT - timedelta(days=30),
        )
        for _ in range(count)
    ]


def delivered_per_chat(api) -> Counter:
    """Messages Telegram accepted, per chat (a late answer still counts: the message was delivered)."""
    return Counter(call.params["chat_id"] for call in api.calls_to("sendMessage") if call.status == 200)


@pytest.fixture
def slow_telegram(bot_settings, settings):
    settings.TELEGRAM_SEND_READ_TIMEOUT = READ_TIMEOUT
    return bot_settings


def test_a_push_whose_answer_never_came_is_uncertain_and_not_sent_again(slow_telegram):
    users = subscribers(4)
    slow_telegram.fail_next("sendMessage", "slow", delay=LATE_ANSWER)

    report = delivery.push_run(now_fn=lambda: MOMENT)
    # The fake answers the slow request after the sender gave up on it: wait until it has.
    slow_telegram.wait_for_calls("sendMessage", count=4, timeout=10)
    later = delivery.push_run(now_fn=lambda: MOMENT + timedelta(minutes=1))

    assert (report.sent, report.uncertain, report.failed) == (3, 1, 0)
    assert later.claimed == 0
    assert delivered_per_chat(slow_telegram) == {user.telegram_id: 1 for user in users}
    statuses = Counter(PushDelivery.objects.values_list("status", flat=True))
    assert statuses == {PushStatus.SENT: 3, PushStatus.UNCERTAIN: 1}
    uncertain = PushDelivery.objects.get(status=PushStatus.UNCERTAIN)
    assert uncertain.sent_at is None and "no answer came" in uncertain.error


def test_without_at_most_once_the_same_slow_answer_means_a_duplicate(slow_telegram):
    # What the push avoids: a one-off message is resent after a read timeout, and arrives twice.
    [user] = subscribers(1)
    slow_telegram.fail_next("sendMessage", "slow", delay=LATE_ANSWER)

    report = send_batch([Outgoing(user.telegram_id, "hello")])
    slow_telegram.wait_for_calls("sendMessage", count=2, timeout=10)

    assert report.sent == 1 and report.network_retries == 1
    assert delivered_per_chat(slow_telegram) == {user.telegram_id: 2}


def test_with_at_most_once_a_lost_connection_before_sending_is_still_retried(slow_telegram):
    # Only a lost answer is uncertain: a request that never reached Telegram (502 here) is sent again.
    [user] = subscribers(1)
    slow_telegram.fail_next("sendMessage", "bad_gateway")

    report = send_batch([Outgoing(user.telegram_id, "hello")], resend_uncertain=False, keep_results=True)

    assert [result.status for result in report.results] == [SendStatus.SENT]
    assert delivered_per_chat(slow_telegram) == {user.telegram_id: 1}


def test_a_row_left_sending_by_a_killed_worker_becomes_uncertain_and_is_not_resent(bot_settings):
    dead, alive = subscribers(2)
    claimed = services.push_claim(run="killed", now=MOMENT)
    row = next(r for r in claimed if r.user_id == dead.pk)
    # The killed worker had handed this one to Telegram; the other was still waiting its turn.
    assert services.push_start_sending(delivery_id=row.pk, token=row.batch, now=MOMENT)

    soon = delivery.push_run(now_fn=lambda: MOMENT + timedelta(seconds=30))
    assert soon.sent == 1
    assert PushDelivery.objects.get(pk=row.pk).status == PushStatus.SENDING  # younger than a task may live

    delivery.push_run(now_fn=lambda: MOMENT + timedelta(minutes=5))

    row.refresh_from_db()
    assert row.status == PushStatus.UNCERTAIN and "worker stopped" in row.error
    assert not bot_settings.sent_to(dead.telegram_id)
    assert delivered_per_chat(bot_settings) == {alive.telegram_id: 1}
    assert not PushDelivery.objects.filter(status=PushStatus.SENDING).exists()
