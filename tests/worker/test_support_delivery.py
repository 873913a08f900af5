"""A staff answer delivered by a real worker process on PostgreSQL: once, even when the answer was posted twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from bot.console.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent
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


@pytest.fixture
def postgres_database():
    server = settings.DATABASES["default"]
    if not server["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"astrobot_support_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(**admin, dbname=name, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    auth = f"{server['USER']}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{server['USER']}@"
    try:
        yield f"postgres://{auth}{admin['host']}:{admin['port']}/{name}", query
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_worker_delivers_a_double_posted_answer_once(postgres_database, tmp_path):
    url, query = postgres_database
    with FakeBotAPI() as fake:
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
        assert query("SELECT COUNT(*) FROM django_q_ormq") == [(1,)]  # the second submit queued nothing
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
            deadline = time.monotonic() + 60
            while not query("SELECT 1 FROM support_supportmessage WHERE delivered_at IS NOT NULL"):
                assert worker.poll() is None, log.read_text()[-4000:]
                assert time.monotonic() < deadline, log.read_text()[-4000:]
                time.sleep(0.2)
            time.sleep(1)  # room for a duplicate to show up
            sent = [c for c in fake.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == CHAT]
            assert len(sent) == 1
            assert "Готово" in sent[0].params["text"]
            assert query("SELECT status FROM support_supportrequest") == [("answered",)]
            os.killpg(worker.pid, signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    text = log.read_text()
    assert "Traceback" not in text, text[-4000:]
