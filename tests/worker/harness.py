"""What the real-worker tests share: a database of their own, production settings, and a worker process.

The worker processes cannot see data inside a test's transaction, so each test prepares its own database in a
child process (`prepare`), starts `manage.py worker` on it and reads the outcome with plain SQL (`query`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest
from django.conf import settings

from bot.console.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent
T = TypeVar("T")


@dataclass
class ScratchDatabase:
    """Environment variables naming the database, and a function running one SQL query against it."""

    env: dict[str, str]
    query: Callable[[str], list[tuple]]


@contextmanager
def scratch_postgres(prefix: str = "astrobot_worker") -> Iterator[ScratchDatabase]:
    """A fresh, empty PostgreSQL database on the suite's server, dropped afterwards (skips on SQLite)."""
    server = settings.DATABASES["default"]
    if not server["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    connect = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }
    with psycopg.connect(**connect, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(**connect, dbname=name, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    auth = f"{server['USER']}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{server['USER']}@"
    try:
        yield ScratchDatabase({"DATABASE_URL": f"postgres://{auth}{connect['host']}:{connect['port']}/{name}"}, query)
    finally:
        with psycopg.connect(**connect, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_environment(database: ScratchDatabase, fake: FakeBotAPI | None = None, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, no .env), the given database, the fake Bot API, the offline writer."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "TESTING", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith(("PYTEST_", "Q_", "DB_", "LLM_"))
    }
    env = {
        **clean,
        **database.env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "worker-test-secret-key-" + "x" * 40,
        "TELEGRAM_WEBHOOK_SECRET": "worker-test-webhook-secret",
        "ALLOWED_HOSTS": "localhost",
        "LOG_FORMAT": "text",
        "Q_WORKERS": "2",
    }
    if fake is not None:
        env.update(
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_API_FILE_URL=fake.base_file_url,
        )
    return {**env, **extra}


def prepare(env: dict[str, str], code: str, timeout: int = 180) -> None:
    """Run Python `code` (it sets Django up itself) against the worker's database, as a separate process."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]


@dataclass
class Worker:
    """A running `manage.py worker` in a process group of its own, as honcho and systemd start it."""

    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text()[-4000:]

    def wait_for(self, check: Callable[[], T | None], timeout: float = 60) -> T:
        """Poll `check` until it returns something truthy; the worker must stay up meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.output()
            value = check()
            if value:
                return value
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.2)

    def stop(self) -> int:
        """SIGTERM to the whole group, as a platform stops it; the exit code."""
        os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=30)


@contextmanager
def running_worker(env: dict[str, str], log: Path) -> Iterator[Worker]:
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield Worker(process, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
