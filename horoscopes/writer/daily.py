"""The daily horoscope of a sign, written from the computed sky with the curated phrase banks.

Every sentence is chosen by a fact: the Moon's house counted from the sign (whole-sign solar houses), the
angle between the Moon's sign and the sign, every lunar phase, eclipse, station and ingress of the day, exact
aspects and retrograde planets. Each event is named with the house it falls in for the sign, so two signs
never share a sentence about it; phrasings are combined through `variety`, so one reader meets a sentence
at most once a month, two signs never get the same one on a day, and regenerating gives the same text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
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
    sign_name,
)
from horoscopes.writer.variety import Rotation, distinct, variant

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
SECTION_RETROGRADE = {"mercury": "work", "saturn": "work", "venus": "love", "mars": "health", "jupiter": "money"}
# A retrograde lasts weeks or months: it is named on one day in RETROGRADE_EVERY (different days for different
# signs), and slow planets only when the section has nothing else to say.
RETROGRADE_EVERY = 3
SLOW_RETROGRADES = frozenset({"jupiter", "saturn"})
INGRESS_PLANETS = ("sun", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")
# Eclipse limits: the Sun within this many degrees of a lunar node at a new moon (solar eclipse), the Moon
# within this of a node at a full moon (lunar eclipse, penumbral ones included).
SOLAR_ECLIPSE_LIMIT = 18.0
LUNAR_ECLIPSE_LIMIT = 12.0
NODES = ("true_node", "mean_node")


def house_from(sign: str, other: str) -> int:
    """The whole-sign house (1-12) that `other` occupies counted from `sign`."""
    return (SIGNS.index(other) - SIGNS.index(sign)) % 12 + 1


def moon_tone(sign: str, moon_sign: str) -> str:
    """same, harmony, tension or neutral: how the Moon's sign today relates to the sign."""
    return TONE_BY_DISTANCE[(SIGNS.index(moon_sign) - SIGNS.index(sign)) % 12]


def planet_subject(point: str, lang: str) -> str:
    """A planet as the subject of a sentence: "Солнце", "The Sun", "Mercury"."""
    name = point_name(point, lang)
    if lang == "en" and point in ("sun", "moon"):
        return f"The {name}"
    return name


def eclipse_kind(sky: SkyOfDay) -> str | None:
    """'solar' or 'lunar' when the day's new or full moon falls close enough to a lunar node, else None."""
    event = sky.lunar_event
    if event is None or event.kind not in ("new_moon", "full_moon"):
        return None
    node = next((p for p in sky.positions if p.point in NODES), None)
    if node is None:
        return None
    body = sky.position("sun" if event.kind == "new_moon" else "moon").longitude
    distance = abs((body - node.longitude + 90.0) % 180.0 - 90.0)
    if event.kind == "new_moon":
        return "solar" if distance <= SOLAR_ECLIPSE_LIMIT else None
    return "lunar" if distance <= LUNAR_ECLIPSE_LIMIT else None


def _where(house: int, lang: str, bank: ModuleType) -> dict[str, str]:
    return {
        "ordinal": ORDINAL[house][lang],
        "ordinal_in": ORDINAL[house]["ru_in"] if lang == "ru" else ORDINAL[house]["en"],
        "topic": bank.HOUSE_TOPIC[house],
    }


def event_sentences(sign: str, sky: SkyOfDay, lang: str, rotation: Rotation) -> list[str]:
    """Every event of the day that matters, each with the house it falls in for the sign.

    The lunar phase (or eclipse), then every station, every planet's ingress, then the Moon changing sign
    after noon (before noon the change is already in the noon position the overview starts from).
    """
    bank = BANKS[lang]
    found = []
    event = sky.lunar_event
    if event is not None:
        eclipse = eclipse_kind(sky)
        house = house_from(sign, event.sign)
        # In the Moon's house, which the overview's first sentence has just named: say "there", not the house.
        here = house == house_from(sign, sky.moon_sign)
        if eclipse:
            template = (bank.ECLIPSE_HERE if here else bank.ECLIPSE)[eclipse]
        else:
            template = (bank.LUNATION_HERE if here else bank.LUNATION)[event.kind]
        found.append(template.format(**_where(house, lang, bank)))
    for station in sky.stations:
        gender = "f" if station.point in FEMININE_RU else "m"
        found.append(
            bank.STATION[station.kind].format(
                planet=planet_subject(station.point, lang),
                becomes=bank.BECOMES[(station.kind, gender)],
                **_where(house_from(sign, station.sign), lang, bank),
            )
        )
    for ingress in sky.ingresses:
        if ingress.point not in INGRESS_PLANETS:
            continue
        template = bank.INGRESS_BACK if ingress.retrograde else bank.INGRESS
        found.append(
            template.format(
                planet=planet_subject(ingress.point, lang),
                sign_into=SIGN_INTO[ingress.sign][lang],
                **_where(house_from(sign, ingress.sign), lang, bank),
            )
        )
    change = sky.moon_sign_change
    if change is not None and change.local.hour >= 12:
        house = house_from(sign, change.sign)
        template = rotation.pick(bank.MOON_CHANGE, "moon_change")
        found.append(
            template.format(
                when=capital(part_of_day(change.local.hour, lang)),
                sign_into=SIGN_INTO[change.sign][lang],
                sign_name=sign_name(change.sign, lang),
                theme=bank.HOUSE_FOCUS[house],
                topic=bank.HOUSE_TOPIC[house],
            )
        )
    return found


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
                if index not in used and pair & planets[level] and not pair - set(ASPECT_PLANETS):
                    chosen[section] = aspect
                    used.add(index)
                    break
    return chosen


ASPECT_PLANETS = ("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")


def aspect_sentence(
    sign: str, section: str, aspect: ExactAspect, sky: SkyOfDay, lang: str, rotation: Rotation, used: set[str]
) -> str:
    """'Трин Венеры и Урана связывает ваши пятый и девятый дома и приносит приятные неожиданности.'

    The effect is what the section's planet meets in the other one, so it always fits the planet and the
    aspect; the houses make the sentence the sign's own.
    """
    bank = BANKS[lang]
    own = SECTION_PLANETS[section][0] | SECTION_PLANETS[section][1]
    other = aspect.b if aspect.a in own else aspect.a
    effects = bank.PLANET_EFFECT[other][ASPECT_NATURE[aspect.kind]]
    effect = distinct(effects, used, variant(len(effects), day=rotation.day, member=rotation.member, slot=section))
    first = house_from(sign, sky.position(aspect.a).sign)
    second = house_from(sign, sky.position(aspect.b).sign)
    # In the order of the planets: Aries and Libra see one opposition from its two ends.
    templates = bank.ASPECT_ONE if first == second else bank.ASPECT_TWO
    template = distinct(
        templates, used, variant(len(templates), day=rotation.day, member=rotation.member, slot=section)
    )
    words = {
        f"{which}{suffix}": ORDINAL[house][form if lang == "ru" else "en"]
        for which, house in (("first", first), ("second", second))
        for suffix, form in (("", lang), ("_in", "ru_in"), ("_gen", "ru_gen"), ("_ins", "ru_ins"))
    }
    if lang == "ru":
        a, b = point_genitive(aspect.a, lang), point_genitive(aspect.b, lang)
        return template.format(aspect=capital(aspect_name(aspect.kind, lang)), a=a, b=b, effect=effect, **words)
    return template.format(
        aspect=aspect_name(aspect.kind, lang),
        a=point_name(aspect.a, lang),
        b=point_name(aspect.b, lang),
        effect=effect,
        **words,
    )


def _retrograde_sentence(sign: str, planet: str, sky: SkyOfDay, lang: str, rotation: Rotation) -> str:
    bank = BANKS[lang]
    house = house_from(sign, sky.position(planet).sign)
    lead, advice = rotation.combination((bank.RETRO_LEAD[planet], bank.RETRO_ADVICE[planet]), f"retro:{planet}")
    ordinal = ORDINAL[house]["ru_in"] if lang == "ru" else ORDINAL[house]["en"]
    return f"{lead.format(ordinal_in=ordinal, ordinal=ordinal)}: {advice}."


def write_daily(sign: str, sky: SkyOfDay, lang: str) -> dict[str, str]:
    """The six sections (overview, love, work, health, money, tip) as Telegram-safe text."""
    if sign not in SIGNS:
        raise ValueError(f"unknown sign {sign!r}")
    bank = BANKS[lang]
    day = sky.date.toordinal()
    rotation = Rotation(day, SIGNS.index(sign), f"daily:{lang}")
    moon_house = house_from(sign, sky.moon_sign)
    tone = moon_tone(sign, sky.moon_sign)

    lead, meaning = rotation.combination((bank.MOON_LEAD, bank.MOON_MEANING[moon_house]), "moon")
    lead = lead.format(moon_in=sign_in(sky.moon_sign, lang), **_where(moon_house, lang, bank))
    overview = [f"{lead}: {meaning}.", *event_sentences(sign, sky, lang, rotation)]

    aspects = _aspects_by_section(sky.aspects)
    used: set[str] = set()
    sections: dict[str, list[str]] = {}
    for section in ("love", "work", "money", "health"):
        tone_lead, tail = rotation.combination((bank.TONE_LEAD[section][tone], bank.SECTION_TAIL[section]), section)
        sentences = [f"{capital(tone_lead)} — {tail}."]
        aspect = aspects.get(section)
        if aspect is not None:
            sentences.append(aspect_sentence(sign, section, aspect, sky, lang, rotation, used))
        for planet in sky.retrograde:
            if SECTION_RETROGRADE.get(planet) != section or (day + SIGNS.index(sign)) % RETROGRADE_EVERY:
                continue
            if planet in SLOW_RETROGRADES and len(sentences) > 1:
                continue
            sentences.append(_retrograde_sentence(sign, planet, sky, lang, rotation))
            break
        sections[section] = sentences

    tip, closer = rotation.combination((bank.TIP[moon_house], bank.TIP_CLOSER), "tip")
    texts = {
        "overview": " ".join(overview),
        **{name: " ".join(sentences) for name, sentences in sections.items()},
        "tip": f"{tip} — {closer}.",
    }
    return {name: html.escape(texts[name], quote=False) for name in SECTIONS}
