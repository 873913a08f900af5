"""An out-of-range price already in the database is settled by the migration that bounds prices."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_huge_price_and_its_payment_are_settled_by_migrating(tmp_path):
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SQLITE_PATH"}}
    result = subprocess.run(
        [sys.executable, "-m", "tests.payments.price_bounds_check"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "TESTING": "1",
            "SQLITE_PATH": str(tmp_path / "odd.sqlite3"),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "before: " in result.stdout  # the odd row really broke reading the list
    assert "settled by the migration" in result.stdout
