"""A broadcast sent by a real worker process on PostgreSQL, killed halfway and started again: nobody gets it twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.worker.test_support_delivery import postgres_database  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parent.parent.parent
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


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_killed_mid_broadcast_and_restarted_sends_each_recipient_once(postgres_database, tmp_path):  # noqa: F811
    url, query = postgres_database
    with FakeBotAPI(enforce_limits=True) as fake:
        env = {
            **{
                key: value
                for key, value in os.environ.items()
                if key not in {"DATABASE_URL", "SQLITE_PATH", "TESTING", "DJANGO_SETTINGS_MODULE"}
                and not key.startswith(("PYTEST_", "Q_", "DB_", "LLM_"))
            },
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENV_FILE": os.devnull,
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": "worker-test-secret-key-" + "x" * 40,
            "TELEGRAM_WEBHOOK_SECRET": "worker-test-webhook-secret",
            "ALLOWED_HOSTS": "localhost",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.base_file_url,
            "LOG_FORMAT": "text",
            "Q_WORKERS": "2",
        }
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert prepared.returncode == 0, prepared.stderr[-3000:]

        def delivered() -> Counter:
            return Counter(
                int(c.params["chat_id"]) for c in fake.calls if c.method == "sendMessage" and c.status == 200
            )

        log = tmp_path / "worker.log"
        worker = start_worker(env, log)
        try:
            deadline = time.monotonic() + 90
            while sum(delivered().values()) < USERS // 3:
                assert worker.poll() is None, log.read_text()[-4000:]
                assert time.monotonic() < deadline, log.read_text()[-4000:]
                time.sleep(0.05)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            at_kill = sum(delivered().values())
            assert at_kill < USERS

            worker = start_worker(env, log)
            requeued = subprocess.run(
                [sys.executable, "-c", REQUEUE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
            )
            assert requeued.returncode == 0, requeued.stderr[-3000:]
            deadline = time.monotonic() + 90
            while query("SELECT COUNT(*) FROM broadcasts_recipient WHERE status = 'pending'") != [(0,)]:
                assert worker.poll() is None, log.read_text()[-4000:]
                assert time.monotonic() < deadline, log.read_text()[-4000:]
                time.sleep(0.2)
            time.sleep(1.5)  # room for a duplicate to show up
            os.killpg(worker.pid, signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()

        counts = delivered()
        per_user = Counter(counts.get(FIRST + i, 0) for i in range(USERS))
        rows = dict(query("SELECT status, COUNT(*) FROM broadcasts_recipient GROUP BY status"))
        assert per_user.get(2, 0) == 0 and max(per_user) == 1, per_user  # nobody twice
        # At most the messages in flight at the kill are left "sending" (maybe delivered, never sent again).
        assert rows.get("sending", 0) <= 12
        assert per_user[1] >= rows["sent"] and per_user.get(0, 0) <= rows.get("sending", 0)
        assert rows["sent"] + rows.get("sending", 0) == USERS
        assert fake.throttled == 0
