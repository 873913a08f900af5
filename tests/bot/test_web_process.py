"""The web process for real, started as the Procfile starts it (gunicorn with the uvicorn worker).

A worker killed in the middle of an update: the bot's reply hangs at the fake Bot API (which then refuses
it: nothing was delivered) while the worker keeps renewing its lease; the worker is SIGKILLed; gunicorn
starts a new one; the update is delivered again the way Telegram does (again and again until a 2xx), and
exactly one reply reaches the chat. And a forged X-Forwarded-For from loopback does not pass as YooKassa.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from tests import driver
from tests.processes import child_environment, web_process

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-webhook-secret"
CHAT = 7_300_000_001
LEASE = 2


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class _Database:
    """The database the web process uses: this test's PostgreSQL database, or a SQLite file of its own."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite_path = None if connection.vendor == "postgresql" else tmp_path / "web.sqlite3"

    def env(self) -> dict[str, str]:
        if self.sqlite_path is not None:
            return {"SQLITE_PATH": str(self.sqlite_path)}
        db = settings.DATABASES["default"]
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        return {"DATABASE_URL": url}

    def claim(self, update_id: int) -> tuple[str, int, str | None, str] | None:
        query = "SELECT status, attempts, lease_until, started_at FROM bot_telegramupdate WHERE update_id = %s"
        if self.sqlite_path is None:
            with connection.cursor() as cursor:
                cursor.execute(query, [update_id])
                row = cursor.fetchone()
            return row and (row[0], row[1], row[2] and row[2].isoformat(), row[3].isoformat())
        with sqlite3.connect(self.sqlite_path) as db:
            return db.execute(query.replace("%s", "?"), [update_id]).fetchone()


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path | None:
    """A migrated SQLite file to copy for each test (None on PostgreSQL: the web process uses the test database)."""
    if connection.vendor == "postgresql":
        return None
    path = tmp_path_factory.mktemp("web") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=child_environment(SQLITE_PATH=str(path)),
        check=True,
        timeout=120,
    )
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def web(fake_api, tmp_path, migrated_sqlite):
    """The Procfile's web process (gunicorn.conf.py, one worker); yields (port, master process, database)."""
    database = _Database(tmp_path)
    if migrated_sqlite is not None:
        shutil.copyfile(migrated_sqlite, database.sqlite_path)
    env = child_environment(
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_API_BASE_URL=fake_api.base_url,
        TELEGRAM_API_FILE_URL=fake_api.base_file_url,
        TELEGRAM_CLAIM_LEASE_SECONDS=str(LEASE),
        **database.env(),
    )
    with web_process(env, start_timeout=60) as process:
        yield process.port, process.process, database


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_update_whose_worker_was_killed_is_answered_exactly_once(fake_api, web):
    port, master, database = web
    update = driver.message("/help", user_id=CHAT)
    url = f"http://127.0.0.1:{port}{driver.WEBHOOK}"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    body = json.dumps(update)
    # The reply hangs at the Bot API long enough to kill the worker, then is refused: nothing reached the chat.
    fake_api.fail_next("sendMessage", "server_error", delay=6 * LEASE)

    [worker] = _wait_for(lambda: _children(master.pid), 10, "the worker")
    first = subprocess.Popen(  # Telegram's first delivery, from a process of its own: it never gets an answer
        [
            sys.executable,
            "-c",
            f"import httpx, sys; httpx.post({url!r}, content=sys.stdin.read(), headers={headers!r})",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first.stdin.write(body.encode())
        first.stdin.close()
        # The handler runs and its lease is renewed: the claim's lease reaches past the first one.
        claim = _wait_for(lambda: database.claim(update["update_id"]), 10, "the claim")
        assert (claim[0], claim[1]) == ("processing", 1)
        first_lease = claim[2]
        _wait_for(lambda: database.claim(update["update_id"])[2] > first_lease, 3 * LEASE, "a renewed lease")

        os.kill(worker, signal.SIGKILL)
    finally:
        first.kill()
        first.wait(timeout=10)

    # Telegram delivers again and again until it gets a 2xx (gunicorn starts a new worker meanwhile).
    answers = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            response = httpx.post(url, content=body, headers=headers, timeout=10)
        except httpx.TransportError as exc:
            answers.append(type(exc).__name__)
            time.sleep(0.2)
            continue
        answers.append(response.status_code)
        if response.status_code == 200:
            break
        assert response.status_code == 503, response.text
        time.sleep(min(float(response.headers["retry-after"]), 0.5))

    assert answers[-1] == 200, answers
    assert response.json()["result"] == "processed", answers
    delivered = [call for call in fake_api.calls_to("sendMessage") if call.params.get("chat_id") == CHAT]
    assert [call.status for call in delivered if call.status == 200] == [200]
    assert "Что я умею" in delivered[-1].params["text"]
    status, attempts, _, _ = database.claim(update["update_id"])
    assert (status, attempts) == ("done", 2)

    # Telegram delivering it once more (its answer got lost) changes nothing.
    again = httpx.post(url, content=body, headers=headers, timeout=10)
    assert (again.status_code, again.json()["result"]) == (200, "duplicate")
    assert len([call for call in fake_api.calls_to("sendMessage") if call.status == 200]) == 1


def test_a_forged_forwarded_address_from_loopback_does_not_pass_as_yookassa(web):
    port, _, _ = web
    notification = {"event": "payment.succeeded", "object": {"id": "2f1b-forged"}}
    url = f"http://127.0.0.1:{port}/payments/yookassa/notify/"

    # gunicorn's uvicorn worker trusts 127.0.0.1 and would report 185.71.76.10 (YooKassa's) as the peer.
    forged = httpx.post(url, json=notification, headers={"X-Forwarded-For": "185.71.76.10"}, timeout=10)
    plain = httpx.post(url, json=notification, timeout=10)

    assert (forged.status_code, plain.status_code) == (403, 403)
