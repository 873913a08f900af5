"""Ascendant, Midheaven and house cusps from RAMC, obliquity and geographic latitude (all in degrees)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .constants import HOUSE_SYSTEMS, POLAR_FALLBACK_SYSTEM, QUADRANT_SEMI_ARC_SYSTEMS
from .ephemeris import ecliptic_to_equatorial
from .roots import solve_bracketed

_TOLERANCE = 1e-10


@dataclass(frozen=True)
class HouseResult:
    """Angles and the twelve cusps (house 1 first) in the system actually used."""

    asc: float
    mc: float
    cusps: tuple[float, ...]
    system: str
    requested_system: str
    polar_fallback: bool


def midheaven(ramc: float, eps: float) -> float:
    """Ecliptic longitude culminating on the upper meridian."""
    r, e = math.radians(ramc), math.radians(eps)
    return math.degrees(math.atan2(math.sin(r), math.cos(r) * math.cos(e))) % 360.0


def raw_ascendant(ramc: float, eps: float, lat: float) -> float:
    """Ecliptic longitude on the eastern horizon (may fall behind the MC inside the polar circle)."""
    r, e, phi = math.radians(ramc), math.radians(eps), math.radians(lat)
    y = math.cos(r)
    x = -(math.sin(r) * math.cos(e) + math.tan(phi) * math.sin(e))
    return math.degrees(math.atan2(y, x)) % 360.0


def ascendant(ramc: float, eps: float, lat: float) -> float:
    """Ascendant, kept within the half of the zodiac that follows the MC, as astrological software does."""
    asc = raw_ascendant(ramc, eps, lat)
    mc = midheaven(ramc, eps)
    # Inside the polar circle the eastern horizon point can precede the MC; houses then would run backwards,
    # so the opposite point (the descendant) is taken, the usual convention (Swiss Ephemeris does the same).
    if (asc - mc) % 360.0 > 180.0:
        asc = (asc + 180.0) % 360.0
    return asc


def is_polar(lat: float, eps: float) -> bool:
    """True where part of the ecliptic is circumpolar, so semi-arc houses (Placidus, Koch) do not exist."""
    return abs(lat) > 90.0 - eps


def diurnal_semi_arc(dec: float, lat: float) -> float:
    """Half the time (in degrees of RA) a point of declination `dec` spends above the horizon."""
    x = -math.tan(math.radians(lat)) * math.tan(math.radians(dec))
    return math.degrees(math.acos(max(-1.0, min(1.0, x))))


def placidus_cusps(ramc: float, eps: float, lat: float) -> tuple[float, ...]:
    """Placidus: cusps 11, 12, 2, 3 trisect each point's own diurnal or nocturnal semi-arc."""
    mc = midheaven(ramc, eps)
    asc = ascendant(ramc, eps, lat)
    east = (asc - mc) % 360.0  # ecliptic arc from MC to Asc

    def meridian_distance(lon: float) -> tuple[float, float]:
        ra, dec = ecliptic_to_equatorial(lon, 0.0, eps)
        return (ra - ramc) % 360.0, diurnal_semi_arc(dec, lat)

    def upper(fraction: float) -> float:
        # Point whose RA exceeds RAMC by `fraction` of its diurnal semi-arc (between MC and Asc).
        def fn(s: float) -> float:
            dist, dsa = meridian_distance(mc + s * east)
            if dist > 180.0:
                dist -= 360.0
            return dist - fraction * dsa

        return (mc + solve_bracketed(fn, 0.0, 1.0, xtol=_TOLERANCE, ftol=_TOLERANCE) * east) % 360.0

    def lower(fraction: float) -> float:
        # Point past the Asc by `fraction` of its nocturnal semi-arc (between Asc and IC).
        west = 180.0 - east

        def fn(s: float) -> float:
            dist, dsa = meridian_distance(asc + s * west)
            if dist < 1e-6:
                dist += 360.0
            return dist - dsa - fraction * (180.0 - dsa)

        return (asc + solve_bracketed(fn, 0.0, 1.0, xtol=_TOLERANCE, ftol=_TOLERANCE) * west) % 360.0

    c11, c12 = upper(1.0 / 3.0), upper(2.0 / 3.0)
    c2, c3 = lower(1.0 / 3.0), lower(2.0 / 3.0)
    return _complete(asc, c2, c3, mc, c11, c12)


def koch_cusps(ramc: float, eps: float, lat: float) -> tuple[float, ...]:
    """Koch: cusps are Ascendants at sidereal times that trisect the MC degree's diurnal semi-arc."""
    mc = midheaven(ramc, eps)
    _, mc_dec = ecliptic_to_equatorial(mc, 0.0, eps)
    third = diurnal_semi_arc(mc_dec, lat) / 3.0
    asc = ascendant(ramc, eps, lat)
    c11 = ascendant(ramc - 2.0 * third, eps, lat)
    c12 = ascendant(ramc - third, eps, lat)
    c2 = ascendant(ramc + third, eps, lat)
    c3 = ascendant(ramc + 2.0 * third, eps, lat)
    return _complete(asc, c2, c3, mc, c11, c12)


def porphyry_cusps(asc: float, mc: float) -> tuple[float, ...]:
    """Porphyry: each quadrant between the angles trisected along the ecliptic."""
    east = (asc - mc) % 360.0
    west = 180.0 - east
    c11, c12 = mc + east / 3.0, mc + 2.0 * east / 3.0
    c2, c3 = asc + west / 3.0, asc + 2.0 * west / 3.0
    return _complete(asc, c2 % 360.0, c3 % 360.0, mc, c11 % 360.0, c12 % 360.0)


def equal_cusps(asc: float) -> tuple[float, ...]:
    """Equal houses: 30° each from the Ascendant."""
    return tuple((asc + 30.0 * i) % 360.0 for i in range(12))


def whole_sign_cusps(asc: float) -> tuple[float, ...]:
    """Whole Sign houses: the rising sign is the first house."""
    start = 30.0 * math.floor((asc % 360.0) / 30.0)
    return tuple((start + 30.0 * i) % 360.0 for i in range(12))


def _complete(asc: float, c2: float, c3: float, mc: float, c11: float, c12: float) -> tuple[float, ...]:
    """Twelve cusps from the six of the eastern half, the others being opposite."""
    ic = (mc + 180.0) % 360.0
    half = (asc, c2, c3, ic)
    opposite = tuple((c + 180.0) % 360.0 for c in (asc, c2, c3))
    c5, c6 = (c11 + 180.0) % 360.0, (c12 + 180.0) % 360.0
    return (half[0], half[1], half[2], half[3], c5, c6, opposite[0], opposite[1], opposite[2], mc, c11, c12)


def compute_houses(ramc: float, eps: float, lat: float, system: str = "placidus") -> HouseResult:
    """Angles and cusps for a house system, falling back to Porphyry where Placidus or Koch are undefined."""
    if system not in HOUSE_SYSTEMS:
        raise ValueError(f"unknown house system {system!r}; expected one of {', '.join(HOUSE_SYSTEMS)}")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside -90..90")
    # At the poles tan(latitude) is infinite; a hair less gives the limiting, well-defined angles.
    lat = max(-89.9999, min(89.9999, lat))
    mc = midheaven(ramc, eps)
    asc = ascendant(ramc, eps, lat)
    used = system
    fallback = False
    if system in QUADRANT_SEMI_ARC_SYSTEMS and is_polar(lat, eps):
        used, fallback = POLAR_FALLBACK_SYSTEM, True
    if used == "placidus":
        cusps = placidus_cusps(ramc, eps, lat)
    elif used == "koch":
        cusps = koch_cusps(ramc, eps, lat)
    elif used == "porphyry":
        cusps = porphyry_cusps(asc, mc)
    elif used == "equal":
        cusps = equal_cusps(asc)
    else:
        cusps = whole_sign_cusps(asc)
    return HouseResult(asc=asc, mc=mc, cusps=cusps, system=used, requested_system=system, polar_fallback=fallback)


def house_of(longitude: float, cusps: tuple[float, ...]) -> int:
    """House number (1-12) of an ecliptic longitude for the given cusps."""
    lon = longitude % 360.0
    for i in range(12):
        start, end = cusps[i], cusps[(i + 1) % 12]
        if (lon - start) % 360.0 < (end - start) % 360.0:
            return i + 1
    # Only reachable with degenerate (zero-width) houses: the nearest preceding cusp wins.
    return min(range(12), key=lambda i: (lon - cusps[i]) % 360.0) + 1
