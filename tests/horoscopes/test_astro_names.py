"""Display names in both languages and sun signs by date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from horoscopes.astro import MOON_PHASES, PLANETS, SIGNS, sun_sign_for_date
from horoscopes.astro.constants import ASPECTS, HOUSE_SYSTEMS
from horoscopes.astro.names import SIGN_DATE_RANGES
from horoscopes.names import ASPECT_NAMES, HOUSE_SYSTEM_NAMES, POINT_NAMES, SIGN_NAMES, name, sign_date_range_text
from horoscopes.writer.grammar import PHASE_NAMES, SIGN_NAMES_IN


def _ru_en(table, key):
    """The Russian and English text of a key: gettext names are looked up, the writer's word forms read."""
    entry = table[key]
    if isinstance(entry, dict):
        return entry["ru"], entry["en"]
    return name(table, key, "ru"), name(table, key, "en")


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        (SIGN_NAMES, SIGNS),
        (SIGN_NAMES_IN, SIGNS),
        (POINT_NAMES, (*PLANETS, "asc", "mc")),
        (ASPECT_NAMES, tuple(ASPECTS)),
        (PHASE_NAMES, MOON_PHASES),
        (HOUSE_SYSTEM_NAMES, HOUSE_SYSTEMS),
    ],
)
def test_every_key_has_russian_and_english(table, keys):
    """No display name is missing in either language (gettext names or the writer's word forms)."""
    for key in keys:
        ru, en = _ru_en(table, key)
        assert ru.strip() and en.strip()
        assert any("а" <= ch.lower() <= "я" for ch in ru if ch.isalpha()) or key == "mc"


@pytest.mark.parametrize(
    ("day", "sign"),
    [
        (date(1990, 3, 20), "pisces"),
        (date(1990, 3, 21), "aries"),
        (date(1990, 4, 19), "aries"),
        (date(1990, 4, 20), "taurus"),
        (date(1990, 5, 15), "taurus"),
        (date(1990, 7, 22), "cancer"),
        (date(1990, 7, 23), "leo"),
        (date(1990, 12, 21), "sagittarius"),
        (date(1990, 12, 22), "capricorn"),
        (date(1991, 1, 1), "capricorn"),
        (date(1991, 1, 19), "capricorn"),
        (date(1991, 1, 20), "aquarius"),
        (date(1992, 2, 29), "pisces"),
    ],
)
def test_sun_sign_for_date(day, sign):
    """The usual tropical date ranges, including the New Year wrap and 29 February."""
    assert sun_sign_for_date(day) == sign


def test_sun_sign_ranges_cover_the_year_without_gaps():
    """Walking a leap year, the sign changes exactly twelve times, in zodiac order."""
    day = date(2024, 1, 1)
    signs = []
    while day.year == 2024:
        signs.append(sun_sign_for_date(day))
        day += timedelta(days=1)
    changes = [signs[i] for i in range(1, len(signs)) if signs[i] != signs[i - 1]]
    assert len(changes) == 12
    start = SIGNS.index("aquarius")
    assert changes == [SIGNS[(start + i) % 12] for i in range(12)]
    assert SIGN_DATE_RANGES["aries"] == ((3, 21), (4, 19))
    assert SIGN_DATE_RANGES["capricorn"] == ((12, 22), (1, 19))


def test_sign_date_range_text():
    """Date ranges render per language."""
    assert sign_date_range_text("aries", "ru") == "21.03 – 19.04"
    assert sign_date_range_text("aries", "en") == "Mar 21 – Apr 19"
