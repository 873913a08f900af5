"""A refund left pending (the provider's answer was lost) is settled by a real worker process on PostgreSQL:
the background check asks Telegram again, records the refund once, takes the Premium back and tells the user."""

from __future__ import annotations

import time

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

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


@pytest.mark.postgres
def test_a_real_worker_settles_a_pending_refund_once(tmp_path):
    with scratch_postgres("astrobot_refund") as database, FakeBotAPI() as fake:
        env = worker_environment(database, fake, Q_WORKERS="1")
        prepare(env, PREPARE)

        def settled() -> bool:
            [(status,)] = database.query("SELECT status FROM payments_payment WHERE public_id = 'PENDINGREFUND'")
            told = [call for call in fake.sent_to(PAYER) if "возвращён" in call.params.get("text", "")]
            return status == "refunded" and bool(told)

        with running_worker(env, tmp_path / "worker.log") as worker:
            worker.wait_for(settled)
            time.sleep(1)  # room for a duplicate to show up
            code = worker.stop()
        assert [call.params for call in fake.calls_to("refundStarPayment")] == [
            {"user_id": PAYER, "telegram_payment_charge_id": "stxWORKER"}
        ]
        assert len([call for call in fake.sent_to(PAYER) if "возвращён" in call.params.get("text", "")]) == 1
        [(premium_until,)] = database.query(
            "SELECT premium_until FROM users_telegramuser WHERE telegram_id = 7100000201"
        )
        [(now,)] = database.query("SELECT now()")
    assert premium_until <= now
    assert code == 0, worker.output()
    assert "Traceback" not in worker.output(), worker.output()
