"""Sun signs by calendar date: the usual tropical date ranges (display names are translated in horoscopes.names)."""

from __future__ import annotations

from datetime import date

from .constants import SIGNS

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


def sun_sign_for_date(d: date) -> str:
    """Sun sign of a calendar date by the usual tropical date ranges (Aries 21 March - 19 April, ...)."""
    key = (d.month, d.day)
    best = "capricorn"
    # Walk the starts in calendar order; the last start not after the date wins (Capricorn wraps the year).
    for sign, start in sorted(SIGN_START_DATES.items(), key=lambda item: item[1]):
        if start <= key:
            best = sign
    return best
