"""Tarot tasks: the interpretation is sent once, a blocked user is skipped, the sweep finds lost ones; user data."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bot.privacy.person import person_erase, person_export
from bot.schedules import all_schedules
from bot.tarot.tasks import tarot_interpretations_sweep, tarot_reading_interpret
from horoscopes.tarot.models import TarotReading
from horoscopes.tarot.selectors import tarot_user_data_export
from horoscopes.tarot.services import tarot_day_card_draw, tarot_reading_draw
from users.models import TelegramUser

pytestmark = pytest.mark.django_db
CHAT = 5300000001


def make_reading(language: str = "ru", key: str = "k") -> TarotReading:
    user, _ = TelegramUser.objects.get_or_create(telegram_id=CHAT, defaults={"language": language})
    return tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key=key, local_date=date(2026, 11, 22)).reading


def interpretations(api) -> list:
    return [call for call in api.sent_to(CHAT) if call.method == "sendMessage" and call.status == 200]


def test_the_interpretation_is_sent_once_even_if_the_task_runs_twice(bot_settings):
    reading = make_reading()

    assert tarot_reading_interpret(reading.pk) == "sent"
    assert tarot_reading_interpret(reading.pk) == "already sent or being sent"

    [sent] = interpretations(bot_settings)
    assert "Итог расклада" in sent.params["text"]
    keyboard = sent.params["reply_markup"]["inline_keyboard"][0]
    assert [button["text"] for button in keyboard] == ["🔮 Новый расклад", "📜 Мои расклады"]
    reading.refresh_from_db()
    assert reading.delivered_at is not None


def test_a_user_who_blocked_the_bot_is_skipped_and_marked(bot_settings):
    reading = make_reading()
    bot_settings.block_chat(CHAT)

    assert tarot_reading_interpret(reading.pk) == "blocked"

    reading.refresh_from_db()
    assert reading.interpretation_status == TarotReading.Status.DONE
    assert reading.delivered_at is None and reading.delivery_started_at is None
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is not None


def test_a_failed_send_is_released_and_the_sweep_sends_it_later(bot_settings, django_capture_on_commit_callbacks):
    reading = make_reading("en")
    bot_settings.fail_next("sendMessage", "bad_request")
    assert tarot_reading_interpret(reading.pk) == "failed"
    assert not interpretations(bot_settings)

    TarotReading.objects.filter(pk=reading.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert tarot_interpretations_sweep() == 1

    [sent] = interpretations(bot_settings)
    assert "Summary" in sent.params["text"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tarot_interpretations_sweep() == 0


def test_the_sweep_is_scheduled():
    names = {spec.name: spec.func for spec in all_schedules()}
    assert names["tarot interpretations sweep"] == "bot.tarot.tasks.tarot_interpretations_sweep"


def test_my_data_has_the_readings_and_delete_me_removes_them():
    reading = make_reading()
    tarot_day_card_draw(user_id=reading.user_id, local_date=date(2026, 11, 22))

    section, data = tarot_user_data_export(reading.user)
    assert section == "tarot_readings"
    assert [item["kind"] for item in data] == ["three", "day"]
    assert [card["position"] for card in data[0]["cards"]] == [1, 2, 3]
    assert person_export(user_id=reading.user_id)["tarot_readings"] == data

    assert person_erase(user_id=reading.user_id)
    assert not TarotReading.objects.exists()
