"""Development processes stop cleanly: `manage.py runbot` on SIGTERM, and `dev.py run` (honcho with web, worker and
bot) on Ctrl+C and on SIGTERM, with nothing left running; the shell's environment wins over .env."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import dev
from bot.console.fake_api import FakeBotAPI
from tests.processes import descendants, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
# dev.py run without the set-up steps (virtualenv, migrate): honcho and Procfile.dev, with this Python.
SERVE = """
import os, sys
from pathlib import Path
import dev
sys.exit(dev.serve(dev.environment(dict(os.environ)), Path(sys.executable)))
"""
READY = ("bot.cluster: Worker", "TELEGRAM_BOT_TOKEN is not set", "Application startup complete")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_runbot_stops_on_sigterm_in_the_middle_of_a_long_poll(tmp_path):
    with FakeBotAPI() as fake:
        env = {
            **{key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "TESTING"}},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENV_FILE": os.devnull,
            "DEBUG": "1",
            "SQLITE_PATH": str(tmp_path / "bot.sqlite3"),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.base_file_url,
        }
        bot = subprocess.Popen(
            [sys.executable, "manage.py", "runbot", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            fake.wait_for_calls("deleteWebhook", timeout=30)
            time.sleep(1)  # the first getUpdates waits for up to 30 s: stop it in the middle
            stopping = time.monotonic()
            os.killpg(bot.pid, signal.SIGTERM)
            output, _ = bot.communicate(timeout=15)
            took = time.monotonic() - stopping
        finally:
            if bot.poll() is None:
                os.killpg(bot.pid, signal.SIGKILL)
                bot.wait()

    assert bot.returncode == 0, output
    assert "Stopped after processing 0 updates" in output
    assert took < 5, f"runbot took {took:.1f} s to stop"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", ["sigterm to dev.py", "ctrl+c"])
def test_dev_run_stops_web_worker_and_bot_with_nothing_left(how, tmp_path, migrated_sqlite):
    database = tmp_path / "dev.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "TESTING"}}
    env.update(
        ENV_FILE=os.devnull, SQLITE_PATH=str(database), PORT=str(port), TELEGRAM_BOT_TOKEN="", PYTHONUNBUFFERED="1"
    )
    log = tmp_path / "dev.log"
    # A session of its own, like a terminal's: Ctrl+C is SIGINT to the foreground process group.
    run = subprocess.Popen(
        [sys.executable, "-c", SERVE],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log.read_text()
            if all(line in text for line in READY):
                break
            assert run.poll() is None, text
            time.sleep(0.2)
        assert all(line in text for line in READY), text
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code in {200, 503}
        tree = descendants(run.pid)
        # honcho (and its helpers), a shell per process, gunicorn and its worker, the cluster's five, runbot.
        assert len(tree) >= 12, log.read_text()
        stopping = time.monotonic()
        if how == "ctrl+c":
            os.killpg(run.pid, signal.SIGINT)
        else:
            os.kill(run.pid, signal.SIGTERM)
        code = run.wait(timeout=30)
        took = time.monotonic() - stopping
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in tree if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], log.read_text()
    assert code == 0
    assert took < 15, f"dev.py took {took:.1f} s to stop"
    assert "stopping web, worker and bot" in log.read_text()


def test_dev_run_prefers_the_shell_to_dotenv(tmp_path):
    dotenv = tmp_path / "astrobot.env"
    dotenv.write_text("# comment\nPORT=8123\nexport DEBUG='0'\nQ_STOP_GRACE=9\n")
    env = dev.environment({"ENV_FILE": str(dotenv), "PORT": "9000"})
    assert env["PORT"] == "9000"
    assert "DEBUG" not in env and "Q_STOP_GRACE" not in env  # left to settings, which read the file
    assert dev.environment({"ENV_FILE": str(dotenv)})["PORT"] == "8123"
    bare = dev.environment({"ENV_FILE": os.devnull})
    assert (bare["PORT"], bare["DEBUG"], bare["Q_STOP_GRACE"]) == ("8000", "1", "3")


def test_dev_run_names_port_when_the_port_is_busy():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        problem = dev.port_problem(str(busy.getsockname()[1]))
    assert problem is not None and "PORT" in problem and "busy" in problem
    assert "PORT" in dev.port_problem("http")
    assert dev.port_problem(str(free_port())) is None
