"""A personal horoscope from the day's transits to a natal chart, written with the phrase banks."""

from __future__ import annotations

import html
from collections.abc import Sequence

from horoscopes.astro.chart import Chart
from horoscopes.astro.sky import SkyOfDay
from horoscopes.astro.transits import Transit
from horoscopes.writer.daily import BANKS, SECTIONS, Picker, house_from, write_daily
from horoscopes.writer.grammar import (
    ASPECT_ACCUSATIVE_RU,
    ASPECT_NATURE,
    NATAL_DATIVE,
    NATAL_INSTRUMENTAL_RU,
    ORDINAL,
    aspect_name,
    phase_name,
    point_name,
    sign_in,
)

TRANSITING = ("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")
NATAL_POINTS = (*TRANSITING, "asc", "mc")
# A transit speaks to a section when its natal point (or the transiting planet) belongs to it.
SECTION_NATAL = {
    "love": frozenset({"venus", "moon", "mars"}),
    "work": frozenset({"mercury", "saturn", "mc", "sun"}),
    "money": frozenset({"jupiter", "venus", "saturn", "pluto"}),
    "health": frozenset({"mars", "asc", "sun", "moon"}),
}
SECTION_TRANSITING = {
    "love": frozenset({"venus"}),
    "work": frozenset({"mercury", "saturn"}),
    "money": frozenset({"jupiter"}),
    "health": frozenset({"mars"}),
}


def usable_transits(transits: Sequence[Transit]) -> list[Transit]:
    """Transits the writer can speak about (the nodes are left out), most important first."""
    return [t for t in transits if t.transiting in TRANSITING and t.natal in NATAL_POINTS]


def _planet(point: str, lang: str) -> str:
    name = point_name(point, lang)
    return f"the {name}" if lang == "en" and point in ("sun", "moon") else name


def transit_sentence(transit: Transit, lang: str) -> str:
    """'Сегодня Марс образует квадрат к вашей натальной Венере, пик — в 14:05.' and the English twin."""
    bank = BANKS[lang]
    planet = _planet(transit.transiting, lang)
    if lang == "ru":
        if transit.kind == "conjunction":
            target = f"{ASPECT_ACCUSATIVE_RU['conjunction']} {NATAL_INSTRUMENTAL_RU[transit.natal]}"
        else:
            target = f"{ASPECT_ACCUSATIVE_RU[transit.kind]} {NATAL_DATIVE[transit.natal]['ru']}"
        text = bank.TRANSIT_FACT.format(planet=planet, target=target)
    elif transit.kind == "conjunction":
        text = bank.TRANSIT_FACT_CONJUNCTION.format(planet=planet, natal=NATAL_DATIVE[transit.natal]["en"])
    else:
        article = "an" if transit.kind == "opposition" else "a"
        target = f"{article} {aspect_name(transit.kind, 'en')} to {NATAL_DATIVE[transit.natal]['en']}"
        text = bank.TRANSIT_FACT.format(planet=planet, target=target)
    if transit.exact_local is not None:
        text += bank.TRANSIT_PEAK.format(time=f"{transit.exact_local:%H:%M}")
    return text + "."


def house_sentence(transit: Transit, lang: str) -> str | None:
    """Where in the natal chart the transiting planet acts, when the birth time is known."""
    if not transit.house:
        return None
    bank = BANKS[lang]
    ordinal = ORDINAL[transit.house]["ru_in" if lang == "ru" else "en"]
    return bank.TRANSIT_HOUSE.format(ordinal=ordinal, topic=bank.HOUSE_TOPIC[transit.house])


def _meaning(transit: Transit, lang: str, pick: Picker) -> str:
    bank = BANKS[lang]
    options = bank.TRANSIT_MEANING[transit.transiting][ASPECT_NATURE[transit.kind]]
    return pick(options, f"meaning:{transit.transiting}:{transit.natal}:{transit.kind}")


def write_personal(
    *, natal: Chart, transits: Sequence[Transit], sky: SkyOfDay, sun_sign: str, lang: str
) -> dict[str, str]:
    """The six sections for one person: the main transit first, then one transit per section where one fits.

    A section no transit speaks to falls back to the general text of the person's Sun sign for the day.
    """
    bank = BANKS[lang]
    pick = Picker(sky.date.toordinal(), f"personal:{natal.utc.isoformat()}:{lang}")
    general = write_daily(sun_sign, sky, lang)
    found = usable_transits(transits)
    sky_line = bank.SKY_LINE.format(moon_in=sign_in(sky.moon_sign, lang), phase=phase_name(sky.moon_phase, lang))

    texts: dict[str, str] = {}
    if found:
        top = found[0]
        where = house_sentence(top, lang) or bank.AREA.format(area=bank.NATAL_AREA[top.natal])
        texts["overview"] = " ".join([transit_sentence(top, lang), _meaning(top, lang, pick), where, sky_line])
        remaining = found[1:]
    else:
        texts["overview"] = html.unescape(general["overview"])
        remaining = []
    used: set[int] = set()
    planets_used = {found[0].transiting} if found else set()
    for section in ("love", "work", "money", "health"):
        relevant = [
            i
            for i, transit in enumerate(remaining)
            if i not in used
            and (transit.natal in SECTION_NATAL[section] or transit.transiting in SECTION_TRANSITING[section])
        ]
        # Slow planets dominate the ranking for weeks: give each section a different planet when there is one.
        fresh = [i for i in relevant if remaining[i].transiting not in planets_used]
        candidates = fresh or relevant
        index = candidates[0] if candidates else None
        if index is None:
            texts[section] = html.unescape(general[section])
            continue
        used.add(index)
        transit = remaining[index]
        planets_used.add(transit.transiting)
        effect = pick(
            bank.ASPECT_EFFECT[section][ASPECT_NATURE[transit.kind]], f"effect:{section}:{transit.transiting}"
        )
        texts[section] = f"{transit_sentence(transit, lang)} {bank.TRANSIT_EFFECT.format(effect=effect)}"

    moon_longitude = sky.position("moon").longitude
    house = natal.house_of(moon_longitude) if natal.has_houses else None
    if house is None:
        house = house_from(sun_sign, sky.moon_sign)
    texts["tip"] = pick(bank.TIP[house], "tip")
    return {name: html.escape(texts[name], quote=False) for name in SECTIONS}
