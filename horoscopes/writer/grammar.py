"""Word forms the writer needs beyond the sky engine's names: Russian cases and genders, ordinals, dates."""

from __future__ import annotations

from datetime import date

from horoscopes.names import ASPECT_NAMES, POINT_NAMES, SIGN_NAMES, name

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

# "переходит в Тельца": accusative after "в" for a movement into a sign.
SIGN_INTO: dict[str, dict[str, str]] = {
    "aries": {"ru": "в Овна", "en": "into Aries"},
    "taurus": {"ru": "в Тельца", "en": "into Taurus"},
    "gemini": {"ru": "в Близнецов", "en": "into Gemini"},
    "cancer": {"ru": "в Рака", "en": "into Cancer"},
    "leo": {"ru": "во Льва", "en": "into Leo"},
    "virgo": {"ru": "в Деву", "en": "into Virgo"},
    "libra": {"ru": "в Весы", "en": "into Libra"},
    "scorpio": {"ru": "в Скорпиона", "en": "into Scorpio"},
    "sagittarius": {"ru": "в Стрельца", "en": "into Sagittarius"},
    "capricorn": {"ru": "в Козерога", "en": "into Capricorn"},
    "aquarius": {"ru": "в Водолея", "en": "into Aquarius"},
    "pisces": {"ru": "в Рыб", "en": "into Pisces"},
}

# "из Тельца": genitive after "из".
SIGN_FROM: dict[str, dict[str, str]] = {
    "aries": {"ru": "из Овна", "en": "from Aries"},
    "taurus": {"ru": "из Тельца", "en": "from Taurus"},
    "gemini": {"ru": "из Близнецов", "en": "from Gemini"},
    "cancer": {"ru": "из Рака", "en": "from Cancer"},
    "leo": {"ru": "из Льва", "en": "from Leo"},
    "virgo": {"ru": "из Девы", "en": "from Virgo"},
    "libra": {"ru": "из Весов", "en": "from Libra"},
    "scorpio": {"ru": "из Скорпиона", "en": "from Scorpio"},
    "sagittarius": {"ru": "из Стрельца", "en": "from Sagittarius"},
    "capricorn": {"ru": "из Козерога", "en": "from Capricorn"},
    "aquarius": {"ru": "из Водолея", "en": "from Aquarius"},
    "pisces": {"ru": "из Рыб", "en": "from Pisces"},
}

# Genitive of the points ("трин Венеры и Марса").
POINT_GENITIVE_RU: dict[str, str] = {
    "sun": "Солнца",
    "moon": "Луны",
    "mercury": "Меркурия",
    "venus": "Венеры",
    "mars": "Марса",
    "jupiter": "Юпитера",
    "saturn": "Сатурна",
    "uranus": "Урана",
    "neptune": "Нептуна",
    "pluto": "Плутона",
    "mean_node": "Северного узла (среднего)",
}
FEMININE_RU = frozenset({"moon", "venus"})

# Natal points as objects of a transit: dative after "к", instrumental after "с".
NATAL_DATIVE: dict[str, dict[str, str]] = {
    "sun": {"ru": "к вашему натальному Солнцу", "en": "your natal Sun"},
    "moon": {"ru": "к вашей натальной Луне", "en": "your natal Moon"},
    "mercury": {"ru": "к вашему натальному Меркурию", "en": "your natal Mercury"},
    "venus": {"ru": "к вашей натальной Венере", "en": "your natal Venus"},
    "mars": {"ru": "к вашему натальному Марсу", "en": "your natal Mars"},
    "jupiter": {"ru": "к вашему натальному Юпитеру", "en": "your natal Jupiter"},
    "saturn": {"ru": "к вашему натальному Сатурну", "en": "your natal Saturn"},
    "uranus": {"ru": "к вашему натальному Урану", "en": "your natal Uranus"},
    "neptune": {"ru": "к вашему натальному Нептуну", "en": "your natal Neptune"},
    "pluto": {"ru": "к вашему натальному Плутону", "en": "your natal Pluto"},
    "asc": {"ru": "к вашему Асценденту", "en": "your Ascendant"},
    "mc": {"ru": "к вашей Середине неба (MC)", "en": "your Midheaven (MC)"},
}
NATAL_INSTRUMENTAL_RU: dict[str, str] = {
    "sun": "с вашим натальным Солнцем",
    "moon": "с вашей натальной Луной",
    "mercury": "с вашим натальным Меркурием",
    "venus": "с вашей натальной Венерой",
    "mars": "с вашим натальным Марсом",
    "jupiter": "с вашим натальным Юпитером",
    "saturn": "с вашим натальным Сатурном",
    "uranus": "с вашим натальным Ураном",
    "neptune": "с вашим натальным Нептуном",
    "pluto": "с вашим натальным Плутоном",
    "asc": "с вашим Асцендентом",
    "mc": "с вашей Серединой неба (MC)",
}
# "образует квадрат", "образует оппозицию".
ASPECT_ACCUSATIVE_RU: dict[str, str] = {
    "conjunction": "соединение",
    "sextile": "секстиль",
    "square": "квадрат",
    "trine": "трин",
    "opposition": "оппозицию",
}
# Moon phases as the sentences name them ("фаза — растущий серп").
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
ASPECT_NATURE: dict[str, str] = {
    "conjunction": "conj",
    "sextile": "soft",
    "trine": "soft",
    "square": "hard",
    "opposition": "hard",
}

ORDINAL: dict[int, dict[str, str]] = {
    1: {"ru": "первый", "ru_in": "первом", "ru_gen": "первого", "ru_ins": "первым", "en": "first"},
    2: {"ru": "второй", "ru_in": "втором", "ru_gen": "второго", "ru_ins": "вторым", "en": "second"},
    3: {"ru": "третий", "ru_in": "третьем", "ru_gen": "третьего", "ru_ins": "третьим", "en": "third"},
    4: {"ru": "четвёртый", "ru_in": "четвёртом", "ru_gen": "четвёртого", "ru_ins": "четвёртым", "en": "fourth"},
    5: {"ru": "пятый", "ru_in": "пятом", "ru_gen": "пятого", "ru_ins": "пятым", "en": "fifth"},
    6: {"ru": "шестой", "ru_in": "шестом", "ru_gen": "шестого", "ru_ins": "шестым", "en": "sixth"},
    7: {"ru": "седьмой", "ru_in": "седьмом", "ru_gen": "седьмого", "ru_ins": "седьмым", "en": "seventh"},
    8: {"ru": "восьмой", "ru_in": "восьмом", "ru_gen": "восьмого", "ru_ins": "восьмым", "en": "eighth"},
    9: {"ru": "девятый", "ru_in": "девятом", "ru_gen": "девятого", "ru_ins": "девятым", "en": "ninth"},
    10: {"ru": "десятый", "ru_in": "десятом", "ru_gen": "десятого", "ru_ins": "десятым", "en": "tenth"},
    11: {
        "ru": "одиннадцатый",
        "ru_in": "одиннадцатом",
        "ru_gen": "одиннадцатого",
        "ru_ins": "одиннадцатым",
        "en": "eleventh",
    },
    12: {
        "ru": "двенадцатый",
        "ru_in": "двенадцатом",
        "ru_gen": "двенадцатого",
        "ru_ins": "двенадцатым",
        "en": "twelfth",
    },
}

_MONTHS_GENITIVE_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def sign_name(sign: str, lang: str) -> str:
    return name(SIGN_NAMES, sign, lang)


def sign_in(sign: str, lang: str) -> str:
    return SIGN_NAMES_IN[sign][lang]


def point_name(point: str, lang: str) -> str:
    return name(POINT_NAMES, point, lang)


def point_genitive(point: str, lang: str) -> str:
    return POINT_GENITIVE_RU[point] if lang == "ru" else name(POINT_NAMES, point, lang)


def aspect_name(kind: str, lang: str) -> str:
    return name(ASPECT_NAMES, kind, lang)


def phase_name(phase: str, lang: str) -> str:
    return PHASE_NAMES[phase][lang]


def date_text(day: date, lang: str) -> str:
    """'22 ноября' or '22 November' (day first, the one English date style of the bot)."""
    if lang == "ru":
        return f"{day.day} {_MONTHS_GENITIVE_RU[day.month - 1]}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]}"


def weekday(day: date, lang: str) -> str:
    return (_WEEKDAYS_RU if lang == "ru" else _WEEKDAYS_EN)[day.weekday()]


def part_of_day(hour: int, lang: str) -> str:
    """'ночью' / 'утром' / 'днём' / 'вечером' and English equivalents for an hour of the local day."""
    index = 0 if hour < 6 else 1 if hour < 12 else 2 if hour < 18 else 3
    if lang == "ru":
        return ("ночью", "утром", "днём", "вечером")[index]
    return ("overnight", "in the morning", "in the afternoon", "in the evening")[index]


def capital(text: str) -> str:
    """The text with its first letter in upper case (the rest untouched)."""
    return text[:1].upper() + text[1:] if text else text
