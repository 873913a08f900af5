"""A staff answer delivered by a real worker process on PostgreSQL: once, even when the answer was posted twice."""

from __future__ import annotations

import time

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

CHAT = 7_200_000_001
PREPARE = f"""
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from support.services import support_message_receive, support_reply_create
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
user = TelegramUser.objects.create(telegram_id={CHAT}, language="ru")
staff = User.objects.create_user("helen", is_staff=True)
received = support_message_receive(user_id=user.pk, text="Помогите", topic="general", telegram_message_id=1)
for _ in range(2):  # a double click: the same form key twice
    support_reply_create(request_id=received.request.pk, staff_id=staff.pk, text="Готово", key="form-key")
"""


@pytest.mark.postgres
def test_the_worker_delivers_a_double_posted_answer_once(tmp_path):
    with scratch_postgres("astrobot_support") as database, FakeBotAPI() as fake:
        env = worker_environment(database, fake)
        prepare(env, PREPARE)
        assert database.query("SELECT COUNT(*) FROM django_q_ormq") == [(1,)]  # the second submit queued nothing
        with running_worker(env, tmp_path / "worker.log") as worker:
            worker.wait_for(
                lambda: database.query("SELECT 1 FROM support_supportmessage WHERE delivered_at IS NOT NULL")
            )
            time.sleep(1)  # room for a duplicate to show up
            sent = [c for c in fake.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == CHAT]
            assert len(sent) == 1
            assert "Готово" in sent[0].params["text"]
            assert database.query("SELECT status FROM support_supportrequest") == [("answered",)]
            assert worker.stop() == 0
        assert "Traceback" not in worker.output(), worker.output()
