"""Birth dates and times as people type them, in Russian and English."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from users.parsing import (
    MAX_INPUT_LENGTH,
    DateResult,
    ParseError,
    TimeResult,
    is_unknown_answer,
    parse_birth_date,
    parse_time,
)

TODAY = date(2026, 5, 20)
MARCH_15 = date(1990, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.03.1990", MARCH_15),
        ("15/03/1990", MARCH_15),
        ("15-03-1990", MARCH_15),
        ("1990-03-15", MARCH_15),
        ("1990.03.15", MARCH_15),
        ("15,03,1990", MARCH_15),
        ("15 03 1990", MARCH_15),
        ("15 . 03 . 1990", MARCH_15),
        ("5.3.1990", date(1990, 3, 5)),
        ("05.03.1990", date(1990, 3, 5)),
        ("15.03.90", MARCH_15),
        ("15.03.05", date(2005, 3, 15)),
        ("15.03.26", date(2026, 3, 15)),
        ("15.03.27", date(1927, 3, 15)),
        ("03/15/1990", MARCH_15),
        ("15 марта 1990", MARCH_15),
        ("15 мар 1990", MARCH_15),
        ("15 мар. 1990", MARCH_15),
        ("15 март 1990", MARCH_15),
        ("15 МАРТА 1990", MARCH_15),
        ("15 Марта 1990 г.", MARCH_15),
        ("15 марта 1990 года", MARCH_15),
        ("15 марта 1990г", MARCH_15),
        ("15.03.1990 г.р.", MARCH_15),
        ("15-го марта 1990", MARCH_15),
        ("15марта1990", MARCH_15),
        ("15-мар-1990", MARCH_15),
        ("15 марта 90", MARCH_15),
        ("1 января 2000", date(2000, 1, 1)),
        ("1 янв 2000", date(2000, 1, 1)),
        ("3 февраля 1985", date(1985, 2, 3)),
        ("3 февр. 1985", date(1985, 2, 3)),
        ("3 фев 1985", date(1985, 2, 3)),
        ("9 мая 1945", date(1945, 5, 9)),
        ("9 май 1945", date(1945, 5, 9)),
        ("12 июня 1991", date(1991, 6, 12)),
        ("12 июн 1991", date(1991, 6, 12)),
        ("12 июля 1991", date(1991, 7, 12)),
        ("12 июль 1991", date(1991, 7, 12)),
        ("19 августа 1991", date(1991, 8, 19)),
        ("1 сентября 1980", date(1980, 9, 1)),
        ("1 сент 1980", date(1980, 9, 1)),
        ("1 сен 1980", date(1980, 9, 1)),
        ("7 ноября 1977", date(1977, 11, 7)),
        ("7 нояб. 1977", date(1977, 11, 7)),
        ("31 декабря 1999", date(1999, 12, 31)),
        ("31 ДЕК 1999", date(1999, 12, 31)),
        ("4 октября 1957", date(1957, 10, 4)),
        ("12 апреля 1961", date(1961, 4, 12)),
        ("15 сентебря 1990", date(1990, 9, 15)),
        ("15 ф\u0065враля 1990", date(1990, 2, 15)),  # a Latin "e" typed on the wrong keyboard layout
        ("March 15, 1990", MARCH_15),
        ("March 15 1990", MARCH_15),
        ("march 15th, 1990", MARCH_15),
        ("15 March 1990", MARCH_15),
        ("15th of March 1990", MARCH_15),
        ("Mar 15 1990", MARCH_15),
        ("Mar. 15, 1990", MARCH_15),
        ("15 MAR 1990", MARCH_15),
        ("Sept 1 1980", date(1980, 9, 1)),
        ("1 Sep 1980", date(1980, 9, 1)),
        ("July 4, 1976", date(1976, 7, 4)),
        ("December 31 1999", date(1999, 12, 31)),
        ("29 Feb 2000", date(2000, 2, 29)),
        ("15 Febuary 1990", date(1990, 2, 15)),
        ("  15.03.1990  ", MARCH_15),
        ("\u00a015\u00a0марта\u00a01990\u00a0", MARCH_15),
        ("１５．０３．１９９０", MARCH_15),
        ("15\u201403\u20141990", MARCH_15),
        ("15\u201303\u20131990", MARCH_15),
        ("15.03.1990\u200b", MARCH_15),
        ("15.03.1990.", MARCH_15),
        ("\u0661\u0665.\u0660\u0663.\u0661\u0669\u0669\u0660", MARCH_15),
        ("1 января 1900", date(1900, 1, 1)),
        ("20.05.2026", TODAY),
    ],
)
def test_parse_birth_date_accepts(text: str, expected: date) -> None:
    assert parse_birth_date(text, today=TODAY) == DateResult(value=expected, error=None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("31.02.1990", ParseError.IMPOSSIBLE_DATE),
        ("29.02.1991", ParseError.IMPOSSIBLE_DATE),
        ("31 апреля 1990", ParseError.IMPOSSIBLE_DATE),
        ("June 31, 1990", ParseError.IMPOSSIBLE_DATE),
        ("00.03.1990", ParseError.IMPOSSIBLE_DATE),
        ("15.13.1990", ParseError.IMPOSSIBLE_DATE),
        ("32.01.1990", ParseError.IMPOSSIBLE_DATE),
        ("1990-02-30", ParseError.IMPOSSIBLE_DATE),
        ("21.05.2026", ParseError.FUTURE),
        ("15.03.2990", ParseError.FUTURE),
        ("1 января 2030", ParseError.FUTURE),
        ("31.12.1899", ParseError.TOO_OLD),
        ("15 марта 1850", ParseError.TOO_OLD),
        ("15.03.0990", ParseError.TOO_OLD),
        ("", ParseError.UNRECOGNISED),
        ("   ", ParseError.UNRECOGNISED),
        ("hello", ParseError.UNRECOGNISED),
        ("15.03", ParseError.NO_YEAR),
        ("1990", ParseError.UNRECOGNISED),
        ("15 марта", ParseError.NO_YEAR),
        ("15 мрт 1990", ParseError.UNRECOGNISED),
        ("15 abcdef 1990", ParseError.UNRECOGNISED),
        ("15.03.199", ParseError.UNRECOGNISED),
        ("15.03/1990", ParseError.UNRECOGNISED),
        ("15.03.1990 14:30", ParseError.UNRECOGNISED),
        ("\U0001f600" * 500, ParseError.UNRECOGNISED),
        ("1" * (MAX_INPUT_LENGTH + 1), ParseError.UNRECOGNISED),
        (" " * 90 + "15.03.1990" + " ", ParseError.UNRECOGNISED),
        ("\x00\x01\x02", ParseError.UNRECOGNISED),
    ],
)
def test_parse_birth_date_rejects(text: str, error: ParseError) -> None:
    result = parse_birth_date(text, today=TODAY)
    assert result.value is None
    assert result.error == error
    assert not result.ok


def test_error_codes_are_plain_strings() -> None:
    assert parse_birth_date("31.02.1990", today=TODAY).error == "impossible_date"
    assert parse_birth_date("1.1.2100", today=TODAY).error == "future"
    assert parse_birth_date("1.1.1800", today=TODAY).error == "too_old"
    assert parse_birth_date("?", today=TODAY).error == "unrecognised"
    assert parse_time("25:00").error == "bad_time"


def test_two_digit_year_follows_today() -> None:
    assert parse_birth_date("15.03.10", today=date(2009, 1, 1)).value == date(1910, 3, 15)
    assert parse_birth_date("15.03.10", today=date(2011, 1, 1)).value == date(2010, 3, 15)


def test_today_given_as_datetime_is_accepted() -> None:
    assert parse_birth_date("15.03.1990", today=datetime(2026, 5, 20, 23, 59)).value == MARCH_15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("14,30", time(14, 30)),
        ("14-30", time(14, 30)),
        ("14 30", time(14, 30)),
        ("14 : 30", time(14, 30)),
        ("14:30:15", time(14, 30, 15)),
        ("1430", time(14, 30)),
        ("0905", time(9, 5)),
        ("9:05", time(9, 5)),
        ("09:05", time(9, 5)),
        ("8:30", time(8, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("14", time(14, 0)),
        ("7", time(7, 0)),
        ("2:30 pm", time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2:30 PM", time(14, 30)),
        ("2:30 p.m.", time(14, 30)),
        ("2 pm", time(14, 0)),
        ("11 am", time(11, 0)),
        ("12 am", time(0, 0)),
        ("12:15 am", time(0, 15)),
        ("12 pm", time(12, 0)),
        ("14ч 30м", time(14, 30)),
        ("14ч30м", time(14, 30)),
        ("14 ч 30 мин", time(14, 30)),
        ("14ч", time(14, 0)),
        ("9 часов 5 минут", time(9, 5)),
        ("14h30", time(14, 30)),
        ("8 утра", time(8, 0)),
        ("3 ночи", time(3, 0)),
        ("12 ночи", time(0, 0)),
        ("2 дня", time(14, 0)),
        ("7 вечера", time(19, 0)),
        ("в 14:30", time(14, 30)),
        ("полдень", time(12, 0)),
        ("midnight", time(0, 0)),
        ("１４：３０", time(14, 30)),
        ("\u00a014:30\u00a0", time(14, 30)),
        ("14\u201430", time(14, 30)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == TimeResult(value=expected, error=None)


@pytest.mark.parametrize(
    "text",
    [
        "24:00",
        "25:00",
        "12:60",
        "99",
        "9:5",
        "13 pm",
        "0 pm",
        "14:30:60",
        "2400",
        "garbage",
        "",
        "   ",
        "15.03.1990",
        "14:30 tomorrow",
        "\U0001f600" * 500,
        "1" * (MAX_INPUT_LENGTH + 1),
    ],
)
def test_parse_time_rejects(text: str) -> None:
    result = parse_time(text)
    assert result == TimeResult(value=None, error=ParseError.BAD_TIME)
    assert not result.ok


@given(st.text(max_size=300))
def test_parse_birth_date_never_raises(text: str) -> None:
    result = parse_birth_date(text, today=TODAY)
    assert (result.value is None) != (result.error is None)


@given(st.text(max_size=300))
def test_parse_time_never_raises(text: str) -> None:
    result = parse_time(text)
    assert (result.value is None) != (result.error is None)


_PIECES = st.sampled_from(
    [
        "15",
        "3",
        "1990",
        "90",
        "марта",
        "мар.",
        "March",
        "sept",
        "г.",
        "года",
        "pm",
        "ч",
        "мин",
        ".",
        ":",
        "/",
        "-",
        " ",
        ",",
        "\u00a0",
        "\u2014",
        "１",
        "\x00",
        "th",
        "го",
        "ё",
        "\U0001f600",
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_date_like_noise_never_raises(text: str) -> None:
    date_result = parse_birth_date(text, today=TODAY)
    time_result = parse_time(text)
    assert (date_result.value is None) != (date_result.error is None)
    assert (time_result.value is None) != (time_result.error is None)
    if date_result.value is not None:
        assert date(1900, 1, 1) <= date_result.value <= TODAY


_BIRTH_DATES = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
_RU_GENITIVE = [
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
]
_EN_MONTHS = [
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
]


@given(_BIRTH_DATES)
def test_every_past_date_round_trips_through_each_format(value: date) -> None:
    for text in (
        value.strftime("%d.%m.%Y"),
        value.isoformat(),
        f"{value.day} {_RU_GENITIVE[value.month - 1]} {value.year} г.",
        f"{_EN_MONTHS[value.month - 1]} {value.day}, {value.year}",
        f"{value.day} {_EN_MONTHS[value.month - 1][:3]} {value.year}",
    ):
        assert parse_birth_date(text, today=TODAY).value == value, text


@given(st.times())
def test_every_time_round_trips(value: time) -> None:
    assert parse_time(value.strftime("%H:%M")).value == value.replace(second=0, microsecond=0)
    twelve_hour = f"{(value.hour % 12) or 12}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"
    assert parse_time(twelve_hour).value == value.replace(second=0, microsecond=0)


def test_future_is_one_day_after_today() -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert parse_birth_date(tomorrow.strftime("%d.%m.%Y"), today=TODAY).error == ParseError.FUTURE


# --- Natural answers, as people type them ---------------------------------------------------------------

MAY_5 = date(1987, 5, 5)

NATURAL_DATES: list[tuple[str, str, object]] = [
    ("May 5th, '87", "en", MAY_5),
    ("May 5th, ’87", "en", MAY_5),
    ("5th of May 1987", "en", MAY_5),
    ("the 5th of May, 1987", "en", MAY_5),
    ("5 May 87", "en", MAY_5),
    ("May 5 87", "en", MAY_5),
    ("may 5th 1987", "en", MAY_5),
    ("5 мая 87", "ru", MAY_5),
    ("5 мая 1987", "ru", MAY_5),
    ("5-го мая 1987 года", "ru", MAY_5),
    ("05.05.87", "ru", MAY_5),
    ("я родилась 5 мая 1987", "ru", MAY_5),
    ("родился 5 мая 1987 г.", "ru", MAY_5),
    ("Дата рождения: 05.05.1987", "ru", MAY_5),
    ("др 05.05.1987", "ru", MAY_5),
    ("I was born on May 5, 1987", "en", MAY_5),
    ("born 5 May 1987", "en", MAY_5),
    ("Born on the 5th of May 1987", "en", MAY_5),
    ("DOB: 1987-05-05", "en", MAY_5),
    ("05/05/1987", "en", MAY_5),
    ("1987-05-04", "en", date(1987, 5, 4)),
    ("05/04/1987", "ru", date(1987, 4, 5)),
    ("05.04.1987", "ru", date(1987, 4, 5)),
    ("13/04/1987", "en", date(1987, 4, 13)),
    ("04/13/1987", "en", date(1987, 4, 13)),
    ("12/25/1990", "en", date(1990, 12, 25)),
    ("25.12.1990", "en", date(1990, 12, 25)),
    ("05/04/1987", "en", ParseError.AMBIGUOUS),
    ("5/4/87", "en", ParseError.AMBIGUOUS),
    ("01.02.2000", "en", ParseError.AMBIGUOUS),
    ("11-12-1999", "en", ParseError.AMBIGUOUS),
    ("май 1987", "ru", ParseError.NO_DAY),
    ("Май 1987 г.", "ru", ParseError.NO_DAY),
    ("мая 1987", "ru", ParseError.NO_DAY),
    ("в мае 1987", "ru", ParseError.NO_DAY),
    ("в мае 1987 года", "ru", ParseError.NO_DAY),
    ("May 1987", "en", ParseError.NO_DAY),
    ("May, 1987", "en", ParseError.NO_DAY),
    ("in May 1987", "en", ParseError.NO_DAY),
    ("05.1987", "ru", ParseError.NO_DAY),
    ("сентябрь 2001", "ru", ParseError.NO_DAY),
    ("5 мая", "ru", ParseError.NO_YEAR),
    ("May 5th", "en", ParseError.NO_YEAR),
    ("5th of May", "en", ParseError.NO_YEAR),
    ("05.05", "ru", ParseError.NO_YEAR),
    ("31.02.1990", "ru", ParseError.IMPOSSIBLE_DATE),
    ("30 февраля 1990", "ru", ParseError.IMPOSSIBLE_DATE),
    ("February 30, 1990", "en", ParseError.IMPOSSIBLE_DATE),
    ("31/04/1990", "en", ParseError.IMPOSSIBLE_DATE),
    ("29.02.2001", "ru", ParseError.IMPOSSIBLE_DATE),
    ("35.05.1987", "ru", ParseError.IMPOSSIBLE_DATE),
    ("15.03.2030", "ru", ParseError.FUTURE),
    ("May 2030", "en", ParseError.FUTURE),
    ("июнь 2026", "ru", ParseError.FUTURE),
    ("5 мая 1887", "ru", ParseError.TOO_OLD),
    ("May 1850", "en", ParseError.TOO_OLD),
    ("не помню", "ru", ParseError.UNRECOGNISED),
    ("вчера", "ru", ParseError.UNRECOGNISED),
    ("yesterday", "en", ParseError.UNRECOGNISED),
    ("Москва", "ru", ParseError.UNRECOGNISED),
    ("tarot", "en", ParseError.UNRECOGNISED),
]


@pytest.mark.parametrize(("text", "language", "expected"), NATURAL_DATES)
def test_natural_dates(text: str, language: str, expected: object) -> None:
    result = parse_birth_date(text, today=TODAY, language=language)
    if isinstance(expected, date):
        assert (result.value, result.error) == (expected, None)
    else:
        assert (result.value, result.error) == (None, expected)


def test_ambiguous_date_offers_both_readings_month_first() -> None:
    result = parse_birth_date("05/04/1987", today=TODAY, language="en")
    assert result.choices == (date(1987, 5, 4), date(1987, 4, 5))


def test_ambiguous_date_with_one_reading_in_the_future_is_not_asked() -> None:
    result = parse_birth_date("05/06/2026", today=TODAY, language="en")
    assert result.value == date(2026, 5, 6)


def test_month_and_year_are_kept_to_ask_for_the_day() -> None:
    result = parse_birth_date("май 1987", today=TODAY)
    assert (result.month, result.year) == (5, 1987)


def test_impossible_day_names_the_month() -> None:
    result = parse_birth_date("31.02.1990", today=TODAY)
    assert (result.day, result.month, result.year) == (31, 2, 1990)
    assert parse_birth_date("15.13.1990", today=TODAY).month is None


NATURAL_TIMES: list[tuple[str, time | None]] = [
    ("около 7 утра", time(7, 0)),
    ("примерно в 7 утра", time(7, 0)),
    ("где-то в 7 утра", time(7, 0)),
    ("полседьмого вечера", time(18, 30)),
    ("пол седьмого вечера", time(18, 30)),
    ("пол-седьмого утра", time(6, 30)),
    ("полседьмого", time(6, 30)),
    ("половина седьмого вечера", time(18, 30)),
    ("в половине седьмого утра", time(6, 30)),
    ("полпервого ночи", time(0, 30)),
    ("полпервого дня", time(12, 30)),
    ("четверть восьмого утра", time(7, 15)),
    ("без четверти семь вечера", time(18, 45)),
    ("без пятнадцати семь утра", time(6, 45)),
    ("без десяти восемь", time(7, 50)),
    ("7 вечера", time(19, 0)),
    ("семь вечера", time(19, 0)),
    ("в семь вечера", time(19, 0)),
    ("около семи вечера", time(19, 0)),
    ("в 19", time(19, 0)),
    ("в 19 часов", time(19, 0)),
    ("примерно в 19:30", time(19, 30)),
    ("19 часов вечера", time(19, 0)),
    ("в час дня", time(13, 0)),
    ("в 3 часа ночи", time(3, 0)),
    ("в 11 ночи", time(23, 0)),
    ("10 вечером", time(22, 0)),
    ("в 5 утром", time(5, 0)),
    ("около 12 дня", time(12, 0)),
    ("ровно в полдень", time(12, 0)),
    ("exactly 7:05 am", time(7, 5)),
    ("7:15 утра", time(7, 15)),
    ("half past six", time(6, 30)),
    ("half past six pm", time(18, 30)),
    ("half past 6 in the evening", time(18, 30)),
    ("quarter past seven", time(7, 15)),
    ("quarter to seven pm", time(18, 45)),
    ("a quarter to seven in the morning", time(6, 45)),
    ("half six", time(6, 30)),
    ("7pm", time(19, 0)),
    ("7 p.m.", time(19, 0)),
    ("7PM", time(19, 0)),
    ("around 7 in the morning", time(7, 0)),
    ("about 7 in the evening", time(19, 0)),
    ("around 7pm", time(19, 0)),
    ("approximately 10:30 pm", time(22, 30)),
    ("seven in the morning", time(7, 0)),
    ("seven pm", time(19, 0)),
    ("at 7 o'clock", time(7, 0)),
    ("7 o'clock in the evening", time(19, 0)),
    ("7ish", time(7, 0)),
    ("7pm or so", time(19, 0)),
    ("11 at night", time(23, 0)),
    ("2 at night", time(2, 0)),
    ("3 in the afternoon", time(15, 0)),
    ("noon", time(12, 0)),
    ("около полуночи", time(0, 0)),
    ("в районе полудня", time(12, 0)),
    ("19 утра", None),
    ("13 pm", None),
    ("полтринадцатого", None),
    ("без четверти", None),
    ("утром", None),
    ("in the evening", None),
    ("вечером где-то", None),
    ("quarter past", None),
    ("не знаю", None),
    ("don't know", None),
]


@pytest.mark.parametrize(("text", "expected"), NATURAL_TIMES)
def test_natural_times(text: str, expected: time | None) -> None:
    assert parse_time(text).value == expected


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("не знаю", True),
        ("Не знаю", True),
        ("незнаю", True),
        ("не знаю(", True),
        ("не помню", True),
        ("Не помню, к сожалению", True),
        ("я не знаю", True),
        ("не знаю точно", True),
        ("точно не знаю", True),
        ("без понятия", True),
        ("понятия не имею", True),
        ("неизвестно", True),
        ("хз", True),
        ("время не знаю", True),
        ("don't know", True),
        ("Don’t know", True),
        ("I don't know", True),
        ("dont know", True),
        ("I do not know.", True),
        ("no idea", True),
        ("idk", True),
        ("unknown", True),
        ("not sure", True),
        ("I don't remember", True),
        ("can't remember", True),
        ("знаю", False),
        ("знаю: 7 утра", False),
        ("7 утра", False),
        ("I know", False),
        ("", False),
        ("не знаю, но около 7 утра", False),
    ],
)
def test_typed_dont_know(text: str, unknown: bool) -> None:
    assert is_unknown_answer(text) is unknown


@given(st.lists(_PIECES, max_size=30).map("".join), st.sampled_from(["ru", "en"]))
def test_every_answer_is_consistent_in_both_languages(text: str, language: str) -> None:
    result = parse_birth_date(text, today=TODAY, language=language)
    assert (result.value is None) != (result.error is None)
    for choice in result.choices:
        assert date(1900, 1, 1) <= choice <= TODAY
    assert (len(result.choices) == 2) == (result.error == ParseError.AMBIGUOUS)
    if result.error == ParseError.NO_DAY:
        assert result.month is not None and 1 <= result.month <= 12
        assert result.year is not None and 1900 <= result.year <= TODAY.year
