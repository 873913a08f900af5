"""Transits of a local day to a natal chart, ranked by importance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .aspects import TRANSIT_ORBS, closest_aspect, is_applying
from .chart import Chart, planet_positions
from .constants import ANGLES, ASPECTS, PLANETS
from .ephemeris import body_longitude, wrap180
from .sky import day_grid, find_crossings, stamp

# Slow transiting planets mark longer, weightier periods; the Moon's transits last hours.
TRANSITING_WEIGHT: dict[str, float] = {
    "pluto": 10.0,
    "neptune": 9.0,
    "uranus": 8.0,
    "saturn": 7.0,
    "jupiter": 6.0,
    "mars": 5.0,
    "sun": 4.0,
    "venus": 3.5,
    "mercury": 3.0,
    "mean_node": 2.0,
    "moon": 1.0,
}
# Personal points (luminaries and angles) first.
NATAL_WEIGHT: dict[str, float] = {
    "sun": 3.0,
    "moon": 3.0,
    "asc": 3.0,
    "mc": 2.5,
    "mercury": 2.0,
    "venus": 2.0,
    "mars": 2.0,
    "jupiter": 1.5,
    "saturn": 1.5,
    "uranus": 1.0,
    "neptune": 1.0,
    "pluto": 1.0,
    "mean_node": 1.0,
}
KIND_WEIGHT: dict[str, float] = {
    "conjunction": 1.0,
    "opposition": 0.9,
    "square": 0.9,
    "trine": 0.75,
    "sextile": 0.6,
}
_TARGET_ORDER: tuple[str, ...] = (*PLANETS, *ANGLES)


@dataclass(frozen=True)
class Transit:
    """A transiting point in aspect to a natal point on a local day (orb and motion at local noon)."""

    transiting: str
    natal: str
    kind: str
    orb: float
    applying: bool
    exact_utc: datetime | None
    exact_local: datetime | None
    sign: str
    retrograde: bool
    house: int | None
    score: float


def _natal_targets(natal: Chart) -> dict[str, float]:
    """Natal longitudes aspected by transits: every point, plus Asc and MC when the chart has houses."""
    targets = {name: position.longitude for name, position in natal.points.items()}
    if natal.has_houses and natal.asc is not None and natal.mc is not None:
        targets["asc"] = natal.asc
        targets["mc"] = natal.mc
    return targets


def _score(transiting: str, target: str, kind: str, orb: float, limit: float, exact_today: bool) -> float:
    """Importance: slow transiting planets, personal natal points, hard aspects and tight orbs rank first."""
    tightness = 1.0 if exact_today else max(0.0, 1.0 - orb / limit)
    value = TRANSITING_WEIGHT[transiting] * NATAL_WEIGHT[target] * KIND_WEIGHT[kind] * (0.4 + 0.6 * tightness)
    return round(value, 4)


def transits(natal: Chart, local_date: date, tz: str) -> tuple[Transit, ...]:
    """Transits of the local day to a natal chart, most important first (deterministic order)."""
    zone = ZoneInfo(tz)
    grid = day_grid(local_date, tz)
    noon_utc = datetime.combine(local_date, time(12), tzinfo=zone).astimezone(ZoneInfo("UTC"))
    now = planet_positions(noon_utc)
    targets = _natal_targets(natal)
    found: list[Transit] = []
    for transiting in PLANETS:
        position = now[transiting]
        limit = TRANSIT_ORBS[transiting]
        samples = grid.longitudes[transiting]
        for target in _TARGET_ORDER:
            if target not in targets:
                continue
            natal_lon = targets[target]
            kind, _, orb = closest_aspect(natal_lon, position.longitude)
            exact = _exact_moment(grid.days, samples, transiting, natal_lon, kind, grid.start, grid.end)
            if orb > limit and exact is None:
                continue
            exact_utc = exact_local = None
            if exact is not None:
                exact_utc, exact_local = stamp(exact, zone)
            found.append(
                Transit(
                    transiting=transiting,
                    natal=target,
                    kind=kind,
                    orb=orb,
                    applying=is_applying(natal_lon, 0.0, position.longitude, position.speed, kind),
                    exact_utc=exact_utc,
                    exact_local=exact_local,
                    sign=position.sign,
                    retrograde=position.retrograde,
                    house=natal.house_of(position.longitude),
                    score=_score(transiting, target, kind, orb, limit, exact is not None),
                )
            )
    kinds = tuple(ASPECTS)
    found.sort(
        key=lambda t: (
            -t.score,
            t.orb,
            PLANETS.index(t.transiting),
            _TARGET_ORDER.index(t.natal),
            kinds.index(t.kind),
        )
    )
    return tuple(found)


def _exact_moment(
    days: tuple[float, ...],
    samples: tuple[float, ...],
    transiting: str,
    natal_lon: float,
    kind: str,
    start: float,
    end: float,
) -> float | None:
    """When the transiting point makes the aspect exact within the day, if it does (an ephem day)."""
    angle = ASPECTS[kind]
    for target in (angle,) if angle in (0.0, 180.0) else (angle, -angle):
        values = [wrap180(lon - natal_lon - target) for lon in samples]
        if min(abs(v) for v in values) > 20.0:
            continue

        def fn(day: float, target: float = target) -> float:
            return wrap180(body_longitude(transiting, day) - natal_lon - target)

        roots = find_crossings(days, values, fn, start, end)
        if roots:
            return roots[0]
    return None
