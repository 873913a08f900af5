"""Major aspects with orbs that depend on the points involved.

Orb table (degrees) for natal charts; a pair uses the wider orb of its two points:

| point                          | conjunction, opposition, square, trine | sextile |
|--------------------------------|----------------------------------------|---------|
| Sun, Moon                      | 10 (square, trine 8)                   | 6       |
| Mercury, Venus, Mars           | 7                                      | 5       |
| Jupiter, Saturn                | 6                                      | 4       |
| Uranus, Neptune, Pluto         | 5                                      | 3       |
| mean node                      | 3                                      | 2       |
| Ascendant, MC                  | 5                                      | 3       |

Transits to a natal chart use tighter orbs (TRANSIT_ORBS), a single number per transiting point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .constants import ASPECTS
from .ephemeris import wrap180


@dataclass(frozen=True)
class Aspect:
    """An aspect between two points: `angle` is their actual separation, `orb` its distance from exact."""

    a: str
    b: str
    kind: str
    angle: float
    orb: float
    applying: bool


_CATEGORY: dict[str, str] = {
    "sun": "luminary",
    "moon": "luminary",
    "mercury": "personal",
    "venus": "personal",
    "mars": "personal",
    "jupiter": "social",
    "saturn": "social",
    "uranus": "outer",
    "neptune": "outer",
    "pluto": "outer",
    "mean_node": "node",
    "asc": "angle",
    "mc": "angle",
}

NATAL_ORBS: dict[str, dict[str, float]] = {
    "luminary": {"conjunction": 10.0, "opposition": 10.0, "square": 8.0, "trine": 8.0, "sextile": 6.0},
    "personal": {"conjunction": 7.0, "opposition": 7.0, "square": 7.0, "trine": 7.0, "sextile": 5.0},
    "social": {"conjunction": 6.0, "opposition": 6.0, "square": 6.0, "trine": 6.0, "sextile": 4.0},
    "outer": {"conjunction": 5.0, "opposition": 5.0, "square": 5.0, "trine": 5.0, "sextile": 3.0},
    "node": {"conjunction": 3.0, "opposition": 3.0, "square": 3.0, "trine": 3.0, "sextile": 2.0},
    "angle": {"conjunction": 5.0, "opposition": 5.0, "square": 5.0, "trine": 5.0, "sextile": 3.0},
}

# A transit "counts" for a day within these orbs of the transiting point; the Moon's covers its daily motion.
TRANSIT_ORBS: dict[str, float] = {
    "sun": 2.0,
    "moon": 6.0,
    "mercury": 2.0,
    "venus": 2.0,
    "mars": 2.0,
    "jupiter": 2.0,
    "saturn": 2.0,
    "uranus": 1.5,
    "neptune": 1.5,
    "pluto": 1.5,
    "mean_node": 1.0,
}


def natal_orb(a: str, b: str, kind: str) -> float:
    """Allowed orb for an aspect between two points: the wider of their two orbs."""
    return max(NATAL_ORBS[_CATEGORY[a]][kind], NATAL_ORBS[_CATEGORY[b]][kind])


def separation(lon_a: float, lon_b: float) -> float:
    """Shortest angular distance between two longitudes, 0..180."""
    return abs(wrap180(lon_b - lon_a))


def closest_aspect(lon_a: float, lon_b: float) -> tuple[str, float, float]:
    """The major aspect nearest to a pair's separation: (kind, separation, orb)."""
    sep = separation(lon_a, lon_b)
    kind = min(ASPECTS, key=lambda k: abs(sep - ASPECTS[k]))
    return kind, sep, abs(sep - ASPECTS[kind])


def is_applying(lon_a: float, speed_a: float, lon_b: float, speed_b: float, kind: str) -> bool:
    """True while the separation is moving towards the exact aspect angle."""
    delta = wrap180(lon_b - lon_a)
    sep = abs(delta)
    # d(sep)/dt: the separation grows when b runs ahead of a in the direction a->b.
    sep_rate = (speed_b - speed_a) * (1.0 if delta >= 0 else -1.0)
    offset = sep - ASPECTS[kind]
    if offset == 0.0:
        return False
    return offset * sep_rate < 0.0


def find_aspects(
    longitudes: Mapping[str, float],
    speeds: Mapping[str, float],
    names: Iterable[str],
) -> tuple[Aspect, ...]:
    """All major aspects within natal orbs between the given points, in the order of `names`."""
    keys = [name for name in names if name in longitudes]
    found: list[Aspect] = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if {a, b} == {"asc", "mc"}:
                continue
            kind, sep, orb = closest_aspect(longitudes[a], longitudes[b])
            if orb > natal_orb(a, b, kind):
                continue
            applying = is_applying(longitudes[a], speeds.get(a, 0.0), longitudes[b], speeds.get(b, 0.0), kind)
            found.append(Aspect(a=a, b=b, kind=kind, angle=sep, orb=orb, applying=applying))
    return tuple(found)
