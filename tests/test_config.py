"""Configuration mistakes are caught at start-up, by name: typos, bad values, a production without hosts."""

import subprocess
import sys
from pathlib import Path

import pytest

import config.settings
from config.environment import Env, documented_names, typo_warnings
from tests.processes import ROOT, child_environment

EXAMPLE = ROOT / ".env.example"


def start(**env: str) -> subprocess.CompletedProcess:
    """Set Django up in a fresh production-like process (no web server) and return what it printed."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=child_environment(**{"DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "text", **env}),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_misspelt_setting_is_reported_at_start_from_the_environment_or_env_file(tmp_path: Path):
    env_file = tmp_path / "astrobot.env"
    env_file.write_text("LLM_MODLE=gpt-4o\n")

    result = start(TELEGRAM_BOT_TOKN="123:abc", ENV_FILE=str(env_file))

    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKN is set but is not a setting Astrobot reads; did you mean TELEGRAM_BOT_TOKEN?" in (
        result.stderr
    )
    assert "did you mean LLM_MODEL?" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "ture", "DEBUG must be a boolean (1/0/true/false), got 'ture'"),
        ("PAYMENTS_STARS_ENABLED", "maybe", "PAYMENTS_STARS_ENABLED must be a boolean (1/0/true/false), got 'maybe'"),
        ("TELEGRAM_CLAIM_LEASE_SECONDS", "20s", "TELEGRAM_CLAIM_LEASE_SECONDS must be an integer, got '20s'"),
        ("LLM_TIMEOUT", "half a minute", "LLM_TIMEOUT must be a number, got 'half a minute'"),
        ("PAYMENTS_REMINDER_DAYS", "3,one", "PAYMENTS_REMINDER_DAYS must be a comma-separated list of integers"),
        ("LLM_PRICES", "{gpt: 1}", "LLM_PRICES must be JSON, got '{gpt: 1}'"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, got 'xml'"),
        ("Q_LOG_LEVEL", "loud", "Q_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got 'LOUD'"),
    ],
)
def test_an_invalid_value_names_the_variable_and_the_value(name, value, message):
    result = start(**{name: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start(ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_booleans_accept_the_usual_spellings(monkeypatch):
    env = Env()
    for raw, expected in [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("ASTROBOT_TEST_FLAG", raw)
        assert env.bool("ASTROBOT_TEST_FLAG") is expected


def test_typo_warnings_leave_other_programs_variables_alone():
    known = documented_names(EXAMPLE)
    environment = {
        name: "x"
        for name in [
            "PATH", "HOME", "HOSTNAME", "LANG", "PYTHONPATH", "PYTHON_VERSION", "VIRTUAL_ENV", "DYNO",
            "DATABASE_PUBLIC_URL", "RENDER_EXTERNAL_URL", "FLY_APP_NAME", "GUNICORN_CMD_ARGS", "SENTRY_RELEASE",
            "PORT", "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE", "TERM", "PWD", "SHLVL", "DEBUG", "LOG_LEVEL",
        ]
    }  # fmt: skip

    assert typo_warnings(known=known, environment=environment) == []
    assert typo_warnings(known=known, environment={"debug": "1"}) == [
        "debug is set but is not a setting Astrobot reads; did you mean DEBUG? It is ignored."
    ]


def test_every_variable_the_settings_read_is_documented_in_env_example():
    undocumented = config.settings.env.read - documented_names(EXAMPLE) - {"TESTING", "ENV_FILE"}
    assert not undocumented, f"document these in .env.example: {sorted(undocumented)}"


def test_every_middleware_runs_in_the_event_loop(settings):
    """A sync-only middleware would put every webhook request through a thread hop under ASGI."""
    from django.utils.module_loading import import_string

    sync_only = [path for path in settings.MIDDLEWARE if not getattr(import_string(path), "async_capable", False)]
    assert sync_only == []
