"""The sky of one local day: Moon sign and phase, lunar events, ingresses, stations and exact aspects.

Positions are sampled hourly over the local day; an event is searched for (bracketed root finding on the
real ephemeris) only between two samples where something changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from .chart import Position, planet_positions
from .constants import ASPECTS, LUNAR_EVENTS, PLANETS, STATIONING, sign_of
from .ephemeris import (
    BODIES,
    body_longitude,
    body_speed,
    from_ephem_day,
    longitudes_at,
    moon_illumination,
    to_ephem_day,
    wrap180,
)
from .roots import solve_bracketed

_SAMPLE_HOURS = 1.0
_TIME_TOLERANCE_DAYS = 0.2 / 86400.0
_ANGLE_TOLERANCE = 1e-7
# Signed target angles of b minus a for every major aspect (sextile, square and trine occur both ways).
_SIGNED_ASPECTS: tuple[tuple[str, float], ...] = tuple(
    (kind, signed)
    for kind, angle in ASPECTS.items()
    for signed in ((angle,) if angle in (0.0, 180.0) else (angle, -angle))
)
ASPECT_BODIES: tuple[str, ...] = BODIES
_OFFSET_NAME = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


def offset_zone_name(minutes: int) -> str:
    """The name of a fixed UTC offset as the sky functions take it: 'UTC+10:00', 'UTC-05:00', 'UTC+05:30'."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_of(tz: str) -> tzinfo:
    """An IANA zone, or a fixed offset named by offset_zone_name; ValueError or ZoneInfoNotFoundError otherwise."""
    match = _OFFSET_NAME.match(tz)
    if match is None:
        return ZoneInfo(tz)
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    if offset > timedelta(hours=14):
        raise ValueError(f"offset out of range: {tz!r}")
    return timezone(-offset if sign == "-" else offset)


@dataclass(frozen=True)
class Ingress:
    """A point entering a sign (moving backwards when `retrograde`)."""

    point: str
    sign: str
    previous_sign: str
    retrograde: bool
    utc: datetime
    local: datetime


@dataclass(frozen=True)
class LunarEvent:
    """An exact new moon, first quarter, full moon or last quarter."""

    kind: str
    sign: str
    utc: datetime
    local: datetime


@dataclass(frozen=True)
class Station:
    """A planet standing still in longitude: kind is "retrograde" (turning back) or "direct"."""

    point: str
    kind: str
    sign: str
    longitude: float
    utc: datetime
    local: datetime


@dataclass(frozen=True)
class ExactAspect:
    """Two planets reaching an exact major aspect."""

    a: str
    b: str
    kind: str
    utc: datetime
    local: datetime


@dataclass(frozen=True)
class SkyOfDay:
    """Facts about the sky over one local calendar day in one time zone (positions at local noon)."""

    date: date
    tz: str
    moon_sign: str
    moon_sign_change: Ingress | None
    moon_phase: str
    illumination: float
    lunar_event: LunarEvent | None
    ingresses: tuple[Ingress, ...]
    stations: tuple[Station, ...]
    aspects: tuple[ExactAspect, ...]
    retrograde: tuple[str, ...]
    positions: tuple[Position, ...]

    def position(self, point: str) -> Position:
        """Noon position of one point."""
        for item in self.positions:
            if item.point == point:
                return item
        raise KeyError(point)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready facts (times as ISO strings in local time), e.g. to ground an LLM prompt."""

        def when(item: Any) -> str:
            return item.local.isoformat(timespec="minutes")

        change = self.moon_sign_change
        event = self.lunar_event
        return {
            "date": self.date.isoformat(),
            "tz": self.tz,
            "moon_sign": self.moon_sign,
            "moon_sign_change": None
            if change is None
            else {"from": change.previous_sign, "to": change.sign, "time": when(change)},
            "moon_phase": self.moon_phase,
            "illumination": round(self.illumination, 3),
            "lunar_event": None if event is None else {"kind": event.kind, "sign": event.sign, "time": when(event)},
            "ingresses": [
                {"point": x.point, "sign": x.sign, "retrograde": x.retrograde, "time": when(x)} for x in self.ingresses
            ],
            "stations": [{"point": x.point, "kind": x.kind, "sign": x.sign, "time": when(x)} for x in self.stations],
            "aspects": [{"a": x.a, "b": x.b, "kind": x.kind, "time": when(x)} for x in self.aspects],
            "retrograde": list(self.retrograde),
            "positions": {
                p.point: {"sign": p.sign, "degree": p.degree, "minute": p.minute, "retrograde": p.retrograde}
                for p in self.positions
            },
        }


@dataclass(frozen=True)
class DayGrid:
    """Hourly longitudes of every point over one local day."""

    start: float
    end: float
    days: tuple[float, ...]
    longitudes: dict[str, tuple[float, ...]]
    zone: tzinfo


def local_day_bounds(local_date: date, tz: str) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a local calendar day."""
    zone = zone_of(tz)
    start = datetime.combine(local_date, time(0), tzinfo=zone)
    end = datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


@lru_cache(maxsize=256)
def day_grid(local_date: date, tz: str) -> DayGrid:
    """Longitudes of all points sampled about hourly across a local day (memoised)."""
    start_utc, end_utc = local_day_bounds(local_date, tz)
    start, end = to_ephem_day(start_utc), to_ephem_day(end_utc)
    steps = max(1, math.ceil((end - start) * 24.0 / _SAMPLE_HOURS - 1e-9))
    days = tuple(start + (end - start) * i / steps for i in range(steps + 1))
    samples = [longitudes_at(day, PLANETS) for day in days]
    longitudes = {name: tuple(sample[name] for sample in samples) for name in PLANETS}
    return DayGrid(start=start, end=end, days=days, longitudes=longitudes, zone=zone_of(tz))


def find_crossings(
    days: tuple[float, ...],
    values: list[float],
    fn: Callable[[float], float],
    start: float,
    end: float,
) -> list[float]:
    """Moments in [start, end) where a continuous angle-like function (sampled as `values`) crosses zero."""
    roots: list[float] = []
    for i in range(len(days) - 1):
        f0, f1 = values[i], values[i + 1]
        # A jump between +180 and -180 is a wrap-around, not a crossing.
        if abs(f0) > 90.0 or abs(f1) > 90.0:
            continue
        if (f0 < 0.0 <= f1) or (f0 > 0.0 >= f1):
            root = solve_bracketed(
                fn, days[i], days[i + 1], f_lo=f0, f_hi=f1, xtol=_TIME_TOLERANCE_DAYS, ftol=_ANGLE_TOLERANCE
            )
            if start <= root < end:
                roots.append(root)
    return roots


def stamp(day: float, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC and local datetimes of an ephem day, rounded to the second."""
    utc = from_ephem_day(day)
    utc = (utc + timedelta(microseconds=500_000)).replace(microsecond=0)
    return utc, utc.astimezone(zone)


def _ingresses(grid: DayGrid, name: str) -> list[Ingress]:
    """Sign changes of one point during the day."""
    lons = grid.longitudes[name]
    found: list[Ingress] = []
    for i in range(len(lons) - 1):
        a, b = lons[i], lons[i + 1]
        if sign_of(a) == sign_of(b):
            continue
        forward = wrap180(b - a) > 0.0
        boundary = 30.0 * math.floor((b if forward else a) % 360.0 / 30.0)

        def fn(day: float, boundary: float = boundary) -> float:
            return wrap180(body_longitude(name, day) - boundary)

        root = solve_bracketed(
            fn,
            grid.days[i],
            grid.days[i + 1],
            f_lo=wrap180(a - boundary),
            f_hi=wrap180(b - boundary),
            xtol=_TIME_TOLERANCE_DAYS,
            ftol=_ANGLE_TOLERANCE,
        )
        utc, local = stamp(root, grid.zone)
        found.append(
            Ingress(
                point=name,
                sign=sign_of(b),
                previous_sign=sign_of(a),
                retrograde=not forward,
                utc=utc,
                local=local,
            )
        )
    return found


def _lunar_events(grid: DayGrid) -> list[LunarEvent]:
    """Exact Sun-Moon phase angles (0, 90, 180, 270) during the day."""
    elongation = [m - s for m, s in zip(grid.longitudes["moon"], grid.longitudes["sun"], strict=True)]
    found: list[LunarEvent] = []
    for kind, angle in LUNAR_EVENTS.items():

        def fn(day: float, angle: float = angle) -> float:
            return wrap180(body_longitude("moon", day) - body_longitude("sun", day) - angle)

        values = [wrap180(e - angle) for e in elongation]
        for root in find_crossings(grid.days, values, fn, grid.start, grid.end):
            utc, local = stamp(root, grid.zone)
            found.append(LunarEvent(kind=kind, sign=sign_of(body_longitude("moon", root)), utc=utc, local=local))
    return found


def _stations(grid: DayGrid, name: str) -> list[Station]:
    """A planet turning retrograde or direct during the day."""
    speed_start = body_speed(name, grid.start)
    speed_end = body_speed(name, grid.end)
    if (speed_start < 0.0) == (speed_end < 0.0):
        return []
    root = solve_bracketed(
        lambda day: body_speed(name, day),
        grid.start,
        grid.end,
        f_lo=speed_start,
        f_hi=speed_end,
        xtol=_TIME_TOLERANCE_DAYS,
        ftol=1e-9,
    )
    if not grid.start <= root < grid.end:
        return []
    longitude = body_longitude(name, root)
    utc, local = stamp(root, grid.zone)
    kind = "retrograde" if speed_start > 0.0 else "direct"
    return [Station(point=name, kind=kind, sign=sign_of(longitude), longitude=longitude, utc=utc, local=local)]


def _exact_aspects(grid: DayGrid) -> list[ExactAspect]:
    """Moments when two planets (Sun..Pluto) form an exact major aspect."""
    found: list[ExactAspect] = []
    for i, a in enumerate(ASPECT_BODIES):
        for b in ASPECT_BODIES[i + 1 :]:
            diffs = [lb - la for la, lb in zip(grid.longitudes[a], grid.longitudes[b], strict=True)]
            for kind, target in _SIGNED_ASPECTS:
                values = [wrap180(d - target) for d in diffs]
                if min(abs(v) for v in values) > 30.0:
                    continue

                def fn(day: float, a: str = a, b: str = b, target: float = target) -> float:
                    return wrap180(body_longitude(b, day) - body_longitude(a, day) - target)

                for root in find_crossings(grid.days, values, fn, grid.start, grid.end):
                    utc, local = stamp(root, grid.zone)
                    found.append(ExactAspect(a=a, b=b, kind=kind, utc=utc, local=local))
    return found


def phase_name(elongation: float) -> str:
    """Phase name from the Moon's elongation east of the Sun (degrees), for a day with no exact event."""
    e = elongation % 360.0
    if e < 90.0:
        return "waxing_crescent"
    if e < 180.0:
        return "waxing_gibbous"
    if e < 270.0:
        return "waning_gibbous"
    return "waning_crescent"


@lru_cache(maxsize=256)
def sky_of_day(local_date: date, tz: str) -> SkyOfDay:
    """The sky of a local calendar day in an IANA time zone or a fixed offset (memoised per date and zone)."""
    grid = day_grid(local_date, tz)
    zone = grid.zone
    noon_utc = datetime.combine(local_date, time(12), tzinfo=zone).astimezone(ZoneInfo("UTC"))
    noon = planet_positions(noon_utc)

    moon_changes = _ingresses(grid, "moon")
    ingresses = sorted(
        (x for name in PLANETS if name != "moon" for x in _ingresses(grid, name)),
        key=lambda x: (x.utc, PLANETS.index(x.point)),
    )
    stations = sorted(
        (x for name in STATIONING for x in _stations(grid, name)),
        key=lambda x: (x.utc, PLANETS.index(x.point)),
    )
    aspects = sorted(
        _exact_aspects(grid),
        key=lambda x: (x.utc, PLANETS.index(x.a), PLANETS.index(x.b), tuple(ASPECTS).index(x.kind)),
    )
    events = _lunar_events(grid)
    lunar_event = events[0] if events else None
    elongation = noon["moon"].longitude - noon["sun"].longitude
    phase = lunar_event.kind if lunar_event else phase_name(elongation)
    return SkyOfDay(
        date=local_date,
        tz=tz,
        moon_sign=noon["moon"].sign,
        moon_sign_change=moon_changes[0] if moon_changes else None,
        moon_phase=phase,
        illumination=moon_illumination(to_ephem_day(noon_utc)),
        lunar_event=lunar_event,
        ingresses=tuple(ingresses),
        stations=tuple(stations),
        aspects=tuple(aspects),
        retrograde=tuple(name for name in STATIONING if noon[name].retrograde),
        positions=tuple(noon[name] for name in PLANETS),
    )


def signs_during(start_utc: datetime, end_utc: datetime) -> dict[str, tuple[str, ...]]:
    """Every point whose sign changes between two instants: its signs in order (sampled every three hours).

    For an unknown birth time over one local day this is at most two signs a point (the Moon moves about 15°).
    """
    start, end = to_ephem_day(start_utc), to_ephem_day(end_utc)
    steps = max(1, math.ceil((end - start) * 8.0))
    samples = [longitudes_at(start + (end - start) * i / steps, PLANETS) for i in range(steps + 1)]
    changed: dict[str, tuple[str, ...]] = {}
    for name in PLANETS:
        signs: list[str] = []
        for sample in samples:
            sign = sign_of(sample[name])
            if sign not in signs:
                signs.append(sign)
        if len(signs) > 1:
            changed[name] = tuple(signs)
    return changed
