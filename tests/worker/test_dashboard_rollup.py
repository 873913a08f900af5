"""The dashboard rollup as production runs it: queued twice at once and run by a real worker process with two
workers on PostgreSQL; both runs succeed and leave one set of rows."""

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

ROOT = Path(__file__).resolve().parent.parent.parent
PREPARE = """
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
for index in range(30):
    user = TelegramUser.objects.create(telegram_id=7_200_000_000 + index, first_seen_at=now - timedelta(days=index % 3))
    if index % 10 == 0:
        Payment.objects.create(user=user, plan=Plan.objects.get(code="month"), provider="stars", amount=Decimal(150),
                               currency="XTR", days=30, status="succeeded", paid_at=now)
today = timezone.localdate()
for _ in range(2):
    async_task("staff.tasks.dashboard_rollup", (today - timedelta(days=5)).isoformat(), today.isoformat())
"""


@pytest.mark.postgres
@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL")
def test_worker_runs_the_rollup_twice_at_once_with_one_result(tmp_path):
    server = settings.DATABASES["default"]
    admin = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }
    name = f"astrobot_rollup_{uuid.uuid4().hex[:8]}"
    auth = f"{server['USER']}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{server['USER']}@"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "SQLITE_PATH", "TESTING", "DJANGO_SETTINGS_MODULE"}
            and not k.startswith(("PYTEST_", "Q_", "DB_"))
        },
        "DATABASE_URL": f"postgres://{auth}{admin['host']}:{admin['port']}/{name}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "rollup-test-secret-key-" + "x" * 40,
        "TELEGRAM_WEBHOOK_SECRET": "rollup-test-webhook-secret",
        "ALLOWED_HOSTS": "localhost",
        "Q_WORKERS": "2",
    }
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(**admin, dbname=name, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    log = tmp_path / "worker.log"
    worker = None
    try:
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert prepared.returncode == 0, prepared.stderr[-3000:]
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        done = []
        while time.monotonic() < deadline:
            done = query("SELECT success FROM django_q_task WHERE func = 'staff.tasks.dashboard_rollup'")
            if len(done) == 2:
                break
            assert worker.poll() is None, log.read_text()[-4000:]
            time.sleep(0.3)
        assert done == [(True,), (True,)], log.read_text()[-4000:]
        assert query("SELECT SUM(value) FROM staff_dailymetric WHERE key = 'users_new'") == [(30,)]
        assert query("SELECT MAX(value) FROM staff_dailymetric WHERE key = 'paying_total'") == [(3,)]
        assert query(
            "SELECT COUNT(*) FROM (SELECT day, key, dimension FROM staff_dailymetric"
            " GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) d"
        ) == [(0,)]
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
