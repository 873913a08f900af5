"""The daily texts written ahead as production does it: queued twice at once and run by a real worker process
with two workers on PostgreSQL; every offset group with readers gets its texts, once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
PREPARE = """
import django
django.setup()
from django.core.management import call_command
from django_q.tasks import async_task
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
for index, tz in enumerate(["Europe/Moscow", "Asia/Vladivostok", "America/New_York", "Asia/Vladivostok"]):
    TelegramUser.objects.create(telegram_id=7_300_000_000 + index, sign="leo", current_tz=tz)
for _ in range(2):
    async_task("horoscopes.daily.tasks.daily_generate_ahead")
"""


@pytest.mark.postgres
@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL")
def test_worker_writes_every_offset_group_once(tmp_path):
    server = settings.DATABASES["default"]
    admin = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }
    name = f"astrobot_groups_{uuid.uuid4().hex[:8]}"
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
        "SECRET_KEY": "groups-test-secret-key-" + "x" * 40,
        "TELEGRAM_WEBHOOK_SECRET": "groups-test-webhook-secret",
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
        deadline = time.monotonic() + 120
        done = []
        while time.monotonic() < deadline:
            done = query("SELECT success FROM django_q_task WHERE func = 'horoscopes.daily.tasks.daily_generate_ahead'")
            if len(done) == 2:
                break
            assert worker.poll() is None, log.read_text()[-4000:]
            time.sleep(0.3)
        assert done == [(True,), (True,)], log.read_text()[-4000:]
        groups = query("SELECT date, utc_offset, COUNT(*) FROM horoscopes_dailyhoroscope GROUP BY 1, 2 ORDER BY 1, 2")
        days = sorted({day for day, _, _ in groups})
        assert len(days) >= 2
        for day in days:
            # Moscow (the reference zone too), Vladivostok and New York: three groups of 12 signs x 2 languages.
            found = [(offset, count) for d, offset, count in groups if d == day]
            new_york = datetime.combine(day, dt_time(12), tzinfo=ZoneInfo("America/New_York")).utcoffset()
            assert [offset for offset, _ in found] == [int(new_york.total_seconds() // 60), 180, 600]
            assert all(count == 24 for _, count in found)
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
