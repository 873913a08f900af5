"""Sun signs: the Sun's own sign at a moment, and the usual date ranges shown to people (names: horoscopes.names)."""

from __future__ import annotations

from datetime import date, datetime

from .constants import SIGNS, sign_of
from .ephemeris import body_longitude, to_ephem_day

# First day of each sign by the usual tropical calendar ranges (month, day), Capricorn spanning New Year.
SIGN_START_DATES: dict[str, tuple[int, int]] = {
    "aries": (3, 21),
    "taurus": (4, 20),
    "gemini": (5, 21),
    "cancer": (6, 21),
    "leo": (7, 23),
    "virgo": (8, 23),
    "libra": (9, 23),
    "scorpio": (10, 23),
    "sagittarius": (11, 22),
    "capricorn": (12, 22),
    "aquarius": (1, 20),
    "pisces": (2, 19),
}


def _sign_end(sign: str) -> tuple[int, int]:
    """Last (month, day) of a sign's range: the day before the next sign starts."""
    month, day = SIGN_START_DATES[SIGNS[(SIGNS.index(sign) + 1) % 12]]
    if day > 1:
        return month, day - 1
    previous_month = 12 if month == 1 else month - 1
    return previous_month, (date(2001, month, 1) - date(2001, previous_month, 1)).days


SIGN_DATE_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    sign: (SIGN_START_DATES[sign], _sign_end(sign)) for sign in SIGNS
}


def sun_sign_at(moment: datetime) -> str:
    """The sign the Sun stood in at a moment (the table of dates is wrong for births near a sign change)."""
    return sign_of(body_longitude("sun", to_ephem_day(moment)))


def sun_signs_between(start: datetime, end: datetime) -> tuple[str, ...]:
    """The Sun's signs over a span of at most a few days: one, or the two it passed from and into."""
    first, last = sun_sign_at(start), sun_sign_at(end)
    return (first,) if first == last else (first, last)
