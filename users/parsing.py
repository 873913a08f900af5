"""Parse the birth dates and times people type, in Russian or English, without ever raising."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from rapidfuzz.distance import OSA

MAX_INPUT_LENGTH = 100
MIN_BIRTH_YEAR = 1900


class ParseError(StrEnum):
    """Reason codes the caller turns into a translated message."""

    IMPOSSIBLE_DATE = "impossible_date"
    FUTURE = "future"
    TOO_OLD = "too_old"
    UNRECOGNISED = "unrecognised"
    BAD_TIME = "bad_time"
    AMBIGUOUS = "ambiguous"
    NO_DAY = "no_day"
    NO_YEAR = "no_year"


@dataclass(frozen=True)
class DateResult:
    """A parsed date, or the reason it could not be parsed.

    AMBIGUOUS carries the two readings in `choices` (month first, then day first); NO_DAY carries the
    `month` and `year` that were given, so the caller can ask for the day alone; IMPOSSIBLE_DATE carries the
    `day`, `month` and `year` when only the day is too big for its month (31.02), so the answer can say so.
    """

    value: date | None
    error: str | None
    choices: tuple[date, ...] = ()
    month: int | None = None
    year: int | None = None
    day: int | None = None

    @property
    def ok(self) -> bool:
        """True when a date was recognised and accepted."""
        return self.error is None


@dataclass(frozen=True)
class TimeResult:
    """A parsed time of day, or the reason it could not be parsed."""

    value: time | None
    error: str | None

    @property
    def ok(self) -> bool:
        """True when a time was recognised and accepted."""
        return self.error is None


_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("январь", "января", "янв", "january", "jan"),
    2: ("февраль", "февраля", "фев", "февр", "february", "feb"),
    3: ("март", "марта", "мар", "march", "mar"),
    4: ("апрель", "апреля", "апр", "april", "apr"),
    5: ("май", "мая", "may"),
    6: ("июнь", "июня", "июн", "june", "jun"),
    7: ("июль", "июля", "июл", "july", "jul"),
    8: ("август", "августа", "авг", "august", "aug"),
    9: ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"),
    10: ("октябрь", "октября", "окт", "october", "oct"),
    11: ("ноябрь", "ноября", "ноя", "нояб", "november", "nov"),
    12: ("декабрь", "декабря", "дек", "december", "dec"),
}
# "в мае 1987": the prepositional case, said of a month without a day.
_MONTH_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
_MONTHS: dict[str, int] = {form: month for month, forms in _MONTH_FORMS.items() for form in forms} | {
    form: number for number, form in enumerate(_MONTH_PREPOSITIONAL, start=1)
}
# Typos are only forgiven on long words, where a slip cannot turn one month into another.
_FUZZY_MIN_LENGTH = 5

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")

_NUMERIC_DMY = re.compile(r"([0-9]{1,2})([./,-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_SPACED_DMY = re.compile(r"([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{4})")
_ISO_YMD = re.compile(r"([0-9]{4})([./-])([0-9]{1,2})\2([0-9]{1,2})")
_ORDINAL = r"(?:-?(?:го|е|ое|st|nd|rd|th))?"
_DAY_MONTH_YEAR = re.compile(rf"([0-9]{{1,2}}){_ORDINAL}[ ./,-]?(?:of )?([a-zа-я]+)\.?[ ./,-]?([0-9]{{4}}|[0-9]{{2}})")
_MONTH_DAY_YEAR = re.compile(rf"([a-zа-я]+)\.?[ ./,-]?([0-9]{{1,2}}){_ORDINAL}[ ./,-]([0-9]{{4}}|[0-9]{{2}})")
_SPACE_AROUND_SEPARATOR = re.compile(r" ?([./,-]) ?")
_YEAR_SUFFIX = re.compile(r"(?<=[0-9]) ?(?:г\.? ?р|гг|года|году|год|г|yr|y)\.?$")
_TRAILING_PUNCTUATION = " .,;!?"
_DATE_PREFIX = re.compile(
    r"^(?:(?:я|i)\s+)?(?:родил(?:ся|ась|ись)|был[аи]?\s+рожден[аы]?|рожден[аы]?|was\s+born|born|"
    r"дата\s+рождения|д\.?\s?р\.?|date\s+of\s+birth|dob|birthday|birth\s+date|мой\s+др|"
    r"день\s+рождения)?\s*[:\-]?\s*(?:on\s+(?:the\s+)?|the\s+|in\s+|в\s+|во\s+)?"
)
# '87 or ’87: a two-digit year written with an apostrophe.
_YEAR_APOSTROPHE = re.compile(r"(?<![0-9a-zа-я])['’‘`]([0-9]{2})$")
_MONTH_YEAR = re.compile(r"([a-zа-я]+)\.?[ ,./-]?([0-9]{4}|'[0-9]{2})")
_NUMERIC_MONTH_YEAR = re.compile(r"([0-9]{1,2})[./-]([0-9]{4})")
_DAY_MONTH = re.compile(rf"([0-9]{{1,2}}){_ORDINAL}[ ./,-]?(?:of )?([a-zа-я]+)\.?")
_MONTH_DAY = re.compile(rf"([a-zа-я]+)\.?[ ./,-]?([0-9]{{1,2}}){_ORDINAL}")
_NUMERIC_DAY_MONTH = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})")

_TIME_SEPARATED = re.compile(r"([0-9]{1,2})(?: ?[:.,-] ?| )([0-9]{2})(?:[:.]([0-9]{2}))?(?: ?(?:ч|h)\.?)?")
_TIME_UNITS = re.compile(
    r"([0-9]{1,2}) ?(?:ч|час|часа|часов|h|hr|hrs|hours?)\.?"
    r"(?: ?([0-9]{1,2}) ?(?:м|мин|минут|минута|минуты|m|min|mins|minutes?)?\.?)?"
)
_TIME_HOUR = re.compile(r"([0-9]{1,2})")
_TIME_COMPACT = re.compile(r"([0-9]{2})([0-9]{2})")
_MERIDIEM_KIND = {
    "am": "am",
    "утра": "am",
    "утром": "am",
    "inthemorning": "am",
    "pm": "pm",
    "дня": "pm",
    "днем": "pm",
    "пополудни": "pm",
    "intheafternoon": "pm",
    "вечера": "pm",
    "вечером": "pm",
    "intheevening": "pm",
    "ночи": "night",
    "ночью": "night",
    "atnight": "night",
}
_MERIDIEM = re.compile(
    r" ?(a\.? ?m|p\.? ?m|утра|утром|дня|днем|пополудни|вечера|вечером|ночи|ночью|"
    r"in the morning|in the afternoon|in the evening|at night)\.?$"
)
_TIME_PREFIX = re.compile(r"^(?:в|во|at|~) ?")
# Words that only say how exact the time is: "около 7 утра", "примерно в 19", "ровно в полдень", "7ish".
_APPROXIMATE = re.compile(
    r"^(?:(?:около|примерно|приблизительно|ориентировочно|где-?\s?то|в районе|часов|часу|ровно|"
    r"around|about|approximately|approx\.?|roughly|circa|ca\.|exactly|~|≈)\s*)+"
)
_APPROXIMATE_TAIL = re.compile(r"(?:\s*(?:,?\s*примерно|,?\s*или около того|,?\s*or so|-?ish|,?\s*approx\.?))+$")
_OCLOCK = re.compile(r"\s*o'?clock$")
_RU_ORDINAL_GENITIVE = {
    word: number
    for number, word in enumerate(
        (
            "первого",
            "второго",
            "третьего",
            "четвертого",
            "пятого",
            "шестого",
            "седьмого",
            "восьмого",
            "девятого",
            "десятого",
            "одиннадцатого",
            "двенадцатого",
        ),
        start=1,
    )
}
_RU_ORDINALS = "|".join(_RU_ORDINAL_GENITIVE)
_HALF_RU = re.compile(rf"(?:пол|пол-|пол |половина |половине |в половине )({_RU_ORDINALS})")
_QUARTER_RU = re.compile(rf"(?:четверть|в четверть) ({_RU_ORDINALS})")
_RU_MINUTES_TO = {"четверти": 15, "пятнадцати": 15, "пяти": 5, "десяти": 10, "двадцати": 20}
_TO_RU = re.compile(r"без (четверти|пятнадцати|пяти|десяти|двадцати) ([a-zа-я0-9]+)")
_NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        (
            ("один", "одного", "час", "часа", "one"),
            ("два", "двух", "two"),
            ("три", "трех", "three"),
            ("четыре", "четырех", "four"),
            ("пять", "пяти", "five"),
            ("шесть", "шести", "six"),
            ("семь", "семи", "seven"),
            ("восемь", "восьми", "eight"),
            ("девять", "девяти", "nine"),
            ("десять", "десяти", "ten"),
            ("одиннадцать", "одиннадцати", "eleven"),
            ("двенадцать", "двенадцати", "twelve"),
        ),
        start=1,
    )
    for word in words
} | {str(number): number for number in range(1, 13)}
_PAST_EN = re.compile(r"(half|quarter) past ([a-z0-9]+)")
_TO_EN = re.compile(r"(?:a )?(quarter) to ([a-z0-9]+)")
_HALF_EN = re.compile(r"half ([a-z0-9]+)")
_UNKNOWN = re.compile(
    r"(?:я\s+|ой\s+|хм\s+)?(?:не\s?знаю|не\s?помню|не\s+в\s+курсе|неизвестно|не\s+известно|без\s+понятия|"
    r"понятия\s+не\s+имею|хз|никто\s+не\s+знает|точно\s+не\s+знаю|не\s+знаю\s+точно|"
    r"не\s+знаю\s+во\s+сколько|не\s+помню\s+во\s+сколько|время\s+не\s+знаю)"
    r"|(?:i\s+|sorry\s+|sorry,\s+i\s+)?(?:don'?t\s+know|do\s+not\s+know|dunno|idk|no\s+idea|not\s+sure|unknown|"
    r"don'?t\s+remember|do\s+not\s+remember|can'?t\s+remember|no\s+clue|not\s+known|have\s+no\s+idea)"
)
_UNKNOWN_TAIL = re.compile(
    r"(?:\s*(?:,?\s*к сожалению|,?\s*увы|,?\s*sorry|,?\s*unfortunately|\s*the time|"
    r"\s*what time|\s*точно|\s*время))+$"
)
_TIME_WORDS: dict[str, time] = {
    "полдень": time(12, 0),
    "полудня": time(12, 0),
    "noon": time(12, 0),
    "midday": time(12, 0),
    "полночь": time(0, 0),
    "полуночи": time(0, 0),
    "midnight": time(0, 0),
}


def _date_error(code: ParseError) -> DateResult:
    """A failed DateResult with the given reason."""
    return DateResult(value=None, error=code)


def _time_error() -> TimeResult:
    """A failed TimeResult."""
    return TimeResult(value=None, error=ParseError.BAD_TIME)


def _normalise(text: str) -> str:
    """Fold what people type into one plain form: ASCII digits, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    chars: list[str] = []
    for char in text:
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            chars.append(str(digit))
            continue
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        chars.append(" " if category in ("Cc", "Zs", "Zl", "Zp") else char)
    folded = "".join(chars).casefold().replace("ё", "е")
    return " ".join(folded.split())


def _month_number(word: str) -> int | None:
    """Month 1..12 for a Russian or English month word, forgiving small typos in long words."""
    word = word.rstrip(".")
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < _FUZZY_MIN_LENGTH or len(word) > 12:
        return None
    allowed = 1 if len(word) < 8 else 2
    best: dict[int, int] = {}
    for form, month in _MONTHS.items():
        if len(form) < _FUZZY_MIN_LENGTH or abs(len(form) - len(word)) > allowed:
            continue
        distance = OSA.distance(word, form, score_cutoff=allowed)
        if distance <= allowed:
            best[month] = min(distance, best.get(month, distance))
    if not best:
        return None
    closest = min(best.values())
    months = [month for month, distance in best.items() if distance == closest]
    return months[0] if len(months) == 1 else None


def _full_year(digits: str, today: date) -> int:
    """Four-digit year; two digits mean this century up to the current year, else the last one."""
    year = int(digits)
    if len(digits) == 2:
        return 2000 + year if year <= today.year % 100 else 1900 + year
    return year


def _date_parts(text: str, today: date) -> tuple[int, int, int, bool] | None:
    """(year, month, day, numeric) as written, not yet validated, or None when no format matches."""
    compact = _SPACE_AROUND_SEPARATOR.sub(r"\1", text)
    if match := _NUMERIC_DMY.fullmatch(compact):
        day, month = int(match[1]), int(match[3])
        # DD.MM is the convention; read MM.DD only when the first reading cannot be a date at all.
        if month > 12 and 1 <= day <= 12 and month <= 31:
            day, month = month, day
        return _full_year(match[4], today), month, day, True
    if match := _ISO_YMD.fullmatch(compact):
        return int(match[1]), int(match[3]), int(match[4]), False
    if match := _SPACED_DMY.fullmatch(text):
        return int(match[3]), int(match[2]), int(match[1]), True
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        for candidate in (text, compact):
            match = pattern.fullmatch(candidate)
            if match is None:
                continue
            named = _month_number(match[month_group])
            if named is not None:
                return _full_year(match[3], today), named, int(match[day_group]), False
    return None


def _partial(text: str, today: date) -> DateResult | None:
    """A month and year without the day, or a day and month without the year; None when neither."""
    compact = _SPACE_AROUND_SEPARATOR.sub(r"\1", text)
    month: int | None = None
    year: int | None = None
    if match := _MONTH_YEAR.fullmatch(text) or _MONTH_YEAR.fullmatch(compact):
        month, year = _month_number(match[1]), _full_year(match[2].lstrip("'"), today)
    elif match := _NUMERIC_MONTH_YEAR.fullmatch(compact):
        month, year = int(match[1]), int(match[2])
    if month is not None and year is not None:
        if not 1 <= month <= 12:
            return _date_error(ParseError.IMPOSSIBLE_DATE)
        if year < MIN_BIRTH_YEAR:
            return _date_error(ParseError.TOO_OLD)
        if (year, month) > (today.year, today.month):
            return _date_error(ParseError.FUTURE)
        return DateResult(value=None, error=ParseError.NO_DAY, month=month, year=year)
    for pattern, _day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for candidate in (text, compact):
            if (match := pattern.fullmatch(candidate)) and _month_number(match[month_group]) is not None:
                return _date_error(ParseError.NO_YEAR)
    if (match := _NUMERIC_DAY_MONTH.fullmatch(compact)) and 1 <= int(match[1]) <= 31 and 1 <= int(match[2]) <= 12:
        return _date_error(ParseError.NO_YEAR)
    return None


def _checked(year: int, month: int, day: int, today: date) -> DateResult:
    """The date if it exists, is not in the future and not before 1900; else the reason."""
    if year < MIN_BIRTH_YEAR:
        return _date_error(ParseError.TOO_OLD)
    try:
        value = date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and day > calendar.monthrange(year, month)[1] and day <= 31:
            return DateResult(value=None, error=ParseError.IMPOSSIBLE_DATE, day=day, month=month, year=year)
        return _date_error(ParseError.IMPOSSIBLE_DATE)
    if value > today:
        return _date_error(ParseError.FUTURE)
    return DateResult(value=value, error=None)


def parse_birth_date(text: str, *, today: date, language: str = "ru") -> DateResult:
    """Read a birth date typed in Russian or English.

    DD.MM.YYYY is the rule in Russian. In English an all-numeric date whose first two numbers could each be
    the month (05/04/1987) is AMBIGUOUS with both readings; a month and year alone is NO_DAY.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return _date_error(ParseError.UNRECOGNISED)
    if isinstance(today, datetime):
        today = today.date()
    cleaned = _normalise(text).rstrip(_TRAILING_PUNCTUATION)
    cleaned = _DATE_PREFIX.sub("", cleaned, count=1)
    cleaned = _YEAR_SUFFIX.sub("", cleaned).rstrip(_TRAILING_PUNCTUATION)
    cleaned = _YEAR_APOSTROPHE.sub(r"\1", cleaned)
    if not cleaned:
        return _date_error(ParseError.UNRECOGNISED)
    parts = _date_parts(cleaned, today)
    if parts is None:
        return _partial(cleaned, today) or _date_error(ParseError.UNRECOGNISED)
    year, month, day, numeric = parts
    result = _checked(year, month, day, today)
    if numeric and language == "en" and day != month and day <= 12 and month <= 12:
        swapped = _checked(year, day, month, today)
        readings = tuple(r.value for r in (swapped, result) if r.value is not None)
        if len(readings) == 2:
            return DateResult(value=None, error=ParseError.AMBIGUOUS, choices=readings)
        if swapped.ok:
            return swapped
    return result


def _apply_meridiem(hour: int, meridiem: str | None) -> int | None:
    """24-hour clock hour for a 12-hour reading, or None when the pair makes no sense."""
    if meridiem is None:
        return hour
    if hour > 12:
        # "19 вечера", "в 19 часов вечера": already on the 24-hour clock and in agreement.
        # English "13 pm" is a slip, not a time.
        russian = not meridiem.isascii()
        return hour if russian and hour <= 23 and _MERIDIEM_KIND[meridiem] != "am" else None
    kind = _MERIDIEM_KIND[meridiem]
    if kind == "night":
        # "3 ночи" is before dawn, "11 ночи" is late evening, "12 ночи" is midnight.
        kind = "pm" if 6 <= hour <= 11 else "am"
    if kind == "am":
        return 0 if hour == 12 else hour
    if hour == 0:
        return None
    return 12 if hour == 12 else hour + 12


def _spoken_clock(text: str) -> tuple[int, int] | None:
    """(hour, minute) of a time said in words: "полседьмого", "без четверти семь", "half past six", "seven"."""
    if match := _HALF_RU.fullmatch(text):
        return _hour_before(_RU_ORDINAL_GENITIVE[match[1]]), 30
    if match := _QUARTER_RU.fullmatch(text):
        return _hour_before(_RU_ORDINAL_GENITIVE[match[1]]), 15
    if (match := _TO_RU.fullmatch(text)) and (hour := _number(match[2])) is not None:
        return _hour_before(hour), 60 - _RU_MINUTES_TO[match[1]]
    if (match := _PAST_EN.fullmatch(text)) and (hour := _number(match[2])) is not None:
        return hour, 30 if match[1] == "half" else 15
    if (match := _TO_EN.fullmatch(text)) and (hour := _number(match[2])) is not None:
        return _hour_before(hour), 45
    if (match := _HALF_EN.fullmatch(text)) and (hour := _number(match[1])) is not None:
        return hour, 30
    if (hour := _number(text)) is not None:
        return hour, 0
    return None


def _hour_before(hour: int) -> int:
    """The hour before: half of the seventh hour is 6:30, half of the first is 12:30."""
    return 12 if hour == 1 else hour - 1


def _number(word: str) -> int | None:
    """1..12 for a number word in Russian or English ("семь", "семи", "seven", "час")."""
    return _NUMBER_WORDS.get(word)


def is_unknown_answer(text: str) -> bool:
    """True when someone types that they do not know (or remember) their birth time."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return False
    cleaned = _normalise(text).replace("’", "'").strip(_TRAILING_PUNCTUATION + "()")
    cleaned = _UNKNOWN_TAIL.sub("", cleaned).strip(_TRAILING_PUNCTUATION)
    return bool(_UNKNOWN.fullmatch(cleaned))


def parse_time(text: str) -> TimeResult:
    """Read a time of day: 14:30, 2:30 pm, 14ч 30м, "около 7 утра", "полседьмого вечера", "half past six"."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return _time_error()
    cleaned = _normalise(text).replace("’", "'").rstrip(_TRAILING_PUNCTUATION)
    cleaned = _APPROXIMATE_TAIL.sub("", _APPROXIMATE.sub("", cleaned)).strip(_TRAILING_PUNCTUATION)
    cleaned = _TIME_PREFIX.sub("", cleaned)
    if cleaned in _TIME_WORDS:
        return TimeResult(value=_TIME_WORDS[cleaned], error=None)
    meridiem: str | None = None
    if match := _MERIDIEM.search(cleaned):
        meridiem = re.sub(r"[ .]", "", match[1])
        cleaned = cleaned[: match.start()].strip()
    cleaned = _OCLOCK.sub("", cleaned)
    hour_text: str | None = None
    minute_text: str | None = None
    second_text: str | None = None
    if match := _TIME_SEPARATED.fullmatch(cleaned):
        hour_text, minute_text, second_text = match[1], match[2], match[3]
    elif match := _TIME_UNITS.fullmatch(cleaned):
        hour_text, minute_text = match[1], match[2]
    elif match := _TIME_HOUR.fullmatch(cleaned):
        hour_text = match[1]
    elif meridiem is None and (match := _TIME_COMPACT.fullmatch(cleaned)):
        hour_text, minute_text = match[1], match[2]
    elif spoken := _spoken_clock(cleaned):
        hour_text, minute_text = str(spoken[0]), str(spoken[1])
    if hour_text is None:
        return _time_error()
    hour = _apply_meridiem(int(hour_text), meridiem)
    minute = int(minute_text) if minute_text else 0
    second = int(second_text) if second_text else 0
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return _time_error()
    return TimeResult(value=time(hour, minute, second), error=None)
