"""The release step: migrate, collectstatic, sync_schedules, set_webhook (skipped until it can work)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_q.models import Schedule

pytestmark = pytest.mark.django_db


def run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **options)
    return out.getvalue()


def test_release_runs_every_step_and_registers_the_webhook(bot_settings, settings, tmp_path: Path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PUBLIC_URL = "https://astro.example.com"
    Schedule.objects.all().delete()

    out = run("release")

    assert [line for line in out.splitlines() if line.startswith("release:")] == [
        "release: migrate",
        "release: collectstatic",
        "release: sync_roles",
        "release: sync_schedules",
        "release: set_webhook",
        "release: done",
    ]
    assert (tmp_path / "static" / "admin" / "css" / "base.css").exists()
    assert Schedule.objects.exists()
    assert bot_settings.calls_to("setWebhook")[0].params["url"] == "https://astro.example.com/telegram/webhook/"


@pytest.mark.parametrize(
    ("token", "public_url", "reason"),
    [("", "https://astro.example.com", "TELEGRAM_BOT_TOKEN is not set"), (None, "", "PUBLIC_URL is not set")],
)
def test_release_skips_the_webhook_until_token_and_address_are_set(
    bot_settings, settings, tmp_path: Path, token, public_url, reason
):
    settings.STATIC_ROOT = tmp_path / "static"
    if token is not None:
        settings.TELEGRAM_BOT_TOKEN = token
    settings.PUBLIC_URL = public_url

    out = run("release", "--skip-collectstatic")  # exits normally: a first deploy, or a polling deployment

    assert f"Webhook not set: {reason}" in out
    assert "manage.py runbot" in out
    assert "release: collectstatic" not in out
    assert not bot_settings.calls_to("setWebhook")


def test_a_set_but_wrong_public_url_still_fails_the_release(bot_settings, settings):
    settings.PUBLIC_URL = "http://astro.example.com"
    with pytest.raises(CommandError, match="must start with https://"):
        run("release", "--skip-collectstatic")


def test_ensure_admin_never_prints_a_generated_password_into_logs(settings):
    settings.ADMIN_PASSWORD = ""

    out = run("ensure_admin")  # a StringIO, like a platform's log collector: not a terminal

    admin = get_user_model().objects.get()
    assert admin.is_superuser
    assert "password '" not in out
    assert "ADMIN_PASSWORD" in out and f"changepassword {admin.username}" in out
