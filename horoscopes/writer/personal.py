"""A personal horoscope from the day's transits to a natal chart, written with the phrase banks."""

from __future__ import annotations

import html
import zlib
from collections.abc import Sequence

from horoscopes.astro.chart import Chart
from horoscopes.astro.sky import SkyOfDay
from horoscopes.astro.transits import Transit
from horoscopes.writer.daily import BANKS, SECTIONS, house_from, write_daily
from horoscopes.writer.grammar import (
    ASPECT_ACCUSATIVE_RU,
    ASPECT_NATURE,
    NATAL_DATIVE,
    NATAL_INSTRUMENTAL_RU,
    ORDINAL,
    aspect_name,
    capital,
    point_name,
)
from horoscopes.writer.variety import Rotation, distinct, variant

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


# The second way to name a natal point, so two transits in one reading do not read alike.
CHART_POINT_RU = {
    "sun": ("Солнцу", "Солнцем"),
    "moon": ("Луне", "Луной"),
    "mercury": ("Меркурию", "Меркурием"),
    "venus": ("Венере", "Венерой"),
    "mars": ("Марсу", "Марсом"),
    "jupiter": ("Юпитеру", "Юпитером"),
    "saturn": ("Сатурну", "Сатурном"),
    "uranus": ("Урану", "Ураном"),
    "neptune": ("Нептуну", "Нептуном"),
    "pluto": ("Плутону", "Плутоном"),
    "asc": ("Асценденту", "Асцендентом"),
    "mc": ("Середине неба (MC)", "Серединой неба (MC)"),
}


def _target(transit: Transit, lang: str, form: int = 0) -> str:
    """'квадрат к вашей натальной Венере' / 'a square to your natal Venus'; forms 1-3 name the point otherwise."""
    form %= 4
    if lang == "ru":
        dative, instrumental = CHART_POINT_RU[transit.natal]
        tail = ("", " в вашей карте рождения", " вашего гороскопа", " на момент вашего рождения")[form]
        if transit.kind == "conjunction":
            natal = f"с {instrumental}{tail}" if form else NATAL_INSTRUMENTAL_RU[transit.natal]
            return f"{ASPECT_ACCUSATIVE_RU['conjunction']} {natal}"
        natal = f"к {dative}{tail}" if form else NATAL_DATIVE[transit.natal]["ru"]
        return f"{ASPECT_ACCUSATIVE_RU[transit.kind]} {natal}"
    natal = NATAL_DATIVE[transit.natal]["en"]
    base = natal.removeprefix("your natal ").removeprefix("your ")
    the = "the " if transit.natal in ("sun", "moon", "asc", "mc") else ""
    if form:
        natal = (
            natal,
            f"{the}{base} in your birth chart",
            f"the {base} of your horoscope",
            f"{the}{base} as it stood when you were born",
        )[form]
    if transit.kind == "conjunction":
        return f"a conjunction with {natal}"
    article = "an" if transit.kind == "opposition" else "a"
    return f"{article} {aspect_name(transit.kind, 'en')} to {natal}"


def transit_sentence(transit: Transit, lang: str, template: str | None = None, form: int = 0) -> str:
    """'Сегодня Марс образует квадрат к вашей натальной Венере, с пиком в 14:05' (without the full stop)."""
    bank = BANKS[lang]
    planet = _planet(transit.transiting, lang)
    text = (template or bank.TRANSIT_FACTS[0]).format(
        planet=planet, Planet=capital(planet), target=_target(transit, lang, form)
    )
    if transit.exact_local is not None:
        text += bank.TRANSIT_PEAK.format(time=f"{transit.exact_local:%H:%M}")
    return text


def house_sentence(transit: Transit, lang: str, template: str | None = None) -> str | None:
    """Where in the natal chart the transiting planet acts, when the birth time is known."""
    if not transit.house:
        return None
    bank = BANKS[lang]
    return (template or bank.TRANSIT_HOUSE[0]).format(
        ordinal_in=ORDINAL[transit.house]["ru_in" if lang == "ru" else "en"],
        ordinal=ORDINAL[transit.house][lang],
        topic=bank.HOUSE_TOPIC[transit.house],
    )


WHERE_EVERY = 5


def _lower(sentence: str) -> str:
    """A whole sentence as a clause after a dash or colon: first letter down, final full stop off."""
    return (sentence[:1].lower() + sentence[1:]).rstrip(".")


def _member(natal: Chart) -> int:
    return zlib.crc32(natal.utc.isoformat().encode()) % 1000


def write_personal(
    *, natal: Chart, transits: Sequence[Transit], sky: SkyOfDay, sun_sign: str, lang: str
) -> dict[str, str]:
    """The six sections for one person: the main transit first, then one transit per section where one fits.

    Each transit's effect comes from its own planet and aspect. A section no transit speaks to falls back to
    the general text of the person's Sun sign for the day. No phrase is used twice in one reading.
    """
    bank = BANKS[lang]
    rotation = Rotation(sky.date.toordinal(), _member(natal), f"personal:{lang}")
    general = write_daily(sun_sign, sky, lang)
    found = usable_transits(transits)

    texts: dict[str, str] = {}
    used: set[str] = set()
    if found:
        top = found[0]
        fact, meaning = rotation.combination(
            (bank.TRANSIT_FACTS, bank.TRANSIT_MEANING[top.transiting][ASPECT_NATURE[top.kind]]), "top"
        )
        used.add(fact)
        overview = [bank.TRANSIT_WITH_MEANING.format(fact=transit_sentence(top, lang, fact), meaning=_lower(meaning))]
        # The main transit can lead for weeks: where it acts is said every few days, not every day.
        if (rotation.day + rotation.member) % WHERE_EVERY == 0:
            every = Rotation(rotation.day // WHERE_EVERY, rotation.member, rotation.seed)
            where = house_sentence(top, lang, every.pick(bank.TRANSIT_HOUSE, "house")) or every.pick(
                bank.AREA, "area"
            ).format(area=bank.NATAL_AREA[top.natal])
            overview.append(where)
        texts["overview"] = " ".join(overview)
        remaining = found[1:]
    else:
        texts["overview"] = html.unescape(general["overview"])
        remaining = []
    chosen: set[int] = set()
    told = 0
    planets_used = {found[0].transiting} if found else set()
    for section in ("love", "work", "money", "health"):
        relevant = [
            i
            for i, transit in enumerate(remaining)
            if i not in chosen
            and (transit.natal in SECTION_NATAL[section] or transit.transiting in SECTION_TRANSITING[section])
        ]
        # Slow planets dominate the ranking for weeks: give each section a different planet when there is one.
        fresh = [i for i in relevant if remaining[i].transiting not in planets_used]
        candidates = (fresh or relevant)[:3]
        # Among the three strongest that fit, the day rotates which one is told, so slow transits that last
        # for weeks do not fill the section every day.
        index = candidates[rotation.day % len(candidates)] if candidates else None
        if index is None:
            texts[section] = html.unescape(general[section])
            continue
        chosen.add(index)
        transit = remaining[index]
        planets_used.add(transit.transiting)
        number = variant(len(bank.TRANSIT_FACTS), day=rotation.day, member=rotation.member, slot=section)
        fact = distinct(bank.TRANSIT_FACTS, used, number)
        effects = bank.PLANET_EFFECT[transit.transiting][ASPECT_NATURE[transit.kind]]
        effect = distinct(effects, used, variant(len(effects), day=rotation.day, member=rotation.member, slot=section))
        told += 1
        texts[section] = bank.TRANSIT_WITH_EFFECT.format(
            fact=transit_sentence(transit, lang, fact, form=told), effect=effect
        )

    moon_longitude = sky.position("moon").longitude
    house = natal.house_of(moon_longitude) if natal.has_houses else None
    if house is None:
        house = house_from(sun_sign, sky.moon_sign)
    tip, closer = rotation.combination((bank.TIP[house], bank.TIP_CLOSER), "tip")
    texts["tip"] = f"{tip} — {closer}."
    return {name: html.escape(texts[name], quote=False) for name in SECTIONS}
