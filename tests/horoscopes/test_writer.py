"""The offline writer: grounded in the computed sky, different every day and for every sign, reads well."""

import re
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.console.fake_api import parse_html
from horoscopes.astro import compute_chart, sky_of_day, transits
from horoscopes.astro.constants import SIGNS
from horoscopes.writer import SECTIONS, daily_facts, personal_facts, write_daily, write_personal
from horoscopes.writer.daily import house_from, moon_tone
from horoscopes.writer.facts import natal_summary
from horoscopes.writer.grammar import SIGN_INTO, sign_in

TZ = "Europe/Moscow"
START = date(2025, 1, 1)
DAYS = [START + timedelta(days=offset) for offset in range(0, 365, 3)]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def sky(day: date):
    return sky_of_day(day, TZ)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_sign_and_day_has_all_sections_as_valid_html_in_its_language(lang: str):
    for day in DAYS:
        for sign in SIGNS:
            sections = write_daily(sign, sky(day), lang)
            assert list(sections) == list(SECTIONS)
            for name, text in sections.items():
                assert text and "{" not in text and "}" not in text, (sign, day, name, text)
                shown, _ = parse_html(text)
                assert shown.endswith((".", "!")), (sign, day, name, shown)
                has_cyrillic = bool(CYRILLIC.search(shown))
                assert has_cyrillic == (lang == "ru"), (sign, day, name, shown)
            assert len("".join(sections.values())) < 2500


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_different_every_day_and_for_every_sign(lang: str):
    for day in DAYS:
        texts = [" ".join(write_daily(sign, sky(day), lang).values()) for sign in SIGNS]
        assert len(set(texts)) == 12
        overviews = [write_daily(sign, sky(day), lang)["overview"] for sign in SIGNS]
        assert len(set(overviews)) == 12
    for sign in SIGNS:
        for offset in range(60):
            today = write_daily(sign, sky(START + timedelta(days=offset)), lang)
            tomorrow = write_daily(sign, sky(START + timedelta(days=offset + 1)), lang)
            assert today != tomorrow
            # Not just one sentence apart: most sections change from one day to the next.
            assert sum(today[name] != tomorrow[name] for name in SECTIONS) >= 4, (sign, offset)


def test_the_same_day_is_written_the_same_way_again():
    assert write_daily("leo", sky(date(2025, 6, 1)), "ru") == write_daily("leo", sky(date(2025, 6, 1)), "ru")


def test_grounded_in_the_sky_moon_house_and_angle():
    day = date(2025, 11, 22)  # the Moon in Sagittarius all day
    the_sky = sky(day)
    assert the_sky.moon_sign == "sagittarius"
    leo = write_daily("leo", the_sky, "ru")
    assert "Луна в Стрельце" in leo["overview"]
    assert "пятый дом" in leo["overview"] or "пятом доме" in leo["overview"]
    assert house_from("leo", "sagittarius") == 5 and moon_tone("leo", "sagittarius") == "harmony"
    assert moon_tone("virgo", "sagittarius") == "tension" and moon_tone("sagittarius", "sagittarius") == "same"
    english = write_daily("gemini", the_sky, "en")
    assert "Moon" in english["overview"] and "in Sagittarius" in english["overview"]
    assert "seventh house" in english["overview"]


def test_exact_aspects_of_the_day_are_named_in_the_sections_they_concern():
    day = date(2025, 11, 22)  # Mercury trine Saturn, Moon square Saturn
    text = " ".join(write_daily("leo", sky(day), "ru").values())
    assert "Трин Меркурия и Сатурна" in text
    english = " ".join(write_daily("leo", sky(day), "en").values())
    assert "Mercury–Saturn trine" in english


def test_ingresses_and_stations_make_the_overview():
    ingress_day = date(2025, 11, 22)  # the Sun enters Sagittarius
    assert "Солнце" in write_daily("aries", sky(ingress_day), "ru")["overview"]
    assert SIGN_INTO["sagittarius"]["ru"] in write_daily("aries", sky(ingress_day), "ru")["overview"]
    station_day = next(day for day in (START + timedelta(days=n) for n in range(365)) if sky(day).stations)
    station = sky(station_day).stations[0]
    overview = write_daily("taurus", sky(station_day), "en")["overview"]
    assert ("stations retrograde" in overview) == (station.kind == "retrograde")
    assert ("turns direct" in overview) == (station.kind == "direct")


def test_mercury_retrograde_is_mentioned_only_while_it_lasts():
    days = [date(2025, 11, 20) + timedelta(days=n) for n in range(3)]
    assert all("mercury" in sky(day).retrograde for day in days)
    # Named every few days (different days for different signs), with the house it stands in for the sign.
    for sign in SIGNS:
        works = [write_daily(sign, sky(day), "en")["work"] for day in days]
        assert any("etrograde Mercury" in work or "Mercury is retrograde" in work for work in works), sign
    direct_day = next(d for d in (START + timedelta(days=n) for n in range(365)) if "mercury" not in sky(d).retrograde)
    for sign in SIGNS:
        assert "retrograde Mercury" not in write_daily(sign, sky(direct_day), "en")["work"]
        assert "Mercury is retrograde" not in write_daily(sign, sky(direct_day), "en")["work"]


def test_writing_is_fast():
    the_sky = sky(date(2025, 3, 3))
    started = time.perf_counter()
    for sign in SIGNS:
        for lang in ("ru", "en"):
            write_daily(sign, the_sky, lang)
    assert (time.perf_counter() - started) / 24 < 0.005


def test_daily_facts_for_the_llm():
    facts = daily_facts("leo", sky(date(2025, 11, 22)), "ru")
    assert "Луна в Стрельце" in facts and "пятом доме" in facts and "в трине к знаку" in facts
    assert "трин Меркурия и Сатурна в 21:45" in facts and "Ретроградны: Меркурий" in facts
    assert "Солнце переходит в Стрельца в 04:35" in facts
    english = daily_facts("leo", sky(date(2025, 11, 22)), "en")
    assert "Mercury–Saturn trine at 21:45" in english and "(5th house)" in english


# --- personal ----------------------------------------------------------------------------------------------

NATAL = compute_chart(datetime(1990, 5, 15, 8, 30, tzinfo=UTC), 55.7558, 37.6173)
NO_TIME = compute_chart(datetime(1990, 5, 15, 12, 0, tzinfo=UTC), 55.7558, 37.6173, with_houses=False)


@pytest.mark.parametrize("natal", [NATAL, NO_TIME], ids=["with houses", "birth time unknown"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_personal_horoscope_speaks_of_the_days_transits(natal, lang: str):
    for day in DAYS[::6]:
        found = transits(natal, day, TZ)
        sections = write_personal(natal=natal, transits=found, sky=sky(day), sun_sign="taurus", lang=lang)
        assert list(sections) == list(SECTIONS)
        for text in sections.values():
            shown, _ = parse_html(text)
            assert shown and "{" not in shown and bool(CYRILLIC.search(shown)) == (lang == "ru")
        from horoscopes.names import POINT_NAMES, name

        top = next(t for t in found if t.transiting != "mean_node" and t.natal != "mean_node")
        assert name(POINT_NAMES, top.transiting, lang) in sections["overview"]


def test_personal_horoscopes_differ_between_people_and_days():
    other = compute_chart(datetime(1985, 10, 2, 20, 0, tzinfo=UTC), 43.1, 131.9)
    day = date(2025, 11, 22)
    mine = write_personal(natal=NATAL, transits=transits(NATAL, day, TZ), sky=sky(day), sun_sign="taurus", lang="ru")
    theirs = write_personal(natal=other, transits=transits(other, day, TZ), sky=sky(day), sun_sign="libra", lang="ru")
    tomorrow = day + timedelta(days=1)
    next_day = write_personal(
        natal=NATAL, transits=transits(NATAL, tomorrow, TZ), sky=sky(tomorrow), sun_sign="taurus", lang="ru"
    )
    assert mine != theirs and mine != next_day


def test_personal_facts_for_the_llm():
    day = date(2025, 11, 22)
    text = personal_facts(NATAL, transits(NATAL, day, TZ), "ru")
    assert text.count("\n") == 7 and "орбис" in text and "натальн" in text
    assert natal_summary(NATAL, "en").startswith("Sun in Taurus, Moon in")
    assert "Ascendant" in natal_summary(NATAL, "en")
    assert "Birth time unknown" in natal_summary(NO_TIME, "en")
    assert sign_in("leo", "ru") == "во Льве"
