"""/health reports the database, the task cluster and the bot; /health/live the web process alone."""

import contextlib
import socket
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from bot.services import heartbeat_record
from bot.tasks import heartbeat
from tests import driver
from tests.processes import child_environment, free_port, web_process

pytestmark = pytest.mark.django_db


def get_health(path: str = "/health", **kwargs: object) -> tuple[int, dict]:
    response = driver.request("GET", path, **kwargs)
    return response.status_code, response.json()


@pytest.fixture
def database_down(monkeypatch):
    """The database the probes connect to is gone (a missing SQLite file, a closed PostgreSQL port)."""
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/astrobot.sqlite3")
    else:
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(free_port()))


def test_all_well(bot_settings):
    heartbeat()

    status, body = get_health()

    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["bot"] == {"ok": True, "username": "astrobot_fake_bot"}
    assert body["checks"]["tasks"]["ok"] is True
    assert body["checks"]["database"] == {"ok": True}


def test_stale_or_missing_heartbeat_is_503(bot_settings, settings):
    status, body = get_health()
    assert status == 503
    assert body["checks"]["tasks"] == {"ok": False, "last_heartbeat_seconds_ago": None}

    heartbeat_record(name="cluster")
    settings.HEARTBEAT_STALE_AFTER = 0
    status, body = get_health()
    assert status == 503
    assert body["checks"]["tasks"]["last_heartbeat_seconds_ago"] >= 0


def test_bot_without_token_is_503(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    heartbeat()

    status, body = get_health()

    assert status == 503
    assert body["checks"]["bot"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_bot_api_unreachable_is_503(bot_settings, settings):
    settings.TELEGRAM_API_BASE_URL = "http://127.0.0.1:9/bot"
    heartbeat()

    status, body = get_health()

    assert status == 503
    assert body["checks"]["bot"]["ok"] is False
    assert body["checks"]["bot"]["error"]


def test_database_down_is_503(bot_settings, database_down):
    heartbeat()

    status, body = get_health()

    assert status == 503
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["tasks"] == {"ok": False, "error": "database unavailable"}


def test_liveness_needs_only_the_database():
    status, body = get_health("/health/live")  # no bot token, no worker heartbeat

    assert status == 200
    assert body == {"status": "ok", "checks": {"database": {"ok": True}}}


def test_liveness_with_the_database_down_is_503(database_down):
    status, body = get_health("/health/live")

    assert status == 503
    assert body["checks"]["database"]["ok"] is False


def test_health_answers_probes_from_any_host(settings):
    # Docker's HEALTHCHECK and load balancers address the container by IP, not by a name in ALLOWED_HOSTS.
    settings.ALLOWED_HOSTS = ["astro.example.com"]
    headers = {"Host": "10.1.2.3:8000"}

    assert driver.request("GET", "/health/live", headers=headers).status_code == 200
    assert driver.request("GET", "/health", headers=headers).status_code == 503  # no worker, no bot: but answered
    assert driver.request("GET", "/admin/login/", headers=headers).status_code == 400


class SilentServer:
    """A TCP server that accepts connections and never says a word: a database that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        # shutdown() wakes the blocked accept(); close() alone would leave the port listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for conn in self.accepted:
            conn.close()


def timed_get(url: str) -> tuple[float, httpx.Response]:
    with httpx.Client(timeout=10) as client:  # made before the clock starts: its TLS set-up is not the server's
        started = time.monotonic()
        response = client.get(url)
        return time.monotonic() - started, response


@pytest.mark.django_db(False)
def test_probes_answer_within_a_second_when_postgresql_hangs_or_refuses():
    server = SilentServer()
    try:
        env = child_environment(DATABASE_URL=f"postgres://astrobot:x@127.0.0.1:{server.port}/astrobot")
        with web_process(env) as web:
            for path in ("/health/live", "/health"):
                elapsed, response = timed_get(web.url + path)
                assert response.status_code == 503, response.text
                assert response.json()["checks"]["database"] == {"ok": False, "error": "TimeoutError"}
                assert elapsed < 1.0, (path, elapsed)

            server.close()  # now the port refuses connections
            elapsed, response = timed_get(web.url + "/health/live")
            assert response.status_code == 503
            assert response.json()["checks"]["database"]["error"] == "OperationalError"
            assert elapsed < 1.0
    finally:
        server.close()


@pytest.mark.django_db(False)
def test_liveness_answers_within_a_second_when_sqlite_is_locked(tmp_path: Path):
    path = tmp_path / "locked.sqlite3"
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("CREATE TABLE t (x)")
    with web_process(child_environment(SQLITE_PATH=str(path))) as web:
        locker.execute("BEGIN EXCLUSIVE")
        elapsed, response = timed_get(web.url + "/health/live")
        assert response.status_code == 503
        assert elapsed < 1.0

        locker.execute("ROLLBACK")
        elapsed, response = timed_get(web.url + "/health/live")
        assert response.status_code == 200
    locker.close()
