"""Development processes stop cleanly: `manage.py runbot` on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.console.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent


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
