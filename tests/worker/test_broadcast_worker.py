"""A broadcast sent by a real worker process on PostgreSQL, killed halfway and started again: nobody gets it twice."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

FIRST = 7_300_000_000
USERS = 150
PREPARE = f"""
import django
django.setup()
from django.core.management import call_command
from broadcasts.models import Broadcast, BroadcastVariant
from broadcasts.services import broadcast_schedule
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
TelegramUser.objects.bulk_create(
    TelegramUser(telegram_id={FIRST} + i, language="ru" if i % 2 else "en") for i in range({USERS})
)
broadcast = Broadcast.objects.create(title="Full moon")
BroadcastVariant.objects.create(broadcast=broadcast, language="ru", text="<b>Полнолуние</b>")
BroadcastVariant.objects.create(broadcast=broadcast, language="en", text="<b>Full moon</b>")
broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)  # due now: queued for the worker
"""
# What the minute schedule does after a restart (django-q would hand the killed task out again only later).
REQUEUE = """
import django
django.setup()
from bot.broadcast.tasks import broadcasts_send_due
print(broadcasts_send_due())
"""

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.mark.postgres
def test_a_worker_killed_mid_broadcast_and_restarted_sends_each_recipient_once(tmp_path):
    with scratch_postgres("astrobot_broadcast") as database, FakeBotAPI(enforce_limits=True) as fake:
        env = worker_environment(database, fake)
        prepare(env, PREPARE)

        def delivered() -> Counter:
            return Counter(
                int(c.params["chat_id"]) for c in fake.calls if c.method == "sendMessage" and c.status == 200
            )

        with running_worker(env, tmp_path / "first.log") as worker:
            worker.wait_for(lambda: sum(delivered().values()) >= USERS // 3, timeout=90)
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()
        at_kill = sum(delivered().values())
        assert at_kill < USERS

        with running_worker(env, tmp_path / "second.log") as worker:
            prepare(env, REQUEUE, timeout=60)
            worker.wait_for(
                lambda: database.query("SELECT COUNT(*) FROM broadcasts_recipient WHERE status = 'pending'") == [(0,)],
                timeout=90,
            )
            time.sleep(1.5)  # room for a duplicate to show up
            assert worker.stop() == 0

        counts = delivered()
        per_user = Counter(counts.get(FIRST + i, 0) for i in range(USERS))
        rows = dict(database.query("SELECT status, COUNT(*) FROM broadcasts_recipient GROUP BY status"))
        assert per_user.get(2, 0) == 0 and max(per_user) == 1, per_user  # nobody twice
        # At most the messages in flight at the kill are left "sending" (maybe delivered, never sent again).
        assert rows.get("sending", 0) <= 12
        assert per_user[1] >= rows["sent"] and per_user.get(0, 0) <= rows.get("sending", 0)
        assert rows["sent"] + rows.get("sending", 0) == USERS
        assert fake.throttled == 0
