"""Staff support reaches users through a real worker: a Premium grant told to 30 users and a staff message,
on PostgreSQL (a fresh database of its own: the worker cannot see a test's transaction)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

GIFTED = list(range(7_200_000_001, 7_200_000_031))
WRITTEN_TO = 7_200_000_100
PREPARE = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from users.models import TelegramUser
from users.services import users_premium_grant
from bot.services import staff_message_queue

call_command("migrate", "--noinput", verbosity=0)
for chat_id in {[*GIFTED, WRITTEN_TO]}:
    TelegramUser.objects.create(telegram_id=chat_id, language="ru" if chat_id % 2 else "en", notify_enabled=False)
staff = get_user_model().objects.create_user("support", is_staff=True)
users_premium_grant(
    users=TelegramUser.objects.filter(telegram_id__in={GIFTED}), days=7, staff_id=staff.pk, reason="outage", notify=True
)
staff_message_queue(user_id=TelegramUser.objects.get(telegram_id={WRITTEN_TO}).pk, staff_id=staff.pk, text="Hi <there>")
"""


@pytest.mark.postgres
def test_the_worker_tells_users_of_a_staff_grant_and_delivers_a_staff_message_once(tmp_path):
    expected = {*GIFTED, WRITTEN_TO}

    with scratch_postgres("astrobot_support") as database, FakeBotAPI() as fake:
        env = worker_environment(database, fake)
        prepare(env, PREPARE)

        def delivered() -> Counter:
            return Counter(int(call.params["chat_id"]) for call in fake.calls_to("sendMessage") if call.status == 200)

        with running_worker(env, tmp_path / "worker.log") as worker:
            worker.wait_for(lambda: set(delivered()) >= expected)
            time.sleep(1)  # room for a duplicate to show up
            code = worker.stop()
        messages = {int(call.params["chat_id"]): call.params["text"] for call in fake.calls_to("sendMessage")}
        sent = Counter(int(call.params["chat_id"]) for call in fake.calls if call.method == "sendMessage")

    assert {chat: sent[chat] for chat in expected} == dict.fromkeys(expected, 1), worker.output()
    assert "7 дн. Премиума" in messages[GIFTED[0]] and "7 days of Premium" in messages[GIFTED[1]]
    assert messages[WRITTEN_TO] == "Hi &lt;there&gt;"
    assert code == 0
    assert "Traceback" not in worker.output(), worker.output()
