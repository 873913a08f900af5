"""The terminal tools run on a machine with no configuration at all, as a fresh checkout is."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCONFIGURED = {"DEBUG", "TESTING", "SECRET_KEY", "DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in UNCONFIGURED}
    # No .env either, and a database of the test's own.
    env["ENV_FILE"] = str(tmp_path / "missing.env")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_chat_prepares_a_fresh_database_and_answers(tmp_path):
    result = _run(tmp_path, "chat", "--files", str(tmp_path / "files"), stdin="/start\n/quit\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Preparing the database" in result.stdout
    assert "Астробот" in result.stdout


def test_chart_and_place_need_no_configuration(tmp_path):
    chart = _run(tmp_path, "chart", "--utc", "1990-05-17T09:30", "--lat", "55.75", "--lon", "37.62")
    assert chart.returncode == 0, chart.stderr[-2000:]
    assert "Солнце" in chart.stdout or "Sun" in chart.stdout
    place = _run(tmp_path, "place", "Москва")
    assert place.returncode == 0, place.stderr[-2000:]
    assert "Europe/Moscow" in place.stdout


def test_check_runs_on_a_fresh_checkout(tmp_path):
    result = _run(tmp_path, "check")
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_production_configuration_is_left_alone(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "chart", "--utc", "1990-05-17T09:30", "--lat", "55.75", "--lon", "37.62"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in UNCONFIGURED},
            "ENV_FILE": str(tmp_path / "missing.env"),
            "SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    # With a SECRET_KEY the machine is configured for production: ALLOWED_HOSTS is then required.
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
