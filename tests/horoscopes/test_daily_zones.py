"""The reader's own day: general daily texts are written per UTC offset group, for the reader's local date.

3 July 2027: the Moon enters Cancer at 07:58 UTC and the new moon is exact at 03:01 UTC on 4 July. At local
noon a Moscow reader has the Moon in Cancer and no new moon that day; a Vladivostok reader still has it in
Gemini (it enters Cancer at 17:58 their time); a New York reader has their new moon at 23:01 on the 3rd.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bot.console.fake_api import parse_html
from bot.horoscope import tasks as delivery
from horoscopes.daily import services, tasks
from horoscopes.daily.models import DailyHoroscope
from horoscopes.writer.grammar import sign_in
from tests.driver import Dialog
from tests.factories import TelegramUserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

DAY = date(2027, 7, 3)
ZONES = {"moscow": "Europe/Moscow", "vladivostok": "Asia/Vladivostok", "new_york": "America/New_York"}
# 09:00 on 3 July on each reader's wall clock.
NINE_LOCAL = {
    "vladivostok": datetime(2027, 7, 2, 23, 0, tzinfo=UTC),
    "moscow": datetime(2027, 7, 3, 6, 0, tzinfo=UTC),
    "new_york": datetime(2027, 7, 3, 13, 0, tzinfo=UTC),
}


def reader(city: str, language: str = "en"):
    return TelegramUserFactory(
        sign="leo",
        language=language,
        current_tz=ZONES[city],
        notify_time=time(9, 0),
        first_seen_at=datetime(2027, 1, 1, tzinfo=UTC),
        onboarded_at=datetime(2027, 1, 1, tzinfo=UTC),
    )


def overview(city: str, language: str) -> str:
    return parse_html(services.daily_read(sign="leo", day=DAY, language=language, tz=ZONES[city]).overview)[0]


def test_offset_groups_follow_the_zone_on_that_date():
    assert services.daily_offset("Europe/Moscow", DAY) == 180
    assert services.daily_offset("Asia/Vladivostok", DAY) == 600
    assert services.daily_offset("America/New_York", DAY) == -240  # summer time
    assert services.daily_offset("America/New_York", date(2027, 12, 3)) == -300
    assert services.daily_offset("Asia/Kolkata", DAY) == 330
    assert services.daily_offset("Not/AZone", DAY) == 180  # unknown: the reference zone's texts


def test_each_reader_reads_the_sky_of_their_own_day_in_both_languages():
    moscow, vladivostok, new_york = (
        {lang: overview(city, lang) for lang in ("en", "ru")} for city in ("moscow", "vladivostok", "new_york")
    )

    assert "Moon in Cancer" in moscow["en"] and "new moon" not in moscow["en"].lower()
    assert "Луна в Рак" in moscow["ru"] and "новолуние" not in moscow["ru"].lower()
    assert "Moon in Gemini" in vladivostok["en"] and "Cancer" not in vladivostok["en"].split(":")[0]
    assert "Луна в Близнецах" in vladivostok["ru"]
    assert "new moon" in new_york["en"].lower()
    assert "новолуние" in new_york["ru"].lower()
    rows = DailyHoroscope.objects.filter(sign="leo", date=DAY)
    assert sorted(set(rows.values_list("utc_offset", flat=True))) == [-240, 180, 600]
    assert rows.count() == 6


def test_the_push_carries_the_readers_own_day(bot_settings):
    users = {}
    for city, moment in NINE_LOCAL.items():
        users[city] = reader(city)  # one after another, so each run has exactly one reader due
        report = delivery.push_run(now_fn=lambda moment=moment: moment)
        assert report.sent == 1, city

    def pushed(city: str) -> str:
        [call] = [c for c in bot_settings.sent_to(users[city].telegram_id) if c.status == 200]
        return parse_html(call.params["text"])[0]

    # The header's Moon line and the text agree: both are the reader's own day.
    assert "🌙 Moon in Gemini" in pushed("vladivostok") and "The Moon in Gemini" in pushed("vladivostok")
    assert "🌙 Moon in Cancer" in pushed("moscow") and "new moon" not in pushed("moscow").lower()
    assert "🌙 Moon in Cancer · new moon" in pushed("new_york")


def test_readers_in_one_offset_share_one_text():
    first = services.daily_read(sign="leo", day=DAY, language="en", tz="Asia/Vladivostok")
    second = services.daily_read(sign="leo", day=DAY, language="en", tz="Australia/Brisbane")  # UTC+10 too

    assert first.pk == second.pk
    assert first.offset_group == "UTC+10:00"


def test_texts_are_written_ahead_for_every_offset_group_with_readers(monkeypatch):
    for city in ZONES:
        reader(city)
    reader("moscow", language="ru")
    monkeypatch.setattr(services, "daily_dates_ahead", lambda: [DAY])

    assert services.daily_offsets_in_use(DAY) == [-240, 180, 600]
    written = tasks.daily_generate_ahead()

    assert written == 3 * 12 * 2  # offset groups with readers × signs × languages
    assert DailyHoroscope.objects.filter(date=DAY).count() == 72
    assert tasks.daily_generate_ahead() == 0  # idempotent
    # The reader's text was written ahead, not on read.
    before = DailyHoroscope.objects.count()
    services.daily_read(sign="leo", day=DAY, language="en", tz="America/New_York")
    assert DailyHoroscope.objects.count() == before


def test_a_staff_rewrite_keeps_the_group(django_capture_on_commit_callbacks):
    horoscope = services.daily_read(sign="leo", day=DAY, language="en", tz="Asia/Vladivostok")

    tasks.daily_generate_one("leo", DAY.isoformat(), "en", True, horoscope.utc_offset)

    assert DailyHoroscope.objects.get(pk=horoscope.pk).utc_offset == 600
    assert DailyHoroscope.objects.filter(sign="leo", date=DAY, language="en").count() == 1


def test_horoscope_command_reads_the_readers_own_day(bot_settings):
    user = reader("vladivostok")
    today = timezone.now().astimezone(ZoneInfo("Asia/Vladivostok")).date()
    dialog = Dialog(bot_settings, chat_id=user.telegram_id, language_code="en")

    [text] = dialog.send("/horoscope")

    moon = services.sky_for(today, 600).moon_sign
    assert f"🌙 Moon {sign_in(moon, 'en')}" in parse_html(text)[0]
    assert DailyHoroscope.objects.get(sign="leo", date=today, language="en").utc_offset == 600
