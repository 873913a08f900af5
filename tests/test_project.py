"""Project-wide guarantees: translations complete and compiled, production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
RU = ROOT / "locale" / "ru" / "LC_MESSAGES"


def test_every_message_has_a_russian_translation():
    po = polib.pofile(str(RU / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_compiled_translations_match_the_sources():
    def table(catalog: polib._BaseFile) -> dict:
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            for entry in catalog
            if not entry.obsolete and entry.msgid
        }

    po = polib.pofile(str(RU / "django.po"))
    mo = polib.mofile(str(RU / "django.mo"))
    assert table(po) == table(mo), "run `manage.py compilemessages` and commit the .mo file"


def _start(env: dict) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "TESTING", "TELEGRAM_WEBHOOK_SECRET", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "TESTING": "0", "ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "TELEGRAM_WEBHOOK_SECRET"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 60, "TELEGRAM_WEBHOOK_SECRET": "hook", "ALLOWED_HOSTS": "a.example"}
    del env[missing]

    result = _start(env)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_starts_with_its_secrets():
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 60, "TELEGRAM_WEBHOOK_SECRET": "hook", "ALLOWED_HOSTS": "a.example"}
    result = _start(env)
    assert result.returncode == 0, result.stderr


def test_time_zones_come_from_the_pinned_tzdata_package_only(tmp_path):
    """A zone file on the host's search path is never read once the project is imported."""
    import tzdata

    host = tmp_path / "zoneinfo" / "Test"
    host.mkdir(parents=True)
    (host / "Only").write_bytes((Path(tzdata.__file__).parent / "zoneinfo" / "Asia" / "Tokyo").read_bytes())
    probe = (
        "import zoneinfo, config\n"
        "try:\n    zoneinfo.ZoneInfo('Test/Only')\nexcept zoneinfo.ZoneInfoNotFoundError:\n    print('pinned')\n"
        "print(zoneinfo.ZoneInfo('Asia/Khandyga').key)"
    )
    env = {**os.environ, "PYTHONTZPATH": str(tmp_path / "zoneinfo")}
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["pinned", "Asia/Khandyga"]
