"""The daily horoscope of a sign, written from the computed sky with the curated phrase banks.

Every sentence is chosen by a fact: the Moon's house counted from the sign (whole-sign solar houses), the
angle between the Moon's sign and the sign, the Moon's phase, exact aspects, ingresses, stations and
retrograde planets of the day. Among the phrasings for one fact the day's number picks one, so two days
in a row never read the same and regenerating gives the same text.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from horoscopes.astro.constants import SIGNS
from horoscopes.astro.sky import ExactAspect, SkyOfDay
from horoscopes.writer import bank_en, bank_ru
from horoscopes.writer.grammar import (
    FEMININE_RU,
    ORDINAL,
    SIGN_INTO,
    aspect_name,
    capital,
    part_of_day,
    point_genitive,
    point_name,
    sign_in,
)

BANKS: dict[str, ModuleType] = {"ru": bank_ru, "en": bank_en}
SECTIONS = ("overview", "love", "work", "health", "money", "tip")
# Signs apart (Moon's sign minus the sign) -> how the Moon's sign gets on with the sign.
TONE_BY_DISTANCE = {
    0: "same",
    1: "neutral",
    2: "harmony",
    3: "tension",
    4: "harmony",
    5: "neutral",
    6: "tension",
    7: "neutral",
    8: "harmony",
    9: "tension",
    10: "harmony",
    11: "neutral",
}
ASPECT_NATURE = {"conjunction": "conj", "sextile": "soft", "trine": "soft", "square": "hard", "opposition": "hard"}
# Which planets make an aspect of the day matter for a section: first every section takes an aspect of its
# main planet, then sections still without one take an aspect of a secondary planet; each aspect once.
SECTION_PLANETS = {
    "love": (frozenset({"venus"}), frozenset({"mars"})),
    "work": (frozenset({"mercury"}), frozenset({"saturn"})),
    "money": (frozenset({"jupiter"}), frozenset({"venus", "saturn"})),
    "health": (frozenset({"mars"}), frozenset({"sun", "saturn", "moon"})),
}
OUTER_PLANETS = frozenset({"uranus", "neptune", "pluto"})
SECTION_RETROGRADE = {"mercury": "work", "saturn": "work", "venus": "love", "mars": "health", "jupiter": "money"}
# Retrograde for months: mentioned only when a section has nothing else to say, or it would repeat all season.
SLOW_RETROGRADES = frozenset({"jupiter", "saturn"})
PHASE_GROUP = {
    "new_moon": "new",
    "waxing_crescent": "waxing",
    "first_quarter": "waxing",
    "waxing_gibbous": "waxing",
    "full_moon": "full",
    "waning_gibbous": "waning",
    "last_quarter": "waning",
    "waning_crescent": "waning",
}
INGRESS_PLANETS = ("sun", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")


def house_from(sign: str, other: str) -> int:
    """The whole-sign house (1-12) that `other` occupies counted from `sign`."""
    return (SIGNS.index(other) - SIGNS.index(sign)) % 12 + 1


def moon_tone(sign: str, moon_sign: str) -> str:
    """same, harmony, tension or neutral: how the Moon's sign today relates to the sign."""
    return TONE_BY_DISTANCE[(SIGNS.index(moon_sign) - SIGNS.index(sign)) % 12]


@dataclass(frozen=True)
class Picker:
    """Chooses among phrasings: the day's number rotates them, the seed spreads signs and sections apart."""

    ordinal: int
    seed: str

    def __call__(self, options: Sequence[str], key: str) -> str:
        offset = zlib.crc32(f"{self.seed}:{key}".encode())
        return options[(self.ordinal + offset) % len(options)]


def planet_subject(point: str, lang: str) -> str:
    """A planet as the subject of a sentence: "Солнце", "The Sun", "Mercury"."""
    name = point_name(point, lang)
    if lang == "en" and point in ("sun", "moon"):
        return f"The {name}"
    return name


def aspect_sentence(aspect: ExactAspect, effect: str, lang: str) -> str:
    """'Трин Меркурия и Сатурна помогает ...' / 'The Mercury–Saturn trine helps ...'."""
    kind = aspect_name(aspect.kind, lang)
    if lang == "ru":
        return f"{capital(kind)} {point_genitive(aspect.a, lang)} и {point_genitive(aspect.b, lang)} {effect}."
    return f"The {point_name(aspect.a, lang)}–{point_name(aspect.b, lang)} {kind} {effect}."


def _event_sentence(sign: str, sky: SkyOfDay, lang: str) -> str | None:
    """The day's notable event, if any: a station, then an ingress, then the Moon changing sign."""
    bank = BANKS[lang]
    if sky.stations:
        station = sky.stations[0]
        gender = "f" if station.point in FEMININE_RU else "m"
        return bank.STATION[station.kind].format(
            planet=planet_subject(station.point, lang), becomes=bank.BECOMES[(station.kind, gender)]
        )
    for ingress in sky.ingresses:
        if ingress.point in INGRESS_PLANETS:
            house = house_from(sign, ingress.sign)
            template = bank.INGRESS_SAME if house == house_from(sign, sky.moon_sign) else bank.INGRESS
            return template.format(
                planet=planet_subject(ingress.point, lang),
                sign_into=SIGN_INTO[ingress.sign][lang],
                ordinal=ORDINAL[house][lang],
                topic=bank.HOUSE_TOPIC[house],
            )
    change = sky.moon_sign_change
    # Before noon the change is already behind the noon position the day is described by.
    if change is not None and change.local.hour >= 12:
        return bank.MOON_CHANGE.format(
            when=capital(part_of_day(change.local.hour, lang)),
            sign_into=SIGN_INTO[change.sign][lang],
            theme=bank.HOUSE_FOCUS[house_from(sign, change.sign)],
        )
    return None


def _aspects_by_section(aspects: Sequence[ExactAspect]) -> dict[str, ExactAspect]:
    """The day's exact aspect each section speaks about, if any: main planets first, each aspect once."""
    chosen: dict[str, ExactAspect] = {}
    used: set[int] = set()
    for level in (0, 1):
        for section, planets in SECTION_PLANETS.items():
            if section in chosen:
                continue
            for index, aspect in enumerate(aspects):
                pair = {aspect.a, aspect.b}
                # The generic phrases fit an outer planet only beside the section's main planet
                # (Venus-Neptune in love reads right; the Moon-Neptune in health would not).
                if level == 1 and pair & OUTER_PLANETS:
                    continue
                if index not in used and pair & planets[level]:
                    chosen[section] = aspect
                    used.add(index)
                    break
    return chosen


def write_daily(sign: str, sky: SkyOfDay, lang: str) -> dict[str, str]:
    """The six sections (overview, love, work, health, money, tip) as Telegram-safe text."""
    if sign not in SIGNS:
        raise ValueError(f"unknown sign {sign!r}")
    bank = BANKS[lang]
    pick = Picker(sky.date.toordinal(), f"{sign}:{lang}")
    moon_house = house_from(sign, sky.moon_sign)
    tone = moon_tone(sign, sky.moon_sign)

    overview = [pick(bank.MOON_HOUSE[moon_house], "moon_house").format(moon_in=sign_in(sky.moon_sign, lang))]
    event = _event_sentence(sign, sky, lang)
    exact_phase = sky.lunar_event is not None
    if event and not exact_phase:
        overview.append(event)
    else:
        overview.append(pick(bank.PHASE[sky.moon_phase], "phase"))

    aspects = _aspects_by_section(sky.aspects)
    sections: dict[str, list[str]] = {}
    for section in ("love", "work", "money", "health"):
        sentences = [pick(bank.TONE[section][tone], f"tone:{section}")]
        aspect = aspects.get(section)
        if aspect is not None:
            effect = pick(bank.ASPECT_EFFECT[section][ASPECT_NATURE[aspect.kind]], f"aspect:{section}")
            sentences.append(aspect_sentence(aspect, effect, lang))
        elif moon_house in bank.FOCUS[section]:
            sentences.append(pick(bank.FOCUS[section][moon_house], f"focus:{section}"))
        for planet in sky.retrograde:
            if SECTION_RETROGRADE.get(planet) != section or len(sentences) >= 3:
                continue
            if planet in SLOW_RETROGRADES and len(sentences) > 1:
                continue
            sentences.append(pick(bank.RETROGRADE[planet], f"retro:{planet}"))
            break
        if section == "health" and len(sentences) < 2:
            sentences.append(pick(bank.PHASE_HEALTH[PHASE_GROUP[sky.moon_phase]], "phase_health"))
        sections[section] = sentences

    texts = {
        "overview": " ".join(overview),
        **{name: " ".join(sentences) for name, sentences in sections.items()},
        "tip": pick(bank.TIP[moon_house], "tip"),
    }
    return {name: html.escape(texts[name], quote=False) for name in SECTIONS}
