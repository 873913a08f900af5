"""A refund left pending (the provider's answer was lost) is settled by a real worker process on PostgreSQL:
the background check asks Telegram again, records the refund once, takes the Premium back and tells the user."""

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
PAYER = 7_100_000_201
PREPARE = f"""
import django
django.setup()
from datetime import timedelta
from decimal import Decimal
from django.core.management import call_command
from django.utils import timezone
from django_q.tasks import async_task
from payments.models import Payment, Plan
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
now = timezone.now()
user = TelegramUser.objects.create(telegram_id={PAYER}, language="ru", premium_until=now + timedelta(days=30))
Payment.objects.create(
    public_id="PENDINGREFUND", user=user, plan=Plan.objects.get(code="month"), provider="stars",
    amount=Decimal(150), currency="XTR", days=30, status="refunding", provider_payment_id="stxWORKER",
    paid_at=now - timedelta(days=1), premium_until=now + timedelta(days=30),
    refund_started_at=now - timedelta(minutes=10), refund_error="network",
)
async_task("payments.tasks.payments_poll")
"""


@pytest.fixture
def postgres_database():
    server = settings.DATABASES["default"]
    if not server["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"astrobot_refunds_{uuid.uuid4().hex[:8]}"
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


def test_a_real_worker_settles_a_pending_refund_once(postgres_database, tmp_path):
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
            "SECRET_KEY": "refund-worker-test-secret-key-" + "x" * 40,
            "TELEGRAM_WEBHOOK_SECRET": "refund-worker-test-webhook-secret",
            "ALLOWED_HOSTS": "localhost",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.base_file_url,
            "LOG_FORMAT": "text",
            "Q_WORKERS": "1",
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
            deadline = time.monotonic() + 60
            status = "refunding"
            while time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()[-4000:]
                [(status,)] = query("SELECT status FROM payments_payment WHERE public_id = 'PENDINGREFUND'")
                told = [call for call in fake.sent_to(PAYER) if "возвращён" in call.params.get("text", "")]
                if status == "refunded" and told:
                    break
                time.sleep(0.2)
            time.sleep(1)  # room for a duplicate to show up
            os.killpg(worker.pid, signal.SIGTERM)
            code = worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        text = log.read_text()
        assert status == "refunded", text[-4000:]
        assert [call.params for call in fake.calls_to("refundStarPayment")] == [
            {"user_id": PAYER, "telegram_payment_charge_id": "stxWORKER"}
        ]
        assert len([call for call in fake.sent_to(PAYER) if "возвращён" in call.params.get("text", "")]) == 1
    [(premium_until,)] = query("SELECT premium_until FROM users_telegramuser WHERE telegram_id = 7100000201")
    [(now,)] = query("SELECT now()")
    assert premium_until <= now
    assert code == 0, text[-4000:]
    assert "Traceback" not in text, text[-4000:]
