"""The computed facts behind a horoscope as short lines in the reader's language, to ground an LLM prompt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from horoscopes.astro.chart import Chart
from horoscopes.astro.constants import SIGNS, sign_of
from horoscopes.astro.sky import SkyOfDay
from horoscopes.astro.transits import Transit
from horoscopes.writer.daily import BANKS, eclipse_kind, house_from
from horoscopes.writer.grammar import (
    FEMININE_RU,
    NATAL_DATIVE,
    NATAL_INSTRUMENTAL_RU,
    ORDINAL,
    SIGN_FROM,
    SIGN_INTO,
    aspect_name,
    phase_name,
    point_genitive,
    point_name,
    sign_in,
    sign_name,
)
from horoscopes.writer.personal import usable_transits
from horoscopes.writer.uncertain import fact_lines, signs_in

_RELATION = {
    "ru": {
        0: "Луна в вашем знаке",
        2: "Луна в секстиле к знаку (гармонично)",
        4: "Луна в трине к знаку (гармонично)",
        3: "Луна в квадрате к знаку (напряжённо)",
        6: "Луна в оппозиции к знаку (напряжённо, в фокусе другие люди)",
    },
    "en": {
        0: "the Moon is in the sign itself",
        2: "the Moon is sextile the sign (harmonious)",
        4: "the Moon is trine the sign (harmonious)",
        3: "the Moon is square the sign (tense)",
        6: "the Moon is opposite the sign (tense, other people in focus)",
    },
}
_NEUTRAL = {"ru": "Луна в нейтральном положении к знаку", "en": "the Moon is in a neutral position to the sign"}
_WORDS = {
    "ru": {
        "moon": "Луна {moon_in}, фаза: {phase}, освещено {lit}% диска.",
        "house": "Для знака {sign}: Луна в {ordinal} доме от знака ({topic}); {relation}.",
        "event": "Точная фаза Луны: {phase} в {time}.",
        "eclipse_solar": "Это солнечное затмение.",
        "eclipse_lunar": "Это лунное затмение.",
        "moon_change": "Луна переходит {from_sign} {into_sign} в {time}.",
        "ingress": "{planet} переходит {into_sign} в {time} (для знака это {ordinal} дом).",
        "station": "{planet} {becomes} в {time}.",
        "aspects": "Точные аспекты дня: {items}.",
        "aspect": "{kind} {a} и {b} в {time}",
        "no_aspects": "Точных аспектов между планетами сегодня нет.",
        "retrograde": "Ретроградны: {items}.",
        "no_retrograde": "Ретроградных планет нет.",
        "positions": "Планеты (дом от знака): {items}.",
        "position": "{planet} {sign_in} ({house}-й дом{retro})",
        "retro_mark": ", ретроградно",
        "natal_points": "{items}.",
        "natal_point": "{point} {sign_in}",
        "no_time": "Время рождения неизвестно: дома и Асцендент не рассчитаны.",
        "transit": "{planet} ({sign_in}{retro}) — {target}: орбис {orb}°, {motion}{exact}{house}.",
        "applying": "сходящийся",
        "separating": "расходящийся",
        "exact": ", точный в {time}",
        "transit_house": ", идёт по {ordinal} дому карты",
        "no_transits": "Значимых транзитов сегодня нет.",
    },
    "en": {
        "moon": "The Moon is {moon_in}, phase: {phase}, {lit}% illuminated.",
        "house": "For {sign}: the Moon is in the {ordinal} house from the sign ({topic}); {relation}.",
        "event": "Exact lunar phase: {phase} at {time}.",
        "eclipse_solar": "It is a solar eclipse.",
        "eclipse_lunar": "It is a lunar eclipse.",
        "moon_change": "The Moon moves {from_sign} {into_sign} at {time}.",
        "ingress": "{planet} moves {into_sign} at {time} (the {ordinal} house for this sign).",
        "station": "{planet} {becomes} at {time}.",
        "aspects": "Exact aspects of the day: {items}.",
        "aspect": "{a}–{b} {kind} at {time}",
        "no_aspects": "No exact aspects between planets today.",
        "retrograde": "Retrograde: {items}.",
        "no_retrograde": "No planet is retrograde.",
        "positions": "Planets (house from the sign): {items}.",
        "position": "{planet} {sign_in} ({house} house{retro})",
        "retro_mark": ", retrograde",
        "natal_points": "{items}.",
        "natal_point": "{point} {sign_in}",
        "no_time": "Birth time unknown: houses and the Ascendant are not calculated.",
        "transit": "{planet} ({sign_in}{retro}) — {target}: orb {orb}°, {motion}{exact}{house}.",
        "applying": "applying",
        "separating": "separating",
        "exact": ", exact at {time}",
        "transit_house": ", through the {ordinal} house of the chart",
        "no_transits": "No significant transits today.",
    },
}
_ENGLISH_ORDINAL_SHORT = {1: "1st", 2: "2nd", 3: "3rd"}
_BECOMES = {
    "ru": {
        ("retrograde", "m"): "становится ретроградным",
        ("retrograde", "f"): "становится ретроградной",
        ("direct", "m"): "становится директным",
        ("direct", "f"): "становится директной",
    },
    "en": {
        ("retrograde", "m"): "stations retrograde",
        ("retrograde", "f"): "stations retrograde",
        ("direct", "m"): "turns direct",
        ("direct", "f"): "turns direct",
    },
}
_ORDINAL_DATIVE_RU = {
    1: "первому",
    2: "второму",
    3: "третьему",
    4: "четвёртому",
    5: "пятому",
    6: "шестому",
    7: "седьмому",
    8: "восьмому",
    9: "девятому",
    10: "десятому",
    11: "одиннадцатому",
    12: "двенадцатому",
}


def _house_number(house: int, lang: str) -> str:
    if lang == "ru":
        return str(house)
    return _ENGLISH_ORDINAL_SHORT.get(house, f"{house}th")


def _planet(point: str, lang: str) -> str:
    name = point_name(point, lang)
    return f"The {name}" if lang == "en" and point in ("sun", "moon") else name


def daily_facts(sign: str, sky: SkyOfDay, lang: str) -> str:
    """The day's sky as seen from one sign: the Moon, its house and angle, events, aspects, positions."""
    words = _WORDS[lang]
    bank = BANKS[lang]
    distance = (SIGNS.index(sky.moon_sign) - SIGNS.index(sign)) % 12
    moon_house = house_from(sign, sky.moon_sign)
    relation = _RELATION[lang].get(distance, _NEUTRAL[lang])
    lines = [
        words["moon"].format(
            moon_in=sign_in(sky.moon_sign, lang),
            phase=phase_name(sky.moon_phase, lang),
            lit=round(sky.illumination * 100),
        ),
        words["house"].format(
            sign=sign_name(sign, lang),
            ordinal=ORDINAL[moon_house]["ru_in" if lang == "ru" else "en"],
            topic=bank.HOUSE_TOPIC[moon_house],
            relation=relation,
        ),
    ]
    if sky.lunar_event is not None:
        event = words["event"].format(
            phase=phase_name(sky.lunar_event.kind, lang), time=f"{sky.lunar_event.local:%H:%M}"
        )
        eclipse = eclipse_kind(sky)
        lines.append(f"{event} {words[f'eclipse_{eclipse}']}" if eclipse else event)
    if sky.moon_sign_change is not None:
        change = sky.moon_sign_change
        lines.append(
            words["moon_change"].format(
                from_sign=SIGN_FROM[change.previous_sign][lang],
                into_sign=SIGN_INTO[change.sign][lang],
                time=f"{change.local:%H:%M}",
            )
        )
    for ingress in sky.ingresses:
        if ingress.point == "mean_node":
            continue
        lines.append(
            words["ingress"].format(
                planet=_planet(ingress.point, lang),
                into_sign=SIGN_INTO[ingress.sign][lang],
                time=f"{ingress.local:%H:%M}",
                ordinal=ORDINAL[house_from(sign, ingress.sign)][lang],
            )
        )
    for station in sky.stations:
        gender = "f" if station.point in FEMININE_RU else "m"
        lines.append(
            words["station"].format(
                planet=_planet(station.point, lang),
                becomes=_BECOMES[lang][(station.kind, gender)],
                time=f"{station.local:%H:%M}",
            )
        )
    if sky.aspects:
        items = []
        for aspect in sky.aspects:
            kind = aspect_name(aspect.kind, lang)
            a = point_genitive(aspect.a, lang) if lang == "ru" else point_name(aspect.a, lang)
            b = point_genitive(aspect.b, lang) if lang == "ru" else point_name(aspect.b, lang)
            items.append(
                words["aspect"].format(
                    kind=kind,
                    a=a,
                    b=b,
                    time=f"{aspect.local:%H:%M}",
                )
            )
        lines.append(words["aspects"].format(items="; ".join(items)))
    else:
        lines.append(words["no_aspects"])
    if sky.retrograde:
        lines.append(words["retrograde"].format(items=", ".join(point_name(p, lang) for p in sky.retrograde)))
    else:
        lines.append(words["no_retrograde"])
    positions = [
        words["position"].format(
            planet=point_name(position.point, lang),
            sign_in=sign_in(position.sign, lang),
            house=_house_number(house_from(sign, position.sign), lang),
            retro=words["retro_mark"] if position.retrograde and position.point != "mean_node" else "",
        )
        for position in sky.positions
        if position.point != "mean_node"
    ]
    lines.append(words["positions"].format(items="; ".join(positions)))
    return "\n".join(f"- {line}" for line in lines if line)


def natal_summary(natal: Chart, lang: str, *, uncertain: Mapping[str, Sequence[str]] | None = None) -> str:
    """'Солнце в Тельце, Луна в Рыбах, Асцендент в Деве.' (or a note that the birth time is unknown).

    A body in `uncertain` (its sign changed during a birth day of unknown time) is given with every sign it may
    have had, and a line says not to interpret it.
    """
    words = _WORDS[lang]
    uncertain = uncertain or {}
    items = [
        words["natal_point"].format(
            point=point_name(point, lang),
            sign_in=signs_in(uncertain[point], lang) if point in uncertain else sign_in(natal.points[point].sign, lang),
        )
        for point in ("sun", "moon", "mercury", "venus", "mars")
    ]
    if natal.has_houses and natal.asc is not None and natal.mc is not None:
        items.append(
            words["natal_point"].format(point=point_name("asc", lang), sign_in=sign_in(sign_of(natal.asc), lang))
        )
        items.append(
            words["natal_point"].format(point=point_name("mc", lang), sign_in=sign_in(sign_of(natal.mc), lang))
        )
        return words["natal_points"].format(items=", ".join(items))
    summary = words["natal_points"].format(items=", ".join(items)) + " " + words["no_time"]
    return " ".join([summary, *fact_lines(uncertain, lang)])


def personal_facts(natal: Chart, transits: Sequence[Transit], lang: str, *, limit: int = 8) -> str:
    """The day's most important transits to a chart, one line each."""
    words = _WORDS[lang]
    lines = []
    for transit in usable_transits(transits)[:limit]:
        if lang == "ru":
            if transit.kind == "conjunction":
                target = f"соединение {NATAL_INSTRUMENTAL_RU[transit.natal]}"
            else:
                target = f"{aspect_name(transit.kind, 'ru')} {NATAL_DATIVE[transit.natal]['ru']}"
        elif transit.kind == "conjunction":
            target = f"conjunction with {NATAL_DATIVE[transit.natal]['en']}"
        else:
            target = f"{aspect_name(transit.kind, 'en')} to {NATAL_DATIVE[transit.natal]['en']}"
        house = ""
        if transit.house:
            ordinal = _ORDINAL_DATIVE_RU[transit.house] if lang == "ru" else ORDINAL[transit.house]["en"]
            house = words["transit_house"].format(ordinal=ordinal)
        lines.append(
            words["transit"].format(
                planet=_planet(transit.transiting, lang),
                sign_in=sign_in(transit.sign, lang),
                retro=words["retro_mark"] if transit.retrograde else "",
                target=target,
                orb=f"{transit.orb:.1f}",
                motion=words["applying"] if transit.applying else words["separating"],
                exact=words["exact"].format(time=f"{transit.exact_local:%H:%M}") if transit.exact_local else "",
                house=house,
            )
        )
    if not lines:
        return f"- {words['no_transits']}"
    return "\n".join(f"- {line}" for line in lines)
