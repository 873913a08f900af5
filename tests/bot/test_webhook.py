"""The webhook, end to end: real update JSON through the ASGI application to the fake Bot API."""

import json
import re
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from tests import driver
from tests.driver import post, texts_to
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = pytest.mark.django_db

CHAT = 5000000001


def test_start_greets_in_russian_with_the_menu(bot_settings):
    [response] = post(driver.load("message_start"))

    assert response.status_code == 200
    # Someone new is greeted with a picture and onboarding (tests/users/test_onboarding.py has the rest).
    [call] = bot_settings.calls_to("sendPhoto")
    assert int(call.params["chat_id"]) == CHAT
    assert "Анна" in call.params["caption"]
    user = TelegramUser.objects.get(telegram_id=CHAT)
    assert (user.language, user.username, user.first_name) == ("ru", "anna_iv", "Анна")
    assert TelegramUpdate.objects.get().status == UpdateStatus.DONE

    TelegramUser.objects.filter(telegram_id=CHAT).update(onboarded_at=timezone.now())
    post(driver.load("message_start"))
    [call] = bot_settings.calls_to("sendMessage")
    assert "Анна" in call.params["text"]
    keyboard = [
        button["text"] if isinstance(button, dict) else button
        for row in call.params["reply_markup"]["keyboard"]
        for button in row
    ]
    assert "🔮 Гороскоп" in keyboard
    assert "🃏 Таро" in keyboard


def test_english_speaker_gets_english(bot_settings):
    post(driver.load("message_start", user_id=777, language_code="en-GB"))

    [call] = bot_settings.calls_to("sendPhoto")
    assert call.params["caption"].startswith("✨ Hello")
    assert TelegramUser.objects.get(telegram_id=777).language == "en"


def test_large_telegram_ids_are_stored(bot_settings):
    big = 2**40 + 5
    post(driver.message("/start", user_id=big))

    assert TelegramUser.objects.filter(telegram_id=big).exists()
    assert bot_settings.sent_to(big)


def test_help_and_menu_button(bot_settings):
    post(driver.message("/help"), driver.message("❓ Помощь"), driver.message("🔮 Гороскоп"))

    sent = texts_to(bot_settings, CHAT)
    assert len(sent) == 3
    assert sent[0] == sent[1]
    assert "Что я умею" in sent[0]


@pytest.mark.parametrize(("language", "header"), [("ru", "Команды:"), ("en", "Commands:")])
def test_help_lists_every_command_the_bot_answers(bot_settings, language, header):
    from telegram.ext import CommandHandler

    from bot.application import build_application

    commands = {
        command
        for group in build_application().handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    TelegramUserFactory(telegram_id=CHAT, language=language, onboarded_at=timezone.now())

    post(driver.message("/help"))

    [text] = texts_to(bot_settings, CHAT)
    listed = set(re.findall(r"^/([a-z_]+) — ", text.split(header, 1)[1], re.MULTILINE))
    assert listed == commands


@pytest.mark.parametrize("secret", ["", "wrong", "x" * 300, "секрет"])
def test_wrong_or_missing_secret_is_refused_and_nothing_is_stored(bot_settings, secret):
    [response] = post(driver.load("message_start"), secret=secret)

    assert response.status_code == 403
    assert not TelegramUpdate.objects.exists()
    assert not TelegramUser.objects.exists()
    assert not bot_settings.calls_to("sendMessage")


def test_replayed_update_is_processed_once(bot_settings):
    update = driver.load("message_start")
    first, second = post(update, update)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["result"] == "duplicate"
    assert len(bot_settings.calls_to("sendPhoto")) == 1
    assert TelegramUpdate.objects.count() == 1


def test_update_whose_lease_lapsed_is_taken_again_and_a_held_one_is_retried_later(bot_settings):
    update = driver.load("message_start")
    TelegramUpdate.objects.create(
        update_id=update["update_id"],
        status=UpdateStatus.PROCESSING,
        started_at=timezone.now() - timedelta(seconds=30),
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    held = driver.load("message_start")
    TelegramUpdate.objects.create(
        update_id=held["update_id"],
        status=UpdateStatus.PROCESSING,
        started_at=timezone.now(),
        lease_until=timezone.now() + timedelta(seconds=12),
    )

    stale_response, held_response = post(update, held)

    assert stale_response.json()["result"] == "processed"
    # Not a 200: the worker holding it may still die, and Telegram must then deliver it again.
    assert held_response.status_code == 503
    assert held_response.headers["retry-after"] in {"11", "12"}
    claim = TelegramUpdate.objects.get(update_id=update["update_id"])
    assert (claim.status, claim.attempts) == (UpdateStatus.DONE, 2)
    assert len(bot_settings.calls_to("sendPhoto")) == 1


def test_handler_error_is_answered_politely_recorded_and_still_200(bot_settings):
    bot_settings.fail_next("sendPhoto", "bad_request")
    update = driver.load("message_start")

    [response] = post(update)

    assert response.status_code == 200
    claim = TelegramUpdate.objects.get()
    assert claim.status == UpdateStatus.FAILED
    assert "BadRequest" in claim.error
    assert claim.payload == update
    assert any("что-то пошло не так" in text for text in texts_to(bot_settings, CHAT))


def test_database_down_answers_503(bot_settings):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("database is down")

    # The handlers' database work runs in this (the outer sync) thread, on this connection.
    with connection.execute_wrapper(refuse):
        [response] = post(driver.load("message_start"))

    assert response.status_code == 503
    assert not bot_settings.calls_to("sendMessage")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe\x00", 400),
        (b"[]", 400),
        (b'"text"', 400),
        (b"{}", 400),
        (b'{"update_id": "1"}', 400),
        (b'{"update_id": true}', 400),
        (b'{"update_id": -5}', 400),
        (b'{"update_id": 99999999999999999999999}', 400),
        (b'{"update_id": NaN}', 400),
        (b'{"update_id": 1, "x": -Infinity}', 400),
    ],
)
def test_malformed_bodies_get_a_clear_4xx(bot_settings, body, status):
    response = driver.request(
        "POST",
        "/telegram/webhook/",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": "astrobot-dev-webhook-secret"},
    )

    assert response.status_code == status
    assert not TelegramUpdate.objects.exists()


def test_update_with_unreadable_shape_is_recorded_failed_and_answered_200(bot_settings):
    update = {"update_id": 42, "message": {"message_id": "x", "chat": "nope", "date": "never"}}
    [response] = post(update)

    assert response.status_code == 200
    claim = TelegramUpdate.objects.get(update_id=42)
    assert claim.status == UpdateStatus.FAILED
    assert claim.payload == update


def test_huge_body_is_refused(bot_settings, settings):
    settings.TELEGRAM_WEBHOOK_MAX_BODY = 10_000
    update = driver.message("a" * 20_000)
    [response] = post(update)

    assert response.status_code == 413
    assert not TelegramUpdate.objects.exists()


def test_get_is_not_allowed(bot_settings):
    assert driver.request("GET", "/telegram/webhook/").status_code == 405


def test_callback_switches_language(bot_settings):
    post(driver.load("message_start"), driver.load("callback_query"))

    assert TelegramUser.objects.get(telegram_id=CHAT).language == "en"
    assert bot_settings.calls_to("answerCallbackQuery")
    assert texts_to(bot_settings, CHAT)[-1] == "Done: I will speak English now."


def test_unknown_callback_is_answered(bot_settings):
    post(driver.callback("gone:1"))

    assert len(bot_settings.calls_to("answerCallbackQuery")) == 1


def test_edited_message_is_recorded_and_ignored(bot_settings):
    [response] = post(driver.load("edited_message"))

    assert response.status_code == 200
    assert TelegramUpdate.objects.get().status == UpdateStatus.DONE
    assert not bot_settings.calls_to("sendMessage")


def test_blocking_and_coming_back(bot_settings):
    post(driver.load("message_start"), driver.load("my_chat_member_kicked"))
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is not None

    post(driver.message("Привет"))
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is None


def test_payment_updates_for_an_unknown_order_get_clear_answers(bot_settings):
    checkout, paid = post(driver.load("pre_checkout_query"), driver.load("successful_payment"))

    assert (checkout.status_code, paid.status_code) == (200, 200)
    assert set(TelegramUpdate.objects.values_list("status", flat=True)) == {UpdateStatus.DONE}
    [answer] = bot_settings.calls_to("answerPreCheckoutQuery")
    assert answer.params["ok"] is False and answer.params["error_message"]
    [notice] = bot_settings.calls_to("sendMessage")
    assert int(notice.params["chat_id"]) == CHAT


def test_webhook_without_token_answers_503(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    [response] = post(driver.load("message_start"))

    assert response.status_code == 503


def test_nul_and_lone_surrogates_are_stored_safely(bot_settings):
    update = driver.message("/start")
    update["message"]["from"]["first_name"] = "A\u0000n\ud800na"
    body = json.dumps(update).encode()

    response = driver.request(
        "POST",
        "/telegram/webhook/",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": "astrobot-dev-webhook-secret"},
    )

    assert response.status_code == 200
    assert TelegramUpdate.objects.get().status == UpdateStatus.DONE
    assert TelegramUser.objects.get(telegram_id=CHAT).first_name == "An?na"
