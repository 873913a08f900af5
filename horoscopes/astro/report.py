"""Plain-text tables of a chart in Russian or English (for the `chart` command and for logs)."""

from __future__ import annotations

from .chart import Chart
from .constants import PLANET_GLYPHS, RETROGRADE_GLYPH, format_longitude, sign_of
from .names import ASPECT_NAMES, CHART_NOTES, HOUSE_SYSTEM_NAMES, POINT_NAMES, SIGN_NAMES, name

_HEADINGS: dict[str, dict[str, str]] = {
    "points": {"ru": "Планеты", "en": "Points"},
    "angles": {"ru": "Углы", "en": "Angles"},
    "houses": {"ru": "Куспиды домов", "en": "House cusps"},
    "aspects": {"ru": "Аспекты", "en": "Aspects"},
    "system": {"ru": "Система домов", "en": "House system"},
    "applying": {"ru": "сходящийся", "en": "applying"},
    "separating": {"ru": "расходящийся", "en": "separating"},
    "orb": {"ru": "орбис", "en": "orb"},
    "speed": {"ru": "°/сут", "en": "°/day"},
}


def _where(longitude: float, lang: str) -> str:
    """ "24°20'09" Taurus" style text."""
    return f"{format_longitude(longitude, seconds=True):>10} {name(SIGN_NAMES, sign_of(longitude), lang)}"


def format_chart(chart: Chart, lang: str = "en") -> str:
    """A readable multi-line table of a chart's points, angles, houses and aspects."""
    h = {key: value.get(lang, value["en"]) for key, value in _HEADINGS.items()}
    lines = [f"{chart.utc:%Y-%m-%d %H:%M:%S} UTC   {chart.lat:+.4f} {chart.lon:+.4f}"]
    if chart.has_houses and chart.house_system:
        lines.append(f"{h['system']}: {name(HOUSE_SYSTEM_NAMES, chart.house_system, lang)}")
        if chart.polar_fallback:
            lines.append(name(CHART_NOTES, "polar_fallback", lang))
    else:
        lines.append(name(CHART_NOTES, "no_houses", lang))

    lines += ["", h["points"]]
    for point, position in chart.points.items():
        retro = f" {RETROGRADE_GLYPH}" if position.retrograde and point != "mean_node" else ""
        house = f"  {name(CHART_NOTES, 'house', lang)} {position.house:>2}" if position.house else ""
        label = f"{PLANET_GLYPHS[point]} {name(POINT_NAMES, point, lang)}"
        where = _where(position.longitude, lang)
        lines.append(f"  {label:<22}{where:<24}{position.speed:+9.4f} {h['speed']}{house}{retro}")

    if chart.has_houses and chart.asc is not None and chart.mc is not None:
        lines += ["", h["angles"]]
        lines.append(f"  {name(POINT_NAMES, 'asc', lang):<22}{_where(chart.asc, lang)}")
        lines.append(f"  {name(POINT_NAMES, 'mc', lang):<22}{_where(chart.mc, lang)}")
        lines += ["", h["houses"]]
        for i, cusp in enumerate(chart.houses, start=1):
            lines.append(f"  {i:>2}  {_where(cusp, lang)}")

    lines += ["", h["aspects"]]
    for aspect in chart.aspects:
        pair = f"{name(POINT_NAMES, aspect.a, lang)} – {name(POINT_NAMES, aspect.b, lang)}"
        motion = h["applying"] if aspect.applying else h["separating"]
        kind = name(ASPECT_NAMES, aspect.kind, lang)
        lines.append(f"  {pair:<34}{kind:<12} {h['orb']} {format_longitude(aspect.orb)}  {motion}")
    return "\n".join(lines)
