"""Natal (or any moment's) chart: positions, angles, houses and aspects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .aspects import Aspect, find_aspects
from .constants import HOUSE_SYSTEMS, PLANETS, split_longitude
from .ephemeris import (
    SPEED_STEP_DAYS,
    apparent_sidereal_time,
    body_ecliptic,
    mean_node_speed,
    to_ephem_day,
    true_node_longitude,
    true_obliquity,
    wrap180,
)
from .houses import compute_houses, house_of

_JSON_DECIMALS = 6


@dataclass(frozen=True)
class Position:
    """Where a point is: apparent geocentric ecliptic coordinates of date, speed in degrees per day."""

    point: str
    longitude: float
    latitude: float
    speed: float
    retrograde: bool
    sign: str
    degree: int
    minute: int
    house: int | None = None


@dataclass(frozen=True)
class Chart:
    """A chart for a moment and place; without a known birth time `has_houses` is False."""

    utc: datetime
    lat: float
    lon: float
    house_system: str | None
    requested_house_system: str
    polar_fallback: bool
    has_houses: bool
    asc: float | None
    mc: float | None
    houses: tuple[float, ...]
    points: dict[str, Position]
    aspects: tuple[Aspect, ...]
    # The "mean_node" among the points is the node every reading, aspect and transit uses (see
    # constants.NODE_DEFAULT); the true node is shown beside it for readers who work with it.
    true_node: Position | None = None

    def house_of(self, longitude: float) -> int | None:
        """House (1-12) of an ecliptic longitude in this chart, or None without houses."""
        return house_of(longitude, self.houses) if self.has_houses else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: utc, lat, lon, house_system, asc, mc, houses, points, true_node, aspects."""
        r = _JSON_DECIMALS
        return {
            "utc": self.utc.isoformat(),
            "lat": self.lat,
            "lon": self.lon,
            "house_system": self.house_system,
            "asc": None if self.asc is None else round(self.asc, r),
            "mc": None if self.mc is None else round(self.mc, r),
            "houses": [round(c, r) for c in self.houses],
            "points": {name: _position_dict(p, r) for name, p in self.points.items()},
            **({"true_node": _position_dict(self.true_node, r)} if self.true_node else {}),
            "aspects": [
                {"a": x.a, "b": x.b, "kind": x.kind, "orb": round(x.orb, r), "applying": x.applying}
                for x in self.aspects
            ],
        }


def _position_dict(p: Position, r: int) -> dict[str, Any]:
    return {
        "longitude": round(p.longitude, r),
        "sign": p.sign,
        "house": p.house,
        "retrograde": p.retrograde,
        "speed": round(p.speed, r),
    }


def true_node_position(day: float, cusps: tuple[float, ...] | None = None) -> Position:
    """The true (osculating) node with its daily motion, and its house when cusps are given."""
    lon = true_node_longitude(day)
    speed = wrap180(true_node_longitude(day + SPEED_STEP_DAYS) - true_node_longitude(day - SPEED_STEP_DAYS))
    house = house_of(lon, cusps) if cusps else None
    return make_position("true_node", lon, 0.0, speed / (2.0 * SPEED_STEP_DAYS), house)


def _as_utc(moment: datetime) -> datetime:
    """Aware UTC datetime; naive input is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def make_position(point: str, longitude: float, latitude: float, speed: float, house: int | None) -> Position:
    """Position with sign, degree and minute filled in from the longitude."""
    sign, degree, minute, _ = split_longitude(longitude)
    # The Sun and the Moon never move backwards; a tiny negative difference would only be noise.
    retrograde = speed < 0.0 and point not in ("sun", "moon")
    return Position(
        point=point,
        longitude=longitude % 360.0,
        latitude=latitude,
        speed=speed,
        retrograde=retrograde,
        sign=sign,
        degree=degree,
        minute=minute,
        house=house,
    )


def _raw_positions(day: float) -> dict[str, tuple[float, float, float]]:
    """(longitude, latitude, speed) of every point at an ephem day."""
    step = 1.0 / 24.0
    eps_now = true_obliquity(day)
    eps_before = true_obliquity(day - step)
    eps_after = true_obliquity(day + step)
    raw: dict[str, tuple[float, float, float]] = {}
    for name in PLANETS:
        if name == "mean_node":
            lon, lat = body_ecliptic(name, day)
            raw[name] = (lon, lat, mean_node_speed(day))
            continue
        lon, lat = body_ecliptic(name, day, eps_now)
        before = body_ecliptic(name, day - step, eps_before)[0]
        after = body_ecliptic(name, day + step, eps_after)[0]
        raw[name] = (lon, lat, wrap180(after - before) / (2.0 * step))
    return raw


def planet_positions(utc: datetime) -> dict[str, Position]:
    """Positions of the Sun, Moon, Mercury..Pluto and the mean node at a moment (no houses)."""
    raw = _raw_positions(to_ephem_day(_as_utc(utc)))
    return {name: make_position(name, lon, lat, speed, None) for name, (lon, lat, speed) in raw.items()}


def compute_chart(
    utc: datetime,
    lat: float,
    lon: float,
    *,
    house_system: str = "placidus",
    with_houses: bool = True,
) -> Chart:
    """Chart for a UTC moment at a place (east longitude positive); with_houses=False for an unknown time."""
    if house_system not in HOUSE_SYSTEMS:
        raise ValueError(f"unknown house system {house_system!r}; expected one of {', '.join(HOUSE_SYSTEMS)}")
    if not -90.0 <= lat <= 90.0 or not -180.0 <= lon <= 180.0:
        raise ValueError(f"coordinates out of range: lat={lat}, lon={lon}")
    moment = _as_utc(utc)
    day = to_ephem_day(moment)
    raw = _raw_positions(day)
    longitudes = {name: value[0] for name, value in raw.items()}
    speeds = {name: value[2] for name, value in raw.items()}

    if not with_houses:
        points = {name: make_position(name, *raw[name], None) for name in PLANETS}
        return Chart(
            utc=moment,
            lat=lat,
            lon=lon,
            house_system=None,
            requested_house_system=house_system,
            polar_fallback=False,
            has_houses=False,
            asc=None,
            mc=None,
            houses=(),
            points=points,
            aspects=find_aspects(longitudes, speeds, PLANETS),
            true_node=true_node_position(day),
        )

    ramc = (apparent_sidereal_time(day) + lon) % 360.0
    houses = compute_houses(ramc, true_obliquity(day), lat, house_system)
    points = {name: make_position(name, *raw[name], house_of(raw[name][0], houses.cusps)) for name in PLANETS}
    return Chart(
        utc=moment,
        lat=lat,
        lon=lon,
        house_system=houses.system,
        requested_house_system=house_system,
        polar_fallback=houses.polar_fallback,
        has_houses=True,
        asc=houses.asc,
        mc=houses.mc,
        houses=houses.cusps,
        points=points,
        aspects=find_aspects(longitudes, speeds, PLANETS),
        true_node=true_node_position(day, houses.cusps),
    )
