"""Natal charts: computed once per birth data, summarised and interpreted from the chart's facts."""

from datetime import UTC, date, datetime, time

import pytest
from django.utils import translation

from bot.natal.tasks import natal_interpret
from horoscopes.natal.models import NatalChart
from horoscopes.natal.services import BirthDataMissing, natal_chart_get, natal_interpretation_store
from horoscopes.writer import natal as natal_writer
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = pytest.mark.django_db


def test_missing_data_is_named():
    user = TelegramUserFactory(telegram_id=1)
    user.birth_date, user.birth_time_unknown = date(1990, 1, 1), True
    user.save()
    with pytest.raises(BirthDataMissing) as error:
        natal_chart_get(user_id=user.pk)
    assert error.value.missing == ["place"]


def test_chart_is_computed_once_and_again_when_birth_data_changes():
    user = TelegramUserFactory(born=True)

    first = natal_chart_get(user_id=user.pk)
    again = natal_chart_get(user_id=user.pk)

    assert again.pk == first.pk and again.computed_at == first.computed_at
    assert first.data["points"]["sun"]["sign"] == "taurus"
    assert first.data["points"]["moon"]["sign"] == "capricorn"
    assert abs(first.data["asc"] - (150 + 15 + 22 / 60 + 41 / 3600)) < 1 / 60  # 15°22'41" Virgo
    assert first.has_houses and len(first.data["houses"]) == 12

    natal_interpretation_store(chart_id=first.pk, birth_key=first.birth_key, language="ru", text="текст")
    TelegramUser.objects.filter(pk=user.pk).update(
        birth_time=time(6, 0), birth_utc=datetime(1990, 5, 15, 2, tzinfo=UTC)
    )
    changed = natal_chart_get(user_id=user.pk)

    assert changed.pk == first.pk
    assert changed.birth_key != first.birth_key
    assert changed.interpretations == {}
    assert changed.data["asc"] != first.data["asc"]
    assert NatalChart.objects.count() == 1


def test_unknown_time_leaves_out_houses_and_says_why():
    user = TelegramUserFactory(
        born=True, birth_time=None, birth_time_unknown=True, birth_utc=datetime(1990, 5, 15, 8, 0, tzinfo=UTC)
    )

    chart = natal_chart_get(user_id=user.pk)

    assert not chart.has_houses
    assert chart.data["asc"] is None and chart.data["houses"] == []
    with translation.override("ru"):
        summary = natal_writer.chart_summary(chart.data, "ru", full=True)
        interpretation = natal_writer.interpretation_offline(chart.data, "ru")
    assert "Асцендент" not in natal_writer.big_three(chart.data, "ru")
    assert "Время рождения неизвестно" in summary
    assert "дом)" not in interpretation


def test_polar_birth_falls_back_to_porphyry_and_says_so():
    user = TelegramUserFactory(
        born=True,
        birth_lat=69.65,
        birth_lon=18.96,
        birth_tz="Europe/Oslo",
        birth_utc=datetime(1990, 12, 21, 11, 0, tzinfo=UTC),
    )
    chart = natal_chart_get(user_id=user.pk)

    assert chart.data["house_system"] == "porphyry" and chart.data["polar_fallback"] is True
    with translation.override("en"):
        assert "Porphyry" in natal_writer.chart_summary(chart.data, "en", full=False)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_summary_and_interpretation_read_in_the_users_language(language):
    chart = natal_chart_get(user_id=TelegramUserFactory(born=True).pk)

    with translation.override(language):
        free = natal_writer.chart_summary(chart.data, language, full=False)
        full = natal_writer.chart_summary(chart.data, language, full=True)
        text = natal_writer.interpretation_offline(chart.data, language)

    expected = {
        "ru": ("☉ Солнце в Тельце · ☽ Луна в Козероге · ↑ Асцендент в Деве", "Солнце в Тельце</b>", "9-й дом"),
        "en": ("☉ Sun in Taurus · ☽ Moon in Capricorn · ↑ Ascendant in Virgo", "Sun in Taurus</b>", "house 9"),
    }[language]
    assert expected[0] in free
    assert "Плутон" not in free and "Pluto" not in free
    assert ("Плутон" if language == "ru" else "Pluto") in full
    assert expected[1] in text and expected[2] in text
    assert text.count("\n\n") >= 10
    other = "en" if language == "ru" else "ru"
    assert not any(phrase in text for phrase in natal_writer.SIGN_STYLE["taurus"][other])


def test_interpretation_is_stored_once_per_language():
    chart = natal_chart_get(user_id=TelegramUserFactory(born=True).pk)

    assert natal_interpretation_store(chart_id=chart.pk, birth_key=chart.birth_key, language="ru", text="one")
    assert not natal_interpretation_store(chart_id=chart.pk, birth_key=chart.birth_key, language="ru", text="two")
    assert not natal_interpretation_store(chart_id=chart.pk, birth_key="stale", language="en", text="three")
    chart.refresh_from_db()
    assert chart.interpretations == {"ru": "one"}


def test_interpretation_by_the_llm_is_grounded_in_the_chart(llm, bot_settings):
    chart = natal_chart_get(user_id=TelegramUserFactory(telegram_id=501, born=True, premium_until=None).pk)
    llm.responder = lambda request: "<b>Солнце в Тельце</b> даёт вам спокойную силу и любовь к надёжным вещам. " * 8

    natal_interpret(chart.pk, "ru")

    chart.refresh_from_db()
    [call] = llm.calls_to("/v1/chat/completions")
    facts = call.body["messages"][1]["content"]
    assert "Солнце: 24°20' Телец, дом 9" in facts and "Асцендент: 15°22' Дева" in facts
    assert chart.interpretations["ru"].startswith("🔮 <b>Толкование вашей карты</b>")
    assert "спокойную силу" in chart.interpretations["ru"]
    [sent] = bot_settings.calls_to("sendMessage")
    assert int(sent.params["chat_id"]) == 501


def test_interpretation_falls_back_to_the_offline_writer_when_the_llm_fails(llm, bot_settings):
    chart = natal_chart_get(user_id=TelegramUserFactory(born=True).pk)
    llm.fail_next("server_error", times=10)

    natal_interpret(chart.pk, "en")
    natal_interpret(chart.pk, "en")  # a retried task sends nothing more

    chart.refresh_from_db()
    assert "<b>Sun in Taurus</b>" in chart.interpretations["en"]
    assert len(bot_settings.calls_to("sendMessage")) == 1
