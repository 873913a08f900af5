"""Parse the birth dates and times people type, in Russian or English, without ever raising."""

from __future__ import annotations

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


@dataclass(frozen=True)
class DateResult:
    """A parsed date, or the reason it could not be parsed."""

    value: date | None
    error: str | None

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
_MONTHS: dict[str, int] = {form: month for month, forms in _MONTH_FORMS.items() for form in forms}
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

_TIME_SEPARATED = re.compile(r"([0-9]{1,2})(?: ?[:.,-] ?| )([0-9]{2})(?:[:.]([0-9]{2}))?(?: ?(?:ч|h)\.?)?")
_TIME_UNITS = re.compile(
    r"([0-9]{1,2}) ?(?:ч|час|часа|часов|h|hr|hrs|hours?)\.?"
    r"(?: ?([0-9]{1,2}) ?(?:м|мин|минут|минута|минуты|m|min|mins|minutes?)?\.?)?"
)
_TIME_HOUR = re.compile(r"([0-9]{1,2})")
_TIME_COMPACT = re.compile(r"([0-9]{2})([0-9]{2})")
_MERIDIEM = re.compile(r" ?(a\.? ?m|p\.? ?m|утра|дня|вечера|ночи)\.?$")
_TIME_PREFIX = re.compile(r"^(?:в|at|~) ?")
_TIME_WORDS: dict[str, time] = {
    "полдень": time(12, 0),
    "noon": time(12, 0),
    "midday": time(12, 0),
    "полночь": time(0, 0),
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


def _date_parts(text: str, today: date) -> tuple[int, int, int] | None:
    """(year, month, day) as written, not yet validated, or None when no format matches."""
    compact = _SPACE_AROUND_SEPARATOR.sub(r"\1", text)
    if match := _NUMERIC_DMY.fullmatch(compact):
        day, month = int(match[1]), int(match[3])
        # DD.MM is the convention; read MM.DD only when the first reading cannot be a date at all.
        if month > 12 and 1 <= day <= 12 and month <= 31:
            day, month = month, day
        return _full_year(match[4], today), month, day
    if match := _ISO_YMD.fullmatch(compact):
        return int(match[1]), int(match[3]), int(match[4])
    if match := _SPACED_DMY.fullmatch(text):
        return int(match[3]), int(match[2]), int(match[1])
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        for candidate in (text, compact):
            match = pattern.fullmatch(candidate)
            if match is None:
                continue
            named = _month_number(match[month_group])
            if named is not None:
                return _full_year(match[3], today), named, int(match[day_group])
    return None


def parse_birth_date(text: str, *, today: date) -> DateResult:
    """Read a birth date typed in Russian or English; DD.MM.YYYY is the convention, ISO is accepted."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return _date_error(ParseError.UNRECOGNISED)
    if isinstance(today, datetime):
        today = today.date()
    cleaned = _normalise(text).rstrip(_TRAILING_PUNCTUATION)
    cleaned = _YEAR_SUFFIX.sub("", cleaned).rstrip(_TRAILING_PUNCTUATION)
    if not cleaned:
        return _date_error(ParseError.UNRECOGNISED)
    parts = _date_parts(cleaned, today)
    if parts is None:
        return _date_error(ParseError.UNRECOGNISED)
    year, month, day = parts
    if year < MIN_BIRTH_YEAR:
        return _date_error(ParseError.TOO_OLD)
    try:
        value = date(year, month, day)
    except ValueError:
        return _date_error(ParseError.IMPOSSIBLE_DATE)
    if value > today:
        return _date_error(ParseError.FUTURE)
    return DateResult(value=value, error=None)


def _apply_meridiem(hour: int, meridiem: str | None) -> int | None:
    """24-hour clock hour for a 12-hour reading, or None when the pair makes no sense."""
    if meridiem is None:
        return hour
    if hour > 12:
        return None
    before_noon = meridiem.startswith(("a", "утр", "ноч"))
    if before_noon:
        return 0 if hour == 12 else hour
    if hour == 0:
        return None
    return 12 if hour == 12 else hour + 12


def parse_time(text: str) -> TimeResult:
    """Read a time of day such as 14:30, 2:30 pm, 14ч 30м or a bare hour; 24:00 is not a time."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return _time_error()
    cleaned = _TIME_PREFIX.sub("", _normalise(text).rstrip(_TRAILING_PUNCTUATION))
    if cleaned in _TIME_WORDS:
        return TimeResult(value=_TIME_WORDS[cleaned], error=None)
    meridiem: str | None = None
    if match := _MERIDIEM.search(cleaned):
        meridiem = match[1]
        cleaned = cleaned[: match.start()]
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
    if hour_text is None:
        return _time_error()
    hour = _apply_meridiem(int(hour_text), meridiem)
    minute = int(minute_text) if minute_text else 0
    second = int(second_text) if second_text else 0
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return _time_error()
    return TimeResult(value=time(hour, minute, second), error=None)
