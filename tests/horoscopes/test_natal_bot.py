"""/natal through the webhook against the fake Bot API: full data, unknown time, missing data, free users."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from horoscopes.natal.models import NatalChart
from tests.driver import Dialog
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db

CHAT = 7_000_000_101


def photos(dialog: Dialog) -> list:
    return [call for call in dialog.history if call.method == "sendPhoto"]


def test_premium_user_gets_wheel_summary_then_interpretation_and_the_wheel_is_reused(
    bot_settings, django_capture_on_commit_callbacks
):
    TelegramUserFactory(telegram_id=CHAT, first_name="Анна", born=True, onboarded=True, premium=True)
    dialog = Dialog(bot_settings, chat_id=CHAT)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        shown = dialog.send("/natal")

    assert len(queued) == 1
    shown += [call.params["text"] for call in bot_settings.calls[dialog.seen :] if call.method == "sendMessage"]
    dialog.seen = len(bot_settings.calls)

    [photo] = photos(dialog)
    assert photo.files, "the first wheel is uploaded"
    text = "\n".join(shown)
    assert "☉ Солнце в Тельце · ☽ Луна в Козероге · ↑ Асцендент в Деве" in text
    assert "Плутон" in text and "Самые точные аспекты" in text
    assert "Толкование вашей карты" in text  # the task ran (inline in tests) and the sender delivered it
    chart = NatalChart.objects.get(user__telegram_id=CHAT)
    assert set(chart.interpretations) == {"ru"}
    assert chart.wheel_file_ids["ru"]

    again = dialog.send("🌌 Натальная карта")

    second = photos(dialog)[-1]
    assert not second.files and second.params["photo"] == chart.wheel_file_ids["ru"]
    assert sum("Толкование вашей карты" in line for line in again) == 1
    assert NatalChart.objects.count() == 1


def test_free_user_sees_the_wheel_the_big_three_and_an_offer(bot_settings):
    TelegramUserFactory(telegram_id=CHAT, first_name="Анна", born=True, onboarded=True, language="en")
    dialog = Dialog(bot_settings, chat_id=CHAT, language_code="en")

    text = "\n".join(dialog.send("/natal"))

    assert len(photos(dialog)) == 1
    assert "☉ Sun in Taurus · ☽ Moon in Capricorn · ↑ Ascendant in Virgo" in text
    assert "Pluto" not in text
    assert "/premium" in text
    assert NatalChart.objects.get().interpretations == {}


def test_unknown_birth_time_says_why_houses_are_missing(bot_settings):
    TelegramUserFactory(
        telegram_id=CHAT,
        first_name="Анна",
        born=True,
        onboarded=True,
        birth_time=None,
        birth_time_unknown=True,
        birth_utc=datetime(1990, 5, 15, 8, tzinfo=UTC),
        premium_until=timezone.now() + timedelta(days=1),
    )
    dialog = Dialog(bot_settings, chat_id=CHAT)

    text = "\n".join(dialog.send("/natal"))

    assert "Время рождения неизвестно" in text
    assert "Асцендент в" not in text
    assert not NatalChart.objects.get().has_houses


def test_missing_birth_data_is_asked_for_then_the_chart_follows(bot_settings):
    TelegramUserFactory(
        telegram_id=CHAT,
        first_name="Анна",
        born=True,
        onboarded=True,
        birth_date=None,
        birth_time=None,
        birth_place="",
        birth_lat=None,
        birth_lon=None,
        birth_tz="",
        birth_utc=None,
        sign="",
    )
    dialog = Dialog(bot_settings, chat_id=CHAT)

    asked = "\n".join(dialog.send("/natal"))
    assert not photos(dialog)
    assert "дат" in asked.lower()

    dialog.send("15.05.1990")
    dialog.send("14:30")
    dialog.send("Москва")

    assert len(photos(dialog)) == 1
    assert NatalChart.objects.get().data["points"]["sun"]["sign"] == "taurus"
