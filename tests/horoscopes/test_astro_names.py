"""Display names in both languages and the Sun's sign."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from horoscopes.astro import MOON_PHASES, PLANETS, SIGNS
from horoscopes.astro.constants import ASPECTS, HOUSE_SYSTEMS
from horoscopes.astro.names import SIGN_DATE_RANGES, sun_sign_at, sun_signs_between
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
    ("moment", "sign"),
    [
        # The December solstice of 1988 came at 15:28 UTC on the 21st.
        (datetime(1988, 12, 21, 15, 0, tzinfo=UTC), "sagittarius"),
        (datetime(1988, 12, 21, 16, 0, tzinfo=UTC), "capricorn"),
        # The March equinox of 2024 came at 03:06 UTC on the 20th: a "table" Pisces born that morning is Aries.
        (datetime(2024, 3, 20, 3, 0, tzinfo=UTC), "pisces"),
        (datetime(2024, 3, 20, 3, 15, tzinfo=UTC), "aries"),
        (datetime(1990, 5, 15, 12, 0, tzinfo=UTC), "taurus"),
        (datetime(1992, 2, 29, 12, 0, tzinfo=UTC), "pisces"),
    ],
)
def test_the_sign_is_where_the_sun_stood(moment, sign):
    """The Sun's own longitude decides, to the minute, not a table of dates."""
    assert sun_sign_at(moment) == sign


def test_a_span_across_an_ingress_has_both_signs():
    solstice_day = (datetime(1988, 12, 21, tzinfo=UTC), datetime(1988, 12, 22, tzinfo=UTC))
    assert sun_signs_between(*solstice_day) == ("sagittarius", "capricorn")
    assert sun_signs_between(datetime(1990, 5, 15, tzinfo=UTC), datetime(1990, 5, 16, tzinfo=UTC)) == ("taurus",)


def test_the_sun_walks_the_signs_in_order_over_a_year():
    """Walking a leap year at noon UTC, the sign changes exactly twelve times, in zodiac order."""
    day = datetime(2024, 1, 1, 12, tzinfo=UTC)
    signs = []
    while day.year == 2024:
        signs.append(sun_sign_at(day))
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
