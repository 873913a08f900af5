"""Unknown birth time: a body whose sign changed during the birth day is shown with both signs and not read.

In Moscow the Moon went from Aquarius into Pisces on 18 May 1990; on 16 May 1990 it stayed in Aquarius all day.
Both are checked through /natal in both languages (summary, wheel caption, interpretation), the personal
horoscope and the facts given to an LLM.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from bot.console.fake_api import parse_html
from bot.horoscope.formatting import personal_html
from horoscopes.daily import services
from horoscopes.daily.models import PersonalHoroscope
from horoscopes.natal.llm import chart_facts
from horoscopes.natal.models import NatalChart
from horoscopes.natal.services import natal_chart_get
from horoscopes.writer import natal as natal_writer
from horoscopes.writer.facts import natal_summary
from tests.driver import Dialog
from tests.factories import TelegramUserFactory
from users.birth import birth_moment_utc, signs_uncertain

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

CHAT = 7_000_000_210
INGRESS_DAY = date(1990, 5, 18)  # Moscow: the Moon leaves Aquarius for Pisces that day
QUIET_DAY = date(1990, 5, 16)  # Moscow: the Moon stays in Aquarius all day
BOTH = {"ru": "Луна в Водолее или в Рыбах", "en": "Moon in Aquarius or Pisces"}
WHY = {"ru": "в день вашего рождения сначала в Водолее, потом в Рыбах", "en": "first in Aquarius, then in Pisces"}


def born_without_time(day: date, language: str, **fields: object):
    return TelegramUserFactory(
        telegram_id=CHAT,
        born=True,
        onboarded=True,
        language=language,
        birth_date=day,
        birth_time=None,
        birth_time_unknown=True,
        birth_utc=birth_moment_utc(day, None, "Europe/Moscow").utc,
        sign="taurus",
        **fields,
    )


def natal_dialog(bot_settings, language: str, capture) -> tuple[str, str]:
    """(the photo caption, every text message) of /natal, the interpretation included."""
    dialog = Dialog(bot_settings, chat_id=CHAT, language_code=language)
    with capture(execute=True):
        shown = dialog.send("/natal")
    shown += [call.params["text"] for call in bot_settings.calls[dialog.seen :] if call.method == "sendMessage"]
    [photo] = [call for call in bot_settings.calls if call.method == "sendPhoto"]
    return photo.params["caption"], "\n".join(parse_html(text)[0] for text in shown)


def test_the_signs_of_a_day_follow_the_birthplace():
    assert signs_uncertain(INGRESS_DAY, None, "Europe/Moscow") == {"moon": ("aquarius", "pisces")}
    assert signs_uncertain(QUIET_DAY, None, "Europe/Moscow") == {}
    assert signs_uncertain(INGRESS_DAY, time(9, 0), "Europe/Moscow") == {}  # the time is known
    # 20 April 1990: the Sun entered Taurus that day too.
    assert signs_uncertain(date(1990, 4, 20), None, "Europe/Moscow")["sun"] == ("aries", "taurus")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_natal_on_an_ingress_day_shows_both_signs_and_reads_neither(
    bot_settings, django_capture_on_commit_callbacks, language
):
    born_without_time(INGRESS_DAY, language, premium_until=timezone.now() + timedelta(days=1))

    caption, text = natal_dialog(bot_settings, language, django_capture_on_commit_callbacks)

    assert BOTH[language] in caption
    assert BOTH[language] in text  # the big three and the list of planets
    assert WHY[language] in text
    other = "en" if language == "ru" else "ru"
    assert BOTH[other] not in text and BOTH[other] not in caption
    # Nothing is interpreted as certain: no paragraph on the Moon, no aspect of the Moon.
    interpretation = text.split("Толкование вашей карты" if language == "ru" else "Your chart, interpreted")[1]
    assert ("Луна в" if language == "ru" else "Moon in") not in interpretation.replace(BOTH[language], "")
    chart = NatalChart.objects.get()
    assert chart.data["uncertain"] == {"moon": ["aquarius", "pisces"]}
    assert not any("moon" in (a["a"], a["b"]) for a in natal_writer.tightest_aspects(chart.data, limit=50))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_natal_on_a_quiet_day_shows_one_sign(bot_settings, django_capture_on_commit_callbacks, language):
    born_without_time(QUIET_DAY, language, premium_until=timezone.now() + timedelta(days=1))

    caption, text = natal_dialog(bot_settings, language, django_capture_on_commit_callbacks)

    one = {"ru": "☽ Луна в Водолее", "en": "☽ Moon in Aquarius"}[language]
    assert one in text
    assert (" или " if language == "ru" else " or ") not in text.split("\n\n")[1]  # the big three
    assert "\n" not in caption
    assert "uncertain" not in NatalChart.objects.get().data


def test_the_llm_is_told_which_signs_are_uncertain():
    user = born_without_time(INGRESS_DAY, "en")
    chart = natal_chart_get(user_id=user.pk)

    facts = {lang: chart_facts(chart.data, lang) for lang in ("ru", "en")}

    assert "Moon: in Aquarius or Pisces (birth time unknown" in facts["en"]
    assert "Луна: в Водолее или в Рыбах (время рождения неизвестно" in facts["ru"]
    assert "Moon: " not in facts["en"].replace("Moon: in Aquarius or Pisces", "")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_personal_horoscope_shows_both_signs_and_uses_no_moon_transit(language):
    user = born_without_time(INGRESS_DAY, language, premium_until=timezone.now() + timedelta(days=1))
    natal = services.natal_chart_for(user)

    horoscope, _ = services.personal_request(user_id=user.pk, day=date(2026, 12, 7), language=language, deliver=False)
    written = services.personal_generate(personal_id=horoscope.pk, use_llm=False)

    assert written.facts["uncertain"] == {"moon": ["aquarius", "pisces"]}
    assert all(item["natal"] != "moon" for item in written.facts["transits"])
    shown = parse_html(personal_html(PersonalHoroscope.objects.get(pk=written.pk), natal))[0]
    assert {"ru": "Луна в Водолее или в Рыбах", "en": "Moon in Aquarius or Pisces"}[language] in shown
    assert WHY[language] in shown
    summary = natal_summary(natal, language, uncertain={"moon": ("aquarius", "pisces")})
    assert {"ru": "Луна в Водолее или в Рыбах", "en": "Moon in Aquarius or Pisces"}[language] in summary


def test_a_known_time_is_one_sign_everywhere(bot_settings, django_capture_on_commit_callbacks):
    TelegramUserFactory(
        telegram_id=CHAT,
        born=True,
        onboarded=True,
        language="en",
        birth_date=INGRESS_DAY,
        birth_time=time(22, 0),
        birth_utc=datetime(1990, 5, 18, 18, 0, tzinfo=UTC),  # 22:00 in Moscow (UTC+4 in 1990)
        sign="taurus",
        premium_until=timezone.now() + timedelta(days=1),
    )

    caption, text = natal_dialog(bot_settings, "en", django_capture_on_commit_callbacks)

    assert "☽ Moon in Pisces" in text and " or Pisces" not in text
    assert "\n" not in caption


@pytest.mark.parametrize(("day", "question_marks"), [(INGRESS_DAY, 1), (QUIET_DAY, 0)])
def test_the_wheel_draws_an_uncertain_body_faint_with_no_degree(drawn_texts, day, question_marks):
    from horoscopes.natal.services import natal_wheel_png

    user = born_without_time(day, "ru")
    drawn = drawn_texts
    natal_wheel_png(user=user, language="ru")

    # The Moon's noon degree is a placeholder: "?" instead of it; every other body keeps its degree.
    assert drawn.count("?") == question_marks
