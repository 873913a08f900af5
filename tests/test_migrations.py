"""A database made by an earlier release migrates forward with every row intact (models moved, tables kept).

The check runs in a subprocess against a database of its own (a fresh SQLite file, and a fresh PostgreSQL
database when the suite runs on PostgreSQL): migrating a shared test database backwards and forwards would
disturb the other tests.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _check(env: dict[str, str]) -> None:
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SQLITE_PATH"}}
    result = subprocess.run(
        [sys.executable, "-m", "tests.migration_check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "TESTING": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "migrated forward with every row" in result.stdout


def test_an_older_sqlite_database_migrates_forward(tmp_path):
    _check({"SQLITE_PATH": str(tmp_path / "old.sqlite3")})


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL")
def test_an_older_postgresql_database_migrates_forward():
    server = settings.DATABASES["default"]
    name = f"astrobot_migrations_{uuid.uuid4().hex[:8]}"
    admin = {"host": server["HOST"], "port": server["PORT"] or 5432, "user": server["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, password=server["PASSWORD"] or None, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{server['USER']}:{server['PASSWORD']}@" if server["PASSWORD"] else f"{server['USER']}@"
        _check({"DATABASE_URL": f"postgres://{auth}{admin['host']}:{admin['port']}/{name}", "DB_POOL": "0"})
    finally:
        with psycopg.connect(**admin, password=server["PASSWORD"] or None, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
