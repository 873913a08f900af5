"""The operator's commands: runbot, set_webhook, webhook_info, delete_webhook, ensure_admin, chat."""

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from bot.models import TelegramUpdate, UpdateStatus
from tests import driver
from users.models import TelegramUser


def run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_runbot_answers_start_by_polling(bot_settings):
    bot_settings.push_update(driver.load("message_start"))
    bot_settings.push_update(driver.message("/help"))

    out, _ = run("runbot", "--timeout", "0", "--batches", "1")

    assert "Polling as @astrobot_fake_bot" in out
    assert "2 updates" in out
    sent = [call.params.get("caption") or call.params["text"] for call in bot_settings.sent_to(5000000001)]
    assert len(sent) == 2
    assert "Анна" in sent[0]  # the onboarding greeting (a picture with a caption)
    assert bot_settings.calls_to("deleteWebhook")[0].params.get("drop_pending_updates") in (None, False, "false")
    polled = bot_settings.calls_to("getUpdates")[0].params
    assert set(polled["allowed_updates"]) >= {"message", "callback_query", "pre_checkout_query", "my_chat_member"}
    assert TelegramUpdate.objects.filter(status=UpdateStatus.DONE).count() == 2


@pytest.mark.django_db(transaction=True)
def test_runbot_skips_an_update_the_webhook_already_processed(bot_settings):
    update = driver.load("message_start")
    TelegramUpdate.objects.create(
        update_id=update["update_id"], status=UpdateStatus.DONE, started_at="2026-01-01T00:00Z"
    )
    bot_settings.push_update(update)

    run("runbot", "--timeout", "0", "--batches", "1")

    assert not bot_settings.calls_to("sendMessage")


def test_runbot_without_token_explains_how_to_get_one(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("runbot", stderr=err)
    assert "@BotFather" in err.getvalue()
    assert "manage.py chat" in err.getvalue()


def test_set_webhook_registers_url_secret_updates_and_commands(bot_settings, settings):
    settings.PUBLIC_URL = "https://astro.example.com/"

    out, _ = run("set_webhook")

    [call] = bot_settings.calls_to("setWebhook")
    assert call.params["url"] == "https://astro.example.com/telegram/webhook/"
    assert call.params["secret_token"] == settings.TELEGRAM_WEBHOOK_SECRET
    assert "pre_checkout_query" in call.params["allowed_updates"]
    assert call.params.get("drop_pending_updates") in (None, False)
    menus = {
        call.params.get("language_code"): call.params["commands"] for call in bot_settings.calls_to("setMyCommands")
    }
    assert {"ru", "en", None} <= set(menus)
    assert {"command": "start", "description": "Main menu"} in menus["en"]
    assert {"command": "start", "description": "Главное меню"} in menus["ru"]
    assert "Webhook set" in out

    info, _ = run("webhook_info")
    assert "https://astro.example.com/telegram/webhook/" in info
    assert "pending updates: 0" in info

    bot_settings.set_webhook_error("Wrong response from the webhook: 502 Bad Gateway")
    info, _ = run("webhook_info")
    assert "502 Bad Gateway" in info

    run("delete_webhook")
    info, _ = run("webhook_info")
    assert "(none" in info


@pytest.mark.parametrize("url", ["", "http://astro.example.com"])
def test_set_webhook_needs_an_https_public_url(bot_settings, settings, url):
    settings.PUBLIC_URL = url
    with pytest.raises(CommandError, match="PUBLIC_URL"):
        run("set_webhook")
    assert not bot_settings.calls_to("setWebhook")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_ensure_admin_creates_one_staff_account_and_prints_the_password_once(settings):
    settings.ADMIN_PASSWORD = ""
    first_out, second_out = Terminal(), Terminal()
    call_command("ensure_admin", stdout=first_out)
    call_command("ensure_admin", stdout=second_out)
    first, second = first_out.getvalue(), second_out.getvalue()

    admin = get_user_model().objects.get()
    password = first.split("password '")[1].split("'")[0]
    assert admin.is_superuser and admin.check_password(password)
    assert password not in second
    assert "exists" in second


@pytest.mark.django_db(transaction=True)
def test_chat_console_runs_the_real_handlers(monkeypatch):
    # Onboarding: language, birth date, time unknown, birthplace later, 09:00; then Help from the menu.
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n#1\n15.03.1990\n#1\n#1\n#3\n#6\n#99\n/quit\n"))

    out, _ = run("chat", "--user-id", "4242", "--name", "Ольга")

    assert "Здравствуйте, Ольга!" in out
    assert "[#1] 🔮 Гороскоп" in out
    assert "Что я умею" in out
    assert "There is no button #99." in out
    assert TelegramUser.objects.get(telegram_id=4242).first_name == "Ольга"
