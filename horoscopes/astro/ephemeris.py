"""Apparent geocentric ecliptic positions (true equinox of date) on top of PyEphem, plus time and frame maths.

Time inside the engine is a float "ephem day": days since 1899-12-31 12:00 UT (PyEphem's Dublin Julian date).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import ephem

_DUBLIN_EPOCH = datetime(1899, 12, 31, 12, 0, tzinfo=UTC)
_DUBLIN_TO_JD = 2415020.0
_J2000_JD = 2451545.0
_DAYS_PER_CENTURY = 36525.0

# Central-difference step for daily motions: short enough to be instantaneous, long enough to be exact.
SPEED_STEP_DAYS = 1.0 / 24.0

_BODY_FACTORIES: dict[str, Callable[[], ephem.Body]] = {
    "sun": ephem.Sun,
    "moon": ephem.Moon,
    "mercury": ephem.Mercury,
    "venus": ephem.Venus,
    "mars": ephem.Mars,
    "jupiter": ephem.Jupiter,
    "saturn": ephem.Saturn,
    "uranus": ephem.Uranus,
    "neptune": ephem.Neptune,
    "pluto": ephem.Pluto,
}
BODIES: tuple[str, ...] = tuple(_BODY_FACTORIES)

# PyEphem bodies keep the last computed state, so sharing them between threads would mix results.
_local = threading.local()


def _body(name: str) -> ephem.Body:
    """This thread's reusable PyEphem body for a planet key."""
    bodies = getattr(_local, "bodies", None)
    if bodies is None:
        bodies = _local.bodies = {key: factory() for key, factory in _BODY_FACTORIES.items()}
    return bodies[name]


def to_ephem_day(moment: datetime) -> float:
    """Ephem day of a datetime; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _DUBLIN_EPOCH).total_seconds() / 86400.0


def from_ephem_day(day: float) -> datetime:
    """Aware UTC datetime of an ephem day, to the microsecond."""
    return _DUBLIN_EPOCH + timedelta(microseconds=round(day * 86400e6))


def julian_centuries_tt(day: float) -> float:
    """Julian centuries of Terrestrial Time since J2000.0 for an ephem day (UT)."""
    jd_tt = day + _DUBLIN_TO_JD + ephem.delta_t(day) / 86400.0
    return (jd_tt - _J2000_JD) / _DAYS_PER_CENTURY


def nutation(t_tt: float) -> tuple[float, float]:
    """Nutation in longitude and in obliquity (degrees), IAU 1980 main terms (about 0.5" accuracy)."""
    omega = math.radians(125.04452 - 1934.136261 * t_tt)
    sun_mean = math.radians(2.0 * (280.4665 + 36000.7698 * t_tt))
    moon_mean = math.radians(2.0 * (218.3165 + 481267.8813 * t_tt))
    dpsi = (
        -17.20 * math.sin(omega) - 1.32 * math.sin(sun_mean) - 0.23 * math.sin(moon_mean) + 0.21 * math.sin(2.0 * omega)
    )
    deps = (
        9.20 * math.cos(omega) + 0.57 * math.cos(sun_mean) + 0.10 * math.cos(moon_mean) - 0.09 * math.cos(2.0 * omega)
    )
    return dpsi / 3600.0, deps / 3600.0


def mean_obliquity(t_tt: float) -> float:
    """Mean obliquity of the ecliptic in degrees (IAU 1980 polynomial)."""
    return 23.439291111111 - (46.8150 * t_tt + 0.00059 * t_tt**2 - 0.001813 * t_tt**3) / 3600.0


def true_obliquity(day: float) -> float:
    """True obliquity of the ecliptic (mean plus nutation) in degrees."""
    t_tt = julian_centuries_tt(day)
    return mean_obliquity(t_tt) + nutation(t_tt)[1]


def apparent_sidereal_time(day: float) -> float:
    """Greenwich apparent sidereal time in degrees (UT taken for UT1)."""
    d_ut = day + _DUBLIN_TO_JD - _J2000_JD
    t_ut = d_ut / _DAYS_PER_CENTURY
    gmst = 280.46061837 + 360.98564736629 * d_ut + 0.000387933 * t_ut**2 - t_ut**3 / 38710000.0
    t_tt = julian_centuries_tt(day)
    dpsi, deps = nutation(t_tt)
    eps = mean_obliquity(t_tt) + deps
    return (gmst + dpsi * math.cos(math.radians(eps))) % 360.0


def mean_node_longitude(day: float) -> float:
    """Apparent longitude of the mean ascending lunar node (Meeus 47.7 plus nutation), degrees."""
    t = julian_centuries_tt(day)
    omega = 125.0445479 - 1934.1362891 * t + 0.0020754 * t**2 + t**3 / 467441.0 - t**4 / 60616000.0
    return (omega + nutation(t)[0]) % 360.0


def mean_node_speed(day: float) -> float:
    """Daily motion of the mean node in degrees per day (derivative of the polynomial)."""
    t = julian_centuries_tt(day)
    per_century = -1934.1362891 + 2.0 * 0.0020754 * t + 3.0 * t**2 / 467441.0 - 4.0 * t**3 / 60616000.0
    return per_century / _DAYS_PER_CENTURY


def _moon_vector(day: float, eps: float) -> tuple[float, float, float]:
    """Geocentric ecliptic-of-date position of the Moon in astronomical units."""
    moon = _body("moon")
    moon.compute(day)
    lon, lat = equatorial_to_ecliptic(moon.ra, moon.dec, eps)
    r, lam, beta = float(moon.earth_distance), math.radians(lon), math.radians(lat)
    return r * math.cos(beta) * math.cos(lam), r * math.cos(beta) * math.sin(lam), r * math.sin(beta)


def true_node_longitude(day: float, step: float = 1.0 / 1440.0) -> float:
    """Longitude of the true (osculating) ascending node of the Moon's orbit, degrees.

    The node of the plane the Moon moves in at this instant: the line where the plane through the Earth
    spanned by the Moon's position and velocity crosses the ecliptic of date. Velocity is a central
    difference over `step` days, short enough for the orbit to be straight within it. Unlike the mean node
    it swings up to about 1.7 degrees either side of the mean and sometimes moves forwards.
    """
    eps = true_obliquity(day)
    before, now, after = (_moon_vector(day + k * step, eps) for k in (-1, 0, 1))
    velocity = tuple((a - b) / (2.0 * step) for a, b in zip(after, before, strict=True))
    # The ascending node lies along (ecliptic pole) x (orbital angular momentum r x v).
    h_x = now[1] * velocity[2] - now[2] * velocity[1]
    h_y = now[2] * velocity[0] - now[0] * velocity[2]
    return math.degrees(math.atan2(h_x, -h_y)) % 360.0


def equatorial_to_ecliptic(ra: float, dec: float, eps: float) -> tuple[float, float]:
    """Ecliptic longitude and latitude (degrees) from right ascension and declination (radians)."""
    sin_e, cos_e = math.sin(math.radians(eps)), math.cos(math.radians(eps))
    sin_ra, cos_ra = math.sin(ra), math.cos(ra)
    sin_dec, cos_dec = math.sin(dec), math.cos(dec)
    lon = math.atan2(sin_ra * cos_dec * cos_e + sin_dec * sin_e, cos_ra * cos_dec)
    lat = math.asin(max(-1.0, min(1.0, sin_dec * cos_e - cos_dec * sin_e * sin_ra)))
    return math.degrees(lon) % 360.0, math.degrees(lat)


def ecliptic_to_equatorial(lon: float, lat: float, eps: float) -> tuple[float, float]:
    """Right ascension and declination (degrees) of an ecliptic point."""
    e, lam, beta = math.radians(eps), math.radians(lon), math.radians(lat)
    ra = math.atan2(math.sin(lam) * math.cos(e) - math.tan(beta) * math.sin(e), math.cos(lam))
    dec = math.asin(math.sin(beta) * math.cos(e) + math.cos(beta) * math.sin(e) * math.sin(lam))
    return math.degrees(ra) % 360.0, math.degrees(dec)


def body_ecliptic(name: str, day: float, eps: float | None = None) -> tuple[float, float]:
    """Apparent geocentric ecliptic longitude and latitude (degrees) of a point at an ephem day."""
    if name == "mean_node":
        return mean_node_longitude(day), 0.0
    if name == "true_node":
        return true_node_longitude(day), 0.0
    body = _body(name)
    body.compute(day)
    # PyEphem's ra/dec are apparent and referred to the true equator and equinox of date.
    return equatorial_to_ecliptic(body.ra, body.dec, true_obliquity(day) if eps is None else eps)


def body_longitude(name: str, day: float) -> float:
    """Apparent geocentric ecliptic longitude (degrees) of a point at an ephem day."""
    return body_ecliptic(name, day)[0]


def body_speed(name: str, day: float, step: float = SPEED_STEP_DAYS) -> float:
    """Daily motion in longitude (degrees per day), by a central difference."""
    if name == "mean_node":
        return mean_node_speed(day)
    before = body_longitude(name, day - step)
    after = body_longitude(name, day + step)
    return wrap180(after - before) / (2.0 * step)


def longitudes_at(day: float, names: Iterable[str]) -> dict[str, float]:
    """Longitudes of several points at one moment, sharing the obliquity computation."""
    eps = true_obliquity(day)
    return {name: body_ecliptic(name, day, eps)[0] for name in names}


def wrap180(angle: float) -> float:
    """Angle folded into [-180, 180)."""
    return (angle + 180.0) % 360.0 - 180.0


def moon_illumination(day: float) -> float:
    """Illuminated fraction of the Moon's disc, 0..1."""
    moon = _body("moon")
    moon.compute(day)
    return float(moon.moon_phase)
