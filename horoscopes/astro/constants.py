"""Keys shared by the whole sky engine: points, signs, house systems, aspects, phases."""

from __future__ import annotations

PLANETS: tuple[str, ...] = (
    "sun",
    "moon",
    "mercury",
    "venus",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
    "pluto",
    "mean_node",
)

# The node every reading, aspect and transit uses is the mean node: it moves steadily backwards
# (about 19.3 degrees a year), so it enters a sign once and makes each transit once. The true
# (osculating) node swings up to about 1.7 degrees around it every two weeks, turns direct and back
# several times a month and would make one transit into several; charts show it beside the mean one.
NODE_DEFAULT = "mean_node"

# Bodies that can turn retrograde (the mean node always moves backwards, so it never "stations").
STATIONING: tuple[str, ...] = ("mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")

ANGLES: tuple[str, ...] = ("asc", "mc")

SIGNS: tuple[str, ...] = (
    "aries",
    "taurus",
    "gemini",
    "cancer",
    "leo",
    "virgo",
    "libra",
    "scorpio",
    "sagittarius",
    "capricorn",
    "aquarius",
    "pisces",
)

ELEMENTS: tuple[str, ...] = ("fire", "earth", "air", "water")
SIGN_ELEMENT: dict[str, str] = {sign: ELEMENTS[i % 4] for i, sign in enumerate(SIGNS)}

MODALITIES: tuple[str, ...] = ("cardinal", "fixed", "mutable")
SIGN_MODALITY: dict[str, str] = {sign: MODALITIES[i % 3] for i, sign in enumerate(SIGNS)}

HOUSE_SYSTEMS: tuple[str, ...] = ("placidus", "koch", "whole_sign", "equal", "porphyry")
# Systems defined by semi-arcs: they do not exist where part of the ecliptic never rises or sets.
QUADRANT_SEMI_ARC_SYSTEMS: frozenset[str] = frozenset({"placidus", "koch"})
POLAR_FALLBACK_SYSTEM = "porphyry"

ASPECTS: dict[str, float] = {
    "conjunction": 0.0,
    "sextile": 60.0,
    "square": 90.0,
    "trine": 120.0,
    "opposition": 180.0,
}

MOON_PHASES: tuple[str, ...] = (
    "new_moon",
    "waxing_crescent",
    "first_quarter",
    "waxing_gibbous",
    "full_moon",
    "waning_gibbous",
    "last_quarter",
    "waning_crescent",
)

# Sun-Moon elongation (degrees) at which each exact lunar event happens.
LUNAR_EVENTS: dict[str, float] = {
    "new_moon": 0.0,
    "first_quarter": 90.0,
    "full_moon": 180.0,
    "last_quarter": 270.0,
}

PLANET_GLYPHS: dict[str, str] = {
    "sun": "\u2609",
    "moon": "\u263d",
    "mercury": "\u263f",
    "venus": "\u2640",
    "mars": "\u2642",
    "jupiter": "\u2643",
    "saturn": "\u2644",
    "uranus": "\u2645",
    "neptune": "\u2646",
    "pluto": "\u2647",
    "mean_node": "\u260a",
    "true_node": "\u260a",
    "south_node": "\u260b",
    "asc": "Asc",
    "mc": "MC",
}

SIGN_GLYPHS: dict[str, str] = {sign: chr(0x2648 + i) for i, sign in enumerate(SIGNS)}

ASPECT_GLYPHS: dict[str, str] = {
    "conjunction": "\u260c",
    "sextile": "\u26b9",
    "square": "\u25a1",
    "trine": "\u25b3",
    "opposition": "\u260d",
}

RETROGRADE_GLYPH = "\u211e"


def sign_of(longitude: float) -> str:
    """Zodiac sign key of an ecliptic longitude in degrees."""
    return SIGNS[int((longitude % 360.0) // 30.0) % 12]


def split_longitude(longitude: float) -> tuple[str, int, int, int]:
    """Sign, whole degrees, minutes and seconds within the sign (truncated, never rounded up a sign)."""
    total_seconds = int((longitude % 360.0) * 3600.0)
    # A float like 29.99999999 must stay in the earlier sign, so truncate instead of rounding.
    sign_index, rest = divmod(total_seconds, 30 * 3600)
    degree, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    return SIGNS[sign_index % 12], degree, minute, second


def format_longitude(longitude: float, *, seconds: bool = False) -> str:
    """Longitude as 24°20' (or 24°20'09") within its sign, without the sign name."""
    _, degree, minute, second = split_longitude(longitude)
    if seconds:
        return f"{degree}°{minute:02d}'{second:02d}\""
    return f"{degree}°{minute:02d}'"
