"""Russian and English display names for signs, points, aspects, phases and houses; sun-sign date ranges."""

from __future__ import annotations

from datetime import date

from .constants import SIGNS

SIGN_NAMES: dict[str, dict[str, str]] = {
    "aries": {"ru": "Овен", "en": "Aries"},
    "taurus": {"ru": "Телец", "en": "Taurus"},
    "gemini": {"ru": "Близнецы", "en": "Gemini"},
    "cancer": {"ru": "Рак", "en": "Cancer"},
    "leo": {"ru": "Лев", "en": "Leo"},
    "virgo": {"ru": "Дева", "en": "Virgo"},
    "libra": {"ru": "Весы", "en": "Libra"},
    "scorpio": {"ru": "Скорпион", "en": "Scorpio"},
    "sagittarius": {"ru": "Стрелец", "en": "Sagittarius"},
    "capricorn": {"ru": "Козерог", "en": "Capricorn"},
    "aquarius": {"ru": "Водолей", "en": "Aquarius"},
    "pisces": {"ru": "Рыбы", "en": "Pisces"},
}

# "Луна в Тельце": Russian needs the prepositional case (and "во Льве").
SIGN_NAMES_IN: dict[str, dict[str, str]] = {
    "aries": {"ru": "в Овне", "en": "in Aries"},
    "taurus": {"ru": "в Тельце", "en": "in Taurus"},
    "gemini": {"ru": "в Близнецах", "en": "in Gemini"},
    "cancer": {"ru": "в Раке", "en": "in Cancer"},
    "leo": {"ru": "во Льве", "en": "in Leo"},
    "virgo": {"ru": "в Деве", "en": "in Virgo"},
    "libra": {"ru": "в Весах", "en": "in Libra"},
    "scorpio": {"ru": "в Скорпионе", "en": "in Scorpio"},
    "sagittarius": {"ru": "в Стрельце", "en": "in Sagittarius"},
    "capricorn": {"ru": "в Козероге", "en": "in Capricorn"},
    "aquarius": {"ru": "в Водолее", "en": "in Aquarius"},
    "pisces": {"ru": "в Рыбах", "en": "in Pisces"},
}

POINT_NAMES: dict[str, dict[str, str]] = {
    "sun": {"ru": "Солнце", "en": "Sun"},
    "moon": {"ru": "Луна", "en": "Moon"},
    "mercury": {"ru": "Меркурий", "en": "Mercury"},
    "venus": {"ru": "Венера", "en": "Venus"},
    "mars": {"ru": "Марс", "en": "Mars"},
    "jupiter": {"ru": "Юпитер", "en": "Jupiter"},
    "saturn": {"ru": "Сатурн", "en": "Saturn"},
    "uranus": {"ru": "Уран", "en": "Uranus"},
    "neptune": {"ru": "Нептун", "en": "Neptune"},
    "pluto": {"ru": "Плутон", "en": "Pluto"},
    "mean_node": {"ru": "Северный узел", "en": "North Node"},
    "south_node": {"ru": "Южный узел", "en": "South Node"},
    "asc": {"ru": "Асцендент", "en": "Ascendant"},
    "mc": {"ru": "Середина неба (MC)", "en": "Midheaven (MC)"},
}
# Kept for readers who think of the ten bodies as "planets".
PLANET_NAMES = POINT_NAMES

ASPECT_NAMES: dict[str, dict[str, str]] = {
    "conjunction": {"ru": "соединение", "en": "conjunction"},
    "sextile": {"ru": "секстиль", "en": "sextile"},
    "square": {"ru": "квадрат", "en": "square"},
    "trine": {"ru": "трин", "en": "trine"},
    "opposition": {"ru": "оппозиция", "en": "opposition"},
}

PHASE_NAMES: dict[str, dict[str, str]] = {
    "new_moon": {"ru": "новолуние", "en": "new moon"},
    "waxing_crescent": {"ru": "растущий серп", "en": "waxing crescent"},
    "first_quarter": {"ru": "первая четверть", "en": "first quarter"},
    "waxing_gibbous": {"ru": "растущая Луна", "en": "waxing gibbous"},
    "full_moon": {"ru": "полнолуние", "en": "full moon"},
    "waning_gibbous": {"ru": "убывающая Луна", "en": "waning gibbous"},
    "last_quarter": {"ru": "последняя четверть", "en": "last quarter"},
    "waning_crescent": {"ru": "убывающий серп", "en": "waning crescent"},
}

STATION_NAMES: dict[str, dict[str, str]] = {
    "retrograde": {"ru": "становится ретроградным", "en": "turns retrograde"},
    "direct": {"ru": "становится директным", "en": "turns direct"},
}

HOUSE_SYSTEM_NAMES: dict[str, dict[str, str]] = {
    "placidus": {"ru": "Плацидус", "en": "Placidus"},
    "koch": {"ru": "Кох", "en": "Koch"},
    "whole_sign": {"ru": "Целые знаки", "en": "Whole Sign"},
    "equal": {"ru": "Равнодомная", "en": "Equal"},
    "porphyry": {"ru": "Порфирий", "en": "Porphyry"},
}

ELEMENT_NAMES: dict[str, dict[str, str]] = {
    "fire": {"ru": "Огонь", "en": "Fire"},
    "earth": {"ru": "Земля", "en": "Earth"},
    "air": {"ru": "Воздух", "en": "Air"},
    "water": {"ru": "Вода", "en": "Water"},
}

# Notes the chart shows when something is missing or replaced.
CHART_NOTES: dict[str, dict[str, str]] = {
    "polar_fallback": {
        "ru": "За полярным кругом дома по Плацидусу и Коху не существуют: использована система Порфирия.",
        "en": "Placidus and Koch houses do not exist beyond the polar circle: Porphyry houses are used.",
    },
    "no_houses": {
        "ru": "Время рождения неизвестно: дома, Асцендент и MC не рассчитаны.",
        "en": "Birth time unknown: houses, Ascendant and MC are not calculated.",
    },
    "polar_short": {"ru": "за полярным кругом", "en": "polar fallback"},
    "no_time_short": {"ru": "время рождения неизвестно", "en": "birth time unknown"},
    "retrograde": {"ru": "ретроградный", "en": "retrograde"},
    "house": {"ru": "дом", "en": "house"},
}

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


def sign_date_range_text(sign: str, lang: str) -> str:
    """Human date range of a sun sign, e.g. "21.03 - 19.04" (ru) or "Mar 21 - Apr 19" (en)."""
    (m1, d1), (m2, d2) = SIGN_DATE_RANGES[sign]
    if lang == "ru":
        return f"{d1:02d}.{m1:02d} – {d2:02d}.{m2:02d}"
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{months[m1 - 1]} {d1} – {months[m2 - 1]} {d2}"


def name(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """Display name from one of the tables above, English when the language is unknown."""
    entry = table[key]
    return entry.get(lang) or entry["en"]
