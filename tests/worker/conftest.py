import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated by a real `manage.py migrate` (schedules synced): copy it, do not write to it."""
    path = tmp_path_factory.mktemp("worker") / "migrated.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "TESTING"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ENV_FILE=os.devnull, DEBUG="1", SQLITE_PATH=str(path))
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return path
