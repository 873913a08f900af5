"""A chart for a reader: the plain-text table (the `chart` command, logs) and the wheel, in a language."""

from __future__ import annotations

from collections.abc import Collection

from django.utils import translation
from django.utils.translation import pgettext

from horoscopes.astro import wheel
from horoscopes.astro.chart import Chart
from horoscopes.astro.constants import PLANET_GLYPHS, RETROGRADE_GLYPH, format_longitude, sign_of
from horoscopes.names import (
    ASPECT_NAMES,
    HOUSE_SYSTEM_NAMES,
    HOUSE_WORD,
    NO_HOUSES_NOTE,
    NO_TIME_SHORT,
    POINT_NAMES,
    POLAR_FALLBACK_NOTE,
    POLAR_SHORT,
    SIGN_NAMES,
)


def _where(longitude: float) -> str:
    """ "24°20'09" Taurus" style text in the active language."""
    return f"{format_longitude(longitude, seconds=True):>10} {SIGN_NAMES[sign_of(longitude)]}"


def format_chart(chart: Chart, lang: str = "en") -> str:
    """A readable multi-line table of a chart's points, angles, houses and aspects."""
    with translation.override(lang):
        return _table(chart)


def _table(chart: Chart) -> str:
    """The table of format_chart in the active language."""
    lines = [f"{chart.utc:%Y-%m-%d %H:%M:%S} UTC   {chart.lat:+.4f} {chart.lon:+.4f}"]
    if chart.has_houses and chart.house_system:
        system = pgettext("chart table", "House system")
        lines.append(f"{system}: {HOUSE_SYSTEM_NAMES[chart.house_system]}")
        if chart.polar_fallback:
            lines.append(str(POLAR_FALLBACK_NOTE))
    else:
        lines.append(str(NO_HOUSES_NOTE))

    speed = pgettext("chart table", "°/day")
    lines += ["", pgettext("chart table", "Points")]
    for point, position in chart.points.items():
        retro = f" {RETROGRADE_GLYPH}" if position.retrograde and point != "mean_node" else ""
        house = f"  {HOUSE_WORD} {position.house:>2}" if position.house else ""
        label = f"{PLANET_GLYPHS[point]} {POINT_NAMES[point]}"
        where = _where(position.longitude)
        lines.append(f"  {label:<26}{where:<24}{position.speed:+9.4f} {speed}{house}{retro}")
    if chart.true_node is not None:
        node = chart.true_node
        house = f"  {HOUSE_WORD} {node.house:>2}" if node.house else ""
        label = f"{PLANET_GLYPHS['true_node']} {POINT_NAMES['true_node']}"
        retro = f" {RETROGRADE_GLYPH}" if node.retrograde else ""
        lines.append(f"  {label:<26}{_where(node.longitude):<24}{node.speed:+9.4f} {speed}{house}{retro}")

    if chart.has_houses and chart.asc is not None and chart.mc is not None:
        lines += ["", pgettext("chart table", "Angles")]
        lines.append(f"  {POINT_NAMES['asc']!s:<22}{_where(chart.asc)}")
        lines.append(f"  {POINT_NAMES['mc']!s:<22}{_where(chart.mc)}")
        lines += ["", pgettext("chart table", "House cusps")]
        for i, cusp in enumerate(chart.houses, start=1):
            lines.append(f"  {i:>2}  {_where(cusp)}")

    lines += ["", pgettext("chart table", "Aspects")]
    orb = pgettext("chart table", "orb")
    for aspect in chart.aspects:
        pair = f"{POINT_NAMES[aspect.a]} – {POINT_NAMES[aspect.b]}"
        motion = pgettext("aspect", "applying") if aspect.applying else pgettext("aspect", "separating")
        lines.append(f"  {pair:<34}{ASPECT_NAMES[aspect.kind]!s:<12} {orb} {format_longitude(aspect.orb)}  {motion}")
    return "\n".join(lines)


def render_wheel(
    chart: Chart,
    *,
    size: int = 1280,
    lang: str = "en",
    moment: str = "",
    place: str = "",
    uncertain: Collection[str] = (),
) -> bytes:
    """PNG bytes of the chart wheel with its caption (house system, or no birth time) in a language; `moment`
    and `place` are the local birth time and the place's name (UTC and coordinates when not given); bodies in
    `uncertain` (sign unknown without a birth time) are drawn faint with no degree."""
    with translation.override(lang):
        system = str(HOUSE_SYSTEM_NAMES[chart.house_system]) if chart.house_system else ""
        if system and chart.polar_fallback:
            system = f"{system} ({POLAR_SHORT})"
        node = f"{PLANET_GLYPHS['mean_node']} {POINT_NAMES['mean_node']}"
        return wheel.render_wheel(
            chart,
            size=size,
            no_time_note=str(NO_TIME_SHORT),
            house_system_label=system,
            node_label=node,
            moment_label=moment,
            place_label=place,
            uncertain=uncertain,
        )
