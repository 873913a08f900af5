"""Planet, node and angle positions against Swiss Ephemeris, published charts and Meeus' worked examples."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import ephem
import pytest

from horoscopes.astro import PLANETS, SIGNS, compute_chart, planet_positions
from horoscopes.astro.constants import split_longitude
from horoscopes.astro.ephemeris import (
    apparent_sidereal_time,
    body_ecliptic,
    ecliptic_to_equatorial,
    julian_centuries_tt,
    mean_obliquity,
    nutation,
    to_ephem_day,
    true_obliquity,
)

ARCMIN = 1.0 / 60.0
ARCSEC = 1.0 / 3600.0


def lon(sign: str, degree: int, minute: int, second: float = 0.0) -> float:
    """Ecliptic longitude from sign, degrees, minutes and seconds."""
    return SIGNS.index(sign) * 30.0 + degree + minute / 60.0 + second / 3600.0


def diff(a: float, b: float) -> float:
    """Smallest absolute angular difference in degrees."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def tt_to_utc(year: int, month: int, day: int, hour: float = 0.0) -> datetime:
    """UTC moment of a Terrestrial (Dynamical) Time, with PyEphem's Delta T."""
    tt = datetime(year, month, day, tzinfo=UTC) + timedelta(hours=hour)
    return tt - timedelta(seconds=ephem.delta_t(to_ephem_day(tt)))


# Swiss Ephemeris, 1990-05-15 10:30 UTC, Moscow (55.7558 N, 37.6173 E): the project's reference chart.
MOSCOW_1990 = {
    "sun": lon("taurus", 24, 20, 9),
    "moon": lon("capricorn", 26, 23, 25),
    "mercury": lon("taurus", 8, 1, 12),
    "venus": lon("aries", 12, 44, 49),
    "mars": lon("pisces", 18, 17, 15),
    "jupiter": lon("cancer", 9, 31, 48),
    "saturn": lon("capricorn", 25, 15, 2),
    "uranus": lon("capricorn", 9, 11, 7),
    "neptune": lon("capricorn", 14, 21, 14),
    "pluto": lon("scorpio", 16, 10, 9),
    "mean_node": lon("aquarius", 11, 20, 33),
}
MOSCOW_1990_ASC = lon("virgo", 15, 22, 41)
MOSCOW_1990_MC = lon("gemini", 9, 40, 21)


@pytest.fixture(scope="module")
def moscow_chart():
    """The reference chart."""
    return compute_chart(datetime(1990, 5, 15, 10, 30, tzinfo=UTC), 55.7558, 37.6173)


@pytest.mark.parametrize("point", PLANETS)
def test_reference_chart_points_within_one_arcminute(moscow_chart, point):
    """Every planet and the mean node agree with Swiss Ephemeris to well under an arc-minute."""
    assert diff(moscow_chart.points[point].longitude, MOSCOW_1990[point]) < ARCMIN
    # In fact PyEphem plus our frame conversion agree to a few arc-seconds.
    assert diff(moscow_chart.points[point].longitude, MOSCOW_1990[point]) < 3 * ARCSEC


def test_reference_chart_angles(moscow_chart):
    """Ascendant and MC agree with Swiss Ephemeris."""
    assert diff(moscow_chart.asc, MOSCOW_1990_ASC) < ARCMIN
    assert diff(moscow_chart.mc, MOSCOW_1990_MC) < ARCMIN
    assert diff(moscow_chart.asc, MOSCOW_1990_ASC) < 3 * ARCSEC
    assert diff(moscow_chart.mc, MOSCOW_1990_MC) < 3 * ARCSEC


def test_reference_chart_signs_degrees_and_flags(moscow_chart):
    """Sign, degree, minute, retrograde flags and speeds of the reference chart."""
    sun = moscow_chart.points["sun"]
    assert (sun.sign, sun.degree, sun.minute) == ("taurus", 24, 20)
    moon = moscow_chart.points["moon"]
    assert (moon.sign, moon.degree, moon.minute) == ("capricorn", 26, 23)
    retro = {name for name, p in moscow_chart.points.items() if p.retrograde}
    # Mercury stationed retrograde on 1990-04-23; Saturn to Pluto were retrograde in May 1990.
    assert retro == {"mercury", "saturn", "uranus", "neptune", "pluto", "mean_node"}
    assert 0.95 < sun.speed < 0.98
    assert 11.5 < moon.speed < 15.5
    assert moscow_chart.points["mean_node"].speed == pytest.approx(-0.0529, abs=0.0002)


# Published charts (Astrodatabank, Rodden rating AA), minute precision: a tolerance of 1' covers both
# rounding and truncation of the published minute.
PUBLISHED = [
    pytest.param(
        # Albert Einstein, 1879-03-14 11:30 LMT, Ulm 48N24 10E00 (LMT = UT + 40 min): before 1950.
        datetime(1879, 3, 14, 10, 50, tzinfo=UTC),
        48 + 24 / 60,
        10.0,
        {"sun": lon("pisces", 23, 30), "moon": lon("sagittarius", 14, 32), "asc": lon("cancer", 11, 38)},
        id="einstein-1879",
    ),
    pytest.param(
        # Barack Obama, 1961-08-04 19:24 HST (UTC-10), Honolulu 21N18 157W52: west of Greenwich.
        datetime(1961, 8, 5, 5, 24, tzinfo=UTC),
        21 + 18 / 60,
        -(157 + 52 / 60),
        {"sun": lon("leo", 12, 33), "moon": lon("gemini", 3, 21), "asc": lon("aquarius", 18, 3)},
        id="obama-1961",
    ),
]


@pytest.mark.parametrize(("utc", "lat", "lon_", "expected"), PUBLISHED)
def test_published_charts(utc, lat, lon_, expected):
    """Sun, Moon and Ascendant of widely published charts, to the arc-minute."""
    chart = compute_chart(utc, lat, lon_)
    for point, value in expected.items():
        got = chart.asc if point == "asc" else chart.points[point].longitude
        assert diff(got, value) <= ARCMIN, (point, split_longitude(got))


def test_meeus_example_47a_moon():
    """Meeus, Astronomical Algorithms, ex. 47.a: apparent Moon 1992-04-12 0h TD at lambda 133.167265."""
    moment = tt_to_utc(1992, 4, 12)
    longitude, latitude = body_ecliptic("moon", to_ephem_day(moment))
    assert diff(longitude, 133.167265) < 5 * ARCSEC
    assert latitude == pytest.approx(-3.229126, abs=5 * ARCSEC)


def test_meeus_example_25b_sun_apparent_equatorial():
    """Meeus ex. 25.b: apparent Sun 1992-10-13 0h TD at RA 13h13m30.749s, Dec -7 47' 01.74"."""
    day = to_ephem_day(tt_to_utc(1992, 10, 13))
    longitude, latitude = body_ecliptic("sun", day)
    ra, dec = ecliptic_to_equatorial(longitude, latitude, true_obliquity(day))
    assert ra == pytest.approx((13 + 13 / 60 + 30.749 / 3600) * 15.0, abs=2 * ARCSEC)
    assert dec == pytest.approx(-(7 + 47 / 60 + 1.74 / 3600), abs=2 * ARCSEC)


def test_meeus_example_33a_venus_apparent_equatorial():
    """Meeus ex. 33.a: apparent Venus 1992-12-20 0h TD at RA 21h04m41.454s, Dec -18 53' 16.84"."""
    day = to_ephem_day(tt_to_utc(1992, 12, 20))
    longitude, latitude = body_ecliptic("venus", day)
    ra, dec = ecliptic_to_equatorial(longitude, latitude, true_obliquity(day))
    assert ra == pytest.approx((21 + 4 / 60 + 41.454 / 3600) * 15.0, abs=3 * ARCSEC)
    assert dec == pytest.approx(-(18 + 53 / 60 + 16.84 / 3600), abs=3 * ARCSEC)


def test_meeus_example_22a_nutation_and_obliquity():
    """Meeus ex. 22.a, 1987-04-10 0h TD: dpsi -3.788", deps +9.443", eps 23 26' 36.850"."""
    jd = 2446895.5
    t = (jd - 2451545.0) / 36525.0
    dpsi, deps = nutation(t)
    assert dpsi * 3600 == pytest.approx(-3.788, abs=0.5)
    assert deps * 3600 == pytest.approx(9.443, abs=0.1)
    assert mean_obliquity(t) == pytest.approx(23 + 26 / 60 + 27.407 / 3600, abs=0.01 * ARCSEC)
    assert mean_obliquity(t) + deps == pytest.approx(23 + 26 / 60 + 36.850 / 3600, abs=0.2 * ARCSEC)


def test_meeus_example_12_sidereal_time():
    """Meeus ex. 12.a/b: 1987-04-10 0h UT apparent sidereal time 13h10m46.1351s; 19:21 UT mean 8h34m57.09s."""
    day = to_ephem_day(datetime(1987, 4, 10, tzinfo=UTC))
    assert apparent_sidereal_time(day) == pytest.approx((13 + 10 / 60 + 46.1351 / 3600) * 15.0, abs=0.3 * ARCSEC)
    later = to_ephem_day(datetime(1987, 4, 10, 19, 21, tzinfo=UTC))
    t = julian_centuries_tt(later)
    dpsi, deps = nutation(t)
    equation_of_equinoxes = dpsi * math.cos(math.radians(mean_obliquity(t) + deps))
    mean = apparent_sidereal_time(later) - equation_of_equinoxes
    assert mean == pytest.approx((8 + 34 / 60 + 57.0896 / 3600) * 15.0, abs=0.1 * ARCSEC)


def test_sidereal_time_matches_pyephem():
    """Our apparent sidereal time agrees with libastro's, an independent implementation."""
    for moment in (datetime(1879, 3, 14, 10, 50), datetime(1990, 5, 15, 10, 30), datetime(2031, 7, 1, 3, 3)):
        observer = ephem.Observer()
        observer.lon, observer.lat = "0", "0"
        observer.date = ephem.Date(moment)
        assert diff(apparent_sidereal_time(to_ephem_day(moment)), math.degrees(observer.sidereal_time())) < ARCSEC


def test_mean_node_epoch_value_and_rate():
    """The mean node sits at 125.0445 degrees at J2000.0 and regresses 0.052954 degrees a day."""
    j2000 = planet_positions(datetime(2000, 1, 1, 11, 58, 56, tzinfo=UTC))["mean_node"].longitude
    assert diff(j2000, 125.0445479) < 20 * ARCSEC  # nutation in longitude is at most ~17"
    year_later = planet_positions(datetime(2001, 1, 1, 11, 58, 56, tzinfo=UTC))["mean_node"].longitude
    # 2000 is a leap year: 366 days of regression (nutation changes by a few arc-seconds at most).
    assert (j2000 - year_later) % 360.0 == pytest.approx(366 * 1934.1362891 / 36525, abs=10 * ARCSEC)


def test_naive_and_aware_utc_agree():
    """A naive datetime is UTC; an aware one in another zone is converted."""
    naive = planet_positions(datetime(2024, 1, 1, 12, 0))
    aware = planet_positions(datetime(2024, 1, 1, 15, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Moscow")))
    assert naive["moon"].longitude == pytest.approx(aware["moon"].longitude, abs=1e-9)


@pytest.mark.parametrize(
    ("utc", "retrograde"),
    [
        (datetime(2024, 3, 25, tzinfo=UTC), False),  # before the 2024-04-01 station
        (datetime(2024, 4, 2, tzinfo=UTC), True),
        (datetime(2024, 4, 10, tzinfo=UTC), True),
        (datetime(2024, 4, 25, 6, tzinfo=UTC), True),  # station direct 2024-04-25 12:54 UTC
        (datetime(2024, 4, 26, tzinfo=UTC), False),
        (datetime(2024, 8, 15, tzinfo=UTC), True),  # 2024-08-05 .. 2024-08-28
        (datetime(2024, 9, 5, tzinfo=UTC), False),
    ],
)
def test_mercury_retrograde_flag(utc, retrograde):
    """Mercury's retrograde flag over its known 2024 retrograde periods."""
    mercury = planet_positions(utc)["mercury"]
    assert mercury.retrograde is retrograde
    assert (mercury.speed < 0) is retrograde


def test_sun_and_moon_are_never_retrograde():
    """Luminaries always move forward."""
    for month in range(1, 13):
        positions = planet_positions(datetime(2023, month, 7, tzinfo=UTC))
        assert not positions["sun"].retrograde and positions["sun"].speed > 0.9
        assert not positions["moon"].retrograde and positions["moon"].speed > 11.0


def test_sign_boundary_at_the_march_equinox():
    """The Sun is in late Pisces a minute before the 2024-03-20 03:06 UTC equinox and in Aries after."""
    before = planet_positions(datetime(2024, 3, 20, 3, 5, tzinfo=UTC))["sun"]
    after = planet_positions(datetime(2024, 3, 20, 3, 7, tzinfo=UTC))["sun"]
    assert (before.sign, before.degree, before.minute) == ("pisces", 29, 59)
    assert (after.sign, after.degree, after.minute) == ("aries", 0, 0)


@pytest.mark.parametrize(
    ("longitude", "expected"),
    [
        (0.0, ("aries", 0, 0, 0)),
        (29.999999999, ("aries", 29, 59, 59)),
        (30.0, ("taurus", 0, 0, 0)),
        (359.9999999, ("pisces", 29, 59, 59)),
        (360.0, ("aries", 0, 0, 0)),
        (-0.5, ("pisces", 29, 30, 0)),
        (lon("leo", 12, 33, 7), ("leo", 12, 33, 7)),
    ],
)
def test_split_longitude_truncates_within_the_sign(longitude, expected):
    """Degrees and minutes are truncated, never rounded into the next sign."""
    sign, degree, minute, second = split_longitude(longitude)
    assert (sign, degree, minute) == expected[:3]
    assert abs(second - expected[3]) <= 1
