"""Broadcasts through the real sender against the fake Bot API enforcing Telegram's limits."""

import io
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from bot.broadcast.tasks import broadcast_run, broadcast_test_send, broadcasts_send_due
from bot.console.fake_api import FakeBotAPI
from bot.models import SendShare
from bot.sender import Outgoing, send_batch
from broadcasts.models import BroadcastStatus, Recipient, RecipientStatus, StaffChat
from broadcasts.services import broadcast_pause, broadcast_schedule
from broadcasts.services import broadcast_test_send as queue_test_send
from tests import driver
from tests.broadcasts.conftest import make_broadcast
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


@pytest.fixture
def strict_api(settings):
    with FakeBotAPI(enforce_limits=True) as api:
        settings.TELEGRAM_BOT_TOKEN = api.token
        settings.TELEGRAM_API_BASE_URL = api.base_url
        settings.TELEGRAM_API_FILE_URL = api.base_file_url
        yield api
        assert api.errors == []


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def started(**fields: object):
    broadcast = make_broadcast(**fields)
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    return broadcast


def test_every_recipient_gets_their_language_once_with_the_picture_uploaded_once_and_a_button(strict_api):
    ru = TelegramUserFactory.create_batch(3, language="ru")
    en = TelegramUserFactory.create_batch(2, language="en")
    broadcast = make_broadcast(button_kind="action", button_action="tarot")
    broadcast.photo = png()
    broadcast.save()
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)

    report = broadcast_run(broadcast.pk)
    again = broadcast_run(broadcast.pk)

    assert report["sent"] == 5 and again["sent"] == 0
    for user, word in [(u, "Полнолуние") for u in ru] + [(u, "Full moon") for u in en]:
        [call] = strict_api.sent_to(user.telegram_id)
        assert call.method == "sendPhoto" and word in call.params["caption"]
        assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"bc:{broadcast.pk}"
    uploads = [c for c in strict_api.calls_to("sendPhoto") if not isinstance(c.params.get("photo"), str)]
    assert len(uploads) == 1  # everybody after the first gets Telegram's file id
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE and broadcast.photo_file_id
    assert set(Recipient.objects.values_list("status", flat=True)) == {RecipientStatus.SENT}


def test_blocked_chats_are_marked_and_counted(strict_api):
    users = TelegramUserFactory.create_batch(3)
    strict_api.block_chat(users[0].telegram_id)
    broadcast = started()

    broadcast_run(broadcast.pk)

    assert Recipient.objects.get(user=users[0]).status == RecipientStatus.BLOCKED
    assert TelegramUser.objects.get(pk=users[0].pk).blocked_at is not None
    assert Recipient.objects.filter(status=RecipientStatus.SENT).count() == 2


def test_a_429_is_obeyed_and_the_message_sent_once(strict_api):
    TelegramUserFactory()
    broadcast = started()
    strict_api.fail_next("sendMessage", "retry_after", retry_after=1)

    broadcast_run(broadcast.pk)

    [row] = Recipient.objects.all()
    assert row.status == RecipientStatus.SENT
    assert [c.status for c in strict_api.calls_to("sendMessage")] == [429, 200]


def test_a_paused_broadcast_sends_nothing_until_resumed(strict_api):
    TelegramUserFactory.create_batch(2)
    broadcast = started(send_at=timezone.now() + timedelta(seconds=1))
    broadcast_pause(broadcast_id=broadcast.pk, staff_id=None)

    assert broadcast_run(broadcast.pk)["sent"] == 0
    assert strict_api.calls_to("sendMessage") == []


def test_the_minute_schedule_runs_what_is_due(strict_api):
    TelegramUserFactory.create_batch(2)
    broadcast = started()
    assert broadcasts_send_due() == [broadcast.pk]  # tasks run inline in tests
    assert Recipient.objects.filter(status=RecipientStatus.SENT).count() == 2
    assert broadcasts_send_due() == []


def test_paid_broadcast_asks_for_allow_paid_broadcast(strict_api):
    TelegramUserFactory()
    broadcast = started(paid=True)
    broadcast_run(broadcast.pk)
    [call] = strict_api.calls_to("sendMessage")
    assert call.params["allow_paid_broadcast"] is True
    assert strict_api.paid_sent == 1


def test_test_send_goes_to_the_staff_members_chat_in_every_language(strict_api, django_user_model):
    staff = django_user_model.objects.create_user("marketer", is_staff=True)
    broadcast = make_broadcast(button_kind="url", button_url="https://example.com")
    TelegramUserFactory()

    queue_test_send(broadcast_id=broadcast.pk, staff_id=staff.pk, telegram_id=4242)
    broadcast_test_send(broadcast.pk, 4242)  # what the queued task does

    texts = [c.params["text"] for c in strict_api.sent_to(4242)]
    assert len(texts) == 2 and any("Full moon" in t for t in texts) and any("Полнолуние" in t for t in texts)
    assert StaffChat.objects.get(user=staff).telegram_id == 4242
    assert Recipient.objects.count() == 0  # nobody else


def test_the_button_counts_the_press_and_opens_tarot(bot_settings):
    user = TelegramUserFactory(onboarded=True, born=True)
    broadcast = started(button_kind="action", button_action="tarot")
    Recipient.objects.filter(user=user).update(status=RecipientStatus.SENT, sent_at=timezone.now())
    dialog = driver.Dialog.of(bot_settings, user)

    shown = dialog.press_data(f"bc:{broadcast.pk}")
    dialog.press_data(f"bc:{broadcast.pk}")

    assert shown and any("арт" in text.lower() or "tarot" in text.lower() for text in shown)
    assert Recipient.objects.get(user=user).clicked_at is not None
    dialog.press_data("bc:nonsense")  # a forged press is answered, not an error


@pytest.mark.django_db(transaction=True)
def test_two_mass_senders_in_two_threads_share_the_bot_rate(strict_api):
    if connection.vendor == "sqlite":
        pytest.skip("concurrency through the database is claimed for PostgreSQL")
    results = []

    def batch(offset: int) -> None:
        try:
            results.append(send_batch((Outgoing(900_000 + offset + i, "hi") for i in range(45)), shared=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=batch, args=(offset,)) for offset in (0, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(report.sent for report in results) == 90
    assert strict_api.throttled == 0 and strict_api.max_global_rate_seen <= 30
    # Each row outlives its sender by one window (its last messages still count), then lapses.
    assert SendShare.objects.filter(expires_at__gt=timezone.now() + timedelta(seconds=1.5)).count() == 0
