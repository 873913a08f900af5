"""Staff support reaches users through a real worker: a Premium grant told to 30 users and a staff message,
on PostgreSQL (a fresh database of its own: the worker cannot see a test's transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from bot.console.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent
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


@pytest.fixture
def postgres_database() -> dict[str, str]:
    server = settings.DATABASES["default"]
    if not server["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"astrobot_support_{uuid.uuid4().hex[:8]}"
    admin = {"host": server["HOST"], "port": server["PORT"] or 5432, "user": server["USER"]}
    admin["password"] = server["PASSWORD"] or None
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    auth = f"{server['USER']}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{server['USER']}@"
    try:
        yield {"DATABASE_URL": f"postgres://{auth}{admin['host']}:{admin['port']}/{name}"}
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_worker_tells_users_of_a_staff_grant_and_delivers_a_staff_message_once(postgres_database, tmp_path):
    with FakeBotAPI() as fake:
        clean = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "SQLITE_PATH", "TESTING", "DJANGO_SETTINGS_MODULE"}
            and not key.startswith(("PYTEST_", "Q_", "DB_", "LLM_"))
        }
        env = {
            **clean,
            **postgres_database,
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
        log = tmp_path / "worker.log"
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            expected = {*GIFTED, WRITTEN_TO}
            deadline = time.monotonic() + 60
            delivered: Counter = Counter()
            while time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()[-4000:]
                delivered = Counter(
                    int(call.params["chat_id"]) for call in fake.calls_to("sendMessage") if call.status == 200
                )
                if set(delivered) >= expected:
                    break
                time.sleep(0.2)
            time.sleep(1)  # room for a duplicate to show up
            os.killpg(worker.pid, signal.SIGTERM)
            code = worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        messages = {int(call.params["chat_id"]): call.params["text"] for call in fake.calls_to("sendMessage")}

    delivered = Counter(int(call.params["chat_id"]) for call in fake.calls if call.method == "sendMessage")
    assert {chat: delivered[chat] for chat in expected} == dict.fromkeys(expected, 1), log.read_text()[-4000:]
    assert "7 дн. Премиума" in messages[GIFTED[0]] and "7 days of Premium" in messages[GIFTED[1]]
    assert messages[WRITTEN_TO] == "Hi &lt;there&gt;"
    assert code == 0
    text = log.read_text()
    assert "Traceback" not in text, text[-4000:]
