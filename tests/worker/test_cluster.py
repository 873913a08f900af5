"""The task worker as production runs it: real `manage.py worker` processes (two clusters), real schedules, the
fake Bot API, then SIGTERM to each cluster's whole process group.

Each run gets a database of its own (a SQLite file, or a fresh PostgreSQL database when the suite runs on
PostgreSQL): the worker processes cannot see data inside a test's transaction.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.console.fake_api import FakeBotAPI
from tests.processes import descendants
from tests.worker.harness import ScratchDatabase, prepare, scratch_postgres, worker_environment

ROOT = Path(__file__).resolve().parent.parent.parent
DUE = [7_100_000_001, 7_100_000_002, 7_100_000_003, 7_100_000_004, 7_100_000_005]
QUIET = 7_100_000_099  # notifications off: never pushed
GRACE = 3  # Q_STOP_GRACE: how long the in-flight task may run on after SIGTERM
# A database for the workers: migrated (which syncs the schedules; nothing to do for the SQLite copy), users due
# now, and one task that will still be running when the worker is told to stop.
PREPARE = f"""
import django
django.setup()
from datetime import time, timedelta
from django.core.management import call_command
from django.utils import timezone
from django_q.tasks import async_task
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
joined = timezone.now() - timedelta(days=3)
for index, chat_id in enumerate({[*DUE, QUIET]}):
    TelegramUser.objects.create(
        telegram_id=chat_id, language="ru" if index % 2 else "en", sign=["aries", "leo", "virgo"][index % 3],
        current_tz="Europe/Moscow", notify_time=time(0, 0), notify_enabled=chat_id != {QUIET},
        first_seen_at=joined, onboarded_at=joined,
    )
async_task("time.sleep", 120)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def worker_database(request, tmp_path, migrated_sqlite) -> Iterator[ScratchDatabase]:
    """A fresh database: a copy of the migrated SQLite file, or a new PostgreSQL database."""
    if request.param == "postgresql":
        with scratch_postgres() as database:
            yield database
        return
    path = tmp_path / "worker.sqlite3"
    shutil.copyfile(migrated_sqlite, path)

    def query(sql: str) -> list[tuple]:
        with sqlite3.connect(path, timeout=20) as connection:
            return connection.execute(sql).fetchall()

    yield ScratchDatabase({"SQLITE_PATH": str(path)}, query)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _delivered(fake: FakeBotAPI) -> Counter:
    return Counter(
        int(call.params["chat_id"])
        for call in fake.calls
        if call.method in {"sendMessage", "sendPhoto"} and call.status == 200
    )


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_the_worker_pushes_once_keeps_its_heartbeat_and_stops_on_sigterm_to_its_group(worker_database, tmp_path):
    query = worker_database.query
    with FakeBotAPI() as fake:
        env = worker_environment(worker_database, fake, LOG_LEVEL="INFO", Q_STOP_GRACE=str(GRACE))
        prepare(env, PREPARE)
        logs = [tmp_path / f"worker{index}.log" for index in range(2)]
        started_at = datetime.now(UTC)
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, as honcho and systemd give it
            )
            for log in logs
        ]

        def output() -> str:
            return "\n".join(f"--- {log.name}\n{log.read_text()[-4000:]}" for log in logs)

        try:
            # The schedules fire at start-up: every due user gets the push, once, across both clusters.
            deadline = time.monotonic() + 60
            while set(_delivered(fake)) < set(DUE) and time.monotonic() < deadline:
                assert all(worker.poll() is None for worker in workers), output()
                time.sleep(0.2)
            # Every other task done and acknowledged: only the slow one is left, running.
            while query("SELECT COUNT(*) FROM django_q_ormq") != [(1,)] and time.monotonic() < deadline:
                time.sleep(0.2)
            heartbeat = query("SELECT beat_at FROM bot_heartbeat WHERE name = 'cluster'")
            time.sleep(1)  # room for a duplicate to show up
            delivered = _delivered(fake)
            assert {chat: delivered[chat] for chat in DUE} == dict.fromkeys(DUE, 1), output()
            assert delivered[QUIET] == 0
            assert fake.errors == []

            beat_at = heartbeat[0][0]
            beat_at = beat_at if isinstance(beat_at, datetime) else datetime.fromisoformat(beat_at)
            assert beat_at.replace(tzinfo=UTC) >= started_at.replace(microsecond=0)

            trees = {worker.pid: descendants(worker.pid) for worker in workers}
            # Below each main process: the sentinel, two workers, the pusher and the monitor.
            assert all(len(tree) == 5 for tree in trees.values()), trees
            stopping = time.monotonic()
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            codes = [worker.wait(timeout=30) for worker in workers]
            took = time.monotonic() - stopping
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()

    assert codes == [0, 0], output()
    # The running task had its grace period, and the whole stop fits well inside a platform's 30 s.
    assert GRACE <= took < 30, f"stopped in {took:.1f} s"
    for worker in workers:
        assert not _group_alive(worker.pid), f"processes of group {worker.pid} outlived the worker"
    assert all(not Path(f"/proc/{pid}").exists() for tree in trees.values() for pid in tree)
    # The task killed mid-way was neither recorded nor lost: the queue hands it out again after `retry`.
    assert query("SELECT COUNT(*) FROM django_q_task WHERE func = 'time.sleep'") == [(0,)]
    assert query("SELECT COUNT(*) FROM django_q_ormq") == [(1,)]
    text = output()
    assert " ERROR " not in text and " CRITICAL " not in text and "Traceback" not in text, text
    assert text.count("still running") == 1, text
