"""Local birth moments to UTC under each birthplace's historical time-zone rules."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from users.birth import (
    BirthMoment,
    MomentStatus,
    birth_moment_utc,
    sun_sign_of_birth,
    sun_signs_possible,
    utc_offset_label,
)


def _utc(*parts: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "local_date", "local_time", "expected"),
    [
        # Soviet summer time: Moscow was UTC+4 in summer until 1991.
        ("Europe/Moscow", date(1985, 7, 1), time(12, 0), _utc(1985, 7, 1, 8, 0)),
        ("Europe/Moscow", date(1990, 5, 15), time(14, 30), _utc(1990, 5, 15, 10, 30)),
        ("Europe/Moscow", date(1985, 1, 15), time(12, 0), _utc(1985, 1, 15, 9, 0)),
        # Permanent "summer" time 2011-2014, then back to UTC+3.
        ("Europe/Moscow", date(2012, 12, 15), time(12, 0), _utc(2012, 12, 15, 8, 0)),
        ("Europe/Moscow", date(2015, 12, 15), time(12, 0), _utc(2015, 12, 15, 9, 0)),
        # Samara ran on Moscow time in winter 2010/11, then UTC+4 for good from March 2011.
        ("Europe/Samara", date(2010, 12, 15), time(12, 0), _utc(2010, 12, 15, 9, 0)),
        ("Europe/Samara", date(2011, 12, 15), time(12, 0), _utc(2011, 12, 15, 8, 0)),
        # Kaliningrad: UTC+3 all year 2011-2014, UTC+2 since.
        ("Europe/Kaliningrad", date(2012, 1, 15), time(12, 0), _utc(2012, 1, 15, 9, 0)),
        ("Europe/Kaliningrad", date(2015, 1, 15), time(12, 0), _utc(2015, 1, 15, 10, 0)),
        ("Europe/Kaliningrad", date(1990, 7, 1), time(12, 0), _utc(1990, 7, 1, 9, 0)),
        # Kyiv left Moscow summer time on 1 July 1990.
        ("Europe/Kyiv", date(1990, 6, 15), time(12, 0), _utc(1990, 6, 15, 8, 0)),
        ("Europe/Kyiv", date(1990, 7, 15), time(12, 0), _utc(1990, 7, 15, 9, 0)),
        ("Asia/Vladivostok", date(1985, 7, 1), time(12, 0), _utc(1985, 7, 1, 1, 0)),
        # Vladivostok was UTC+11 all year 2011-2014, UTC+10 since.
        ("Asia/Vladivostok", date(2012, 7, 1), time(12, 0), _utc(2012, 7, 1, 1, 0)),
        ("Asia/Vladivostok", date(2015, 7, 1), time(12, 0), _utc(2015, 7, 1, 2, 0)),
        # Southern hemisphere: summer (and DST) in January.
        ("Australia/Sydney", date(2021, 1, 15), time(12, 0), _utc(2021, 1, 15, 1, 0)),
        ("Australia/Sydney", date(2021, 7, 15), time(12, 0), _utc(2021, 7, 15, 2, 0)),
        # Brazil abolished DST in 2019.
        ("America/Sao_Paulo", date(2018, 1, 15), time(12, 0), _utc(2018, 1, 15, 14, 0)),
        ("America/Sao_Paulo", date(2020, 1, 15), time(12, 0), _utc(2020, 1, 15, 15, 0)),
        ("Asia/Kolkata", date(2000, 1, 1), time(0, 0), _utc(1999, 12, 31, 18, 30)),
        ("UTC", date(2000, 1, 1), time(0, 0), _utc(2000, 1, 1, 0, 0)),
    ],
)
def test_birth_moment_utc_history(tz: str, local_date: date, local_time: time, expected: datetime) -> None:
    moment = birth_moment_utc(local_date, local_time, tz)
    assert moment == BirthMoment(utc=expected, status=MomentStatus.OK, options=())
    assert moment.utc is not None and moment.utc.utcoffset() == timedelta(0)
    assert moment.ok


def test_spring_forward_gap_is_nonexistent() -> None:
    moment = birth_moment_utc(date(1990, 3, 25), time(2, 30), "Europe/Moscow")
    assert moment.status == "nonexistent"
    assert moment.utc is None
    assert not moment.ok
    # Read with the winter offset (+3), then with the summer offset (+4).
    assert moment.options == (_utc(1990, 3, 24, 23, 30), _utc(1990, 3, 24, 22, 30))


def test_fall_back_hour_is_ambiguous() -> None:
    moment = birth_moment_utc(date(1990, 9, 30), time(2, 30), "Europe/Moscow")
    assert moment.status == "ambiguous"
    assert moment.utc is None
    assert moment.options == (_utc(1990, 9, 29, 22, 30), _utc(1990, 9, 29, 23, 30))
    moscow = ZoneInfo("Europe/Moscow")
    for option in moment.options:
        assert option.astimezone(moscow).replace(tzinfo=None) == datetime(1990, 9, 30, 2, 30)


def test_edges_of_the_gap_exist() -> None:
    assert birth_moment_utc(date(1990, 3, 25), time(1, 59), "Europe/Moscow").utc == _utc(1990, 3, 24, 22, 59)
    assert birth_moment_utc(date(1990, 3, 25), time(3, 0), "Europe/Moscow").utc == _utc(1990, 3, 24, 23, 0)


def test_southern_hemisphere_gap_and_overlap() -> None:
    gap = birth_moment_utc(date(2021, 10, 3), time(2, 30), "Australia/Sydney")
    assert gap.status == MomentStatus.NONEXISTENT
    assert gap.options == (_utc(2021, 10, 2, 16, 30), _utc(2021, 10, 2, 15, 30))
    overlap = birth_moment_utc(date(2021, 4, 4), time(2, 30), "Australia/Sydney")
    assert overlap.status == MomentStatus.AMBIGUOUS
    assert overlap.options == (_utc(2021, 4, 3, 15, 30), _utc(2021, 4, 3, 16, 30))


def test_unknown_time_uses_local_noon() -> None:
    moment = birth_moment_utc(date(1990, 5, 15), None, "Europe/Moscow")
    assert moment == BirthMoment(utc=_utc(1990, 5, 15, 8, 0), status=MomentStatus.OK)


def test_unknown_time_on_a_day_without_noon_still_gives_one_instant() -> None:
    # Samoa skipped 30 December 2011 entirely when it crossed the date line.
    moment = birth_moment_utc(date(2011, 12, 30), None, "Pacific/Apia")
    assert moment.status == MomentStatus.OK
    assert moment.utc == _utc(2011, 12, 30, 22, 0)
    assert birth_moment_utc(date(2011, 12, 30), time(12, 0), "Pacific/Apia").status == "nonexistent"


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "../etc/passwd", "Europe/Moscow\x00"])
def test_unknown_zone_is_a_value_error(tz: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        birth_moment_utc(date(1990, 1, 1), time(12, 0), tz)


@pytest.mark.parametrize(
    ("tz", "at_utc", "label"),
    [
        ("Europe/Moscow", _utc(1985, 7, 1, 8, 0), "UTC+04:00"),
        ("Europe/Moscow", _utc(2020, 7, 1, 8, 0), "UTC+03:00"),
        ("Europe/Samara", _utc(2010, 12, 15, 9, 0), "UTC+03:00"),
        ("America/Sao_Paulo", _utc(2020, 1, 15), "UTC-03:00"),
        ("America/St_Johns", _utc(2020, 1, 15), "UTC-03:30"),
        ("Asia/Kathmandu", _utc(2020, 1, 15), "UTC+05:45"),
        ("UTC", _utc(2020, 1, 15), "UTC+00:00"),
        # Moscow kept local mean time until 1919.
        ("Europe/Moscow", _utc(1900, 1, 1), "UTC+02:30:17"),
        ("Europe/Moscow", datetime(1985, 7, 1, 8, 0), "UTC+04:00"),
        ("Europe/Moscow", datetime(1985, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), "UTC+04:00"),
    ],
)
def test_utc_offset_label(tz: str, at_utc: datetime, label: str) -> None:
    assert utc_offset_label(tz, at_utc) == label


_ZONES = st.sampled_from(
    [
        "Europe/Moscow",
        "Europe/Samara",
        "Europe/Kaliningrad",
        "Europe/Kyiv",
        "Asia/Vladivostok",
        "Asia/Yekaterinburg",
        "Australia/Sydney",
        "America/New_York",
        "Pacific/Apia",
    ]
)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2037, 12, 31)),
    st.times().map(lambda value: value.replace(second=0, microsecond=0)),
    _ZONES,
)
def test_every_answer_converts_back_to_the_wall_time(local_date: date, local_time: time, tz: str) -> None:
    moment = birth_moment_utc(local_date, local_time, tz)
    zone = ZoneInfo(tz)
    wall = datetime.combine(local_date, local_time)
    if moment.status == MomentStatus.OK:
        assert moment.options == ()
        assert moment.utc is not None
        assert moment.utc.astimezone(zone).replace(tzinfo=None) == wall
    elif moment.status == MomentStatus.AMBIGUOUS:
        earlier, later = moment.options
        assert earlier < later
        assert {option.astimezone(zone).replace(tzinfo=None) for option in moment.options} == {wall}
    else:
        assert moment.status == MomentStatus.NONEXISTENT
        assert len(moment.options) == 2
        assert all(option.astimezone(zone).replace(tzinfo=None) != wall for option in moment.options)


@pytest.mark.parametrize(
    ("born", "at", "tz", "signs"),
    [
        # The 1988 December solstice: 15:28 UTC, 18:28 in Leningrad.
        (date(1988, 12, 21), time(22, 0), "Europe/Moscow", ("capricorn",)),
        (date(1988, 12, 21), time(9, 0), "Europe/Moscow", ("sagittarius",)),
        (date(1988, 12, 21), None, "Europe/Moscow", ("sagittarius", "capricorn")),
        (date(1988, 12, 21), None, "", ("sagittarius", "capricorn")),
        # Not a day of change: one sign, whatever is unknown.
        (date(1990, 5, 15), None, "", ("taurus",)),
        (date(1990, 5, 15), None, "Asia/Tokyo", ("taurus",)),
        # 22 December 1988 in Tokyo began at 15:00 UTC on the 21st, before the solstice: both are possible.
        (date(1988, 12, 22), None, "Asia/Tokyo", ("sagittarius", "capricorn")),
        (date(1988, 12, 22), None, "America/New_York", ("capricorn",)),
    ],
)
def test_the_signs_a_birth_allows(born, at, tz, signs):
    assert sun_signs_possible(born, at, tz) == signs


def test_the_sign_shown_is_the_suns_at_the_birth_instant_or_noon():
    evening = datetime(1988, 12, 21, 19, 0, tzinfo=UTC)
    assert sun_sign_of_birth(date(1988, 12, 21), evening) == "capricorn"
    assert sun_sign_of_birth(date(1988, 12, 21), None) == "sagittarius"  # noon UTC, three hours before
