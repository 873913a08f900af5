"""Chart wheel image (PNG) drawn with Pillow: zodiac ring, houses, angles, planets and aspect lines."""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .chart import Chart
from .constants import PLANET_GLYPHS, PLANETS, RETROGRADE_GLYPH, SIGN_ELEMENT, SIGN_GLYPHS, SIGNS

FONT_PATH = Path(__file__).resolve().parent / "assets" / "DejaVuSans.ttf"
# Drawn larger, then downsampled: Pillow draws lines and arcs without anti-aliasing.
SUPERSAMPLE = 2

BACKGROUND_INNER = (27, 31, 58)
BACKGROUND_OUTER = (9, 11, 24)
INK = (226, 228, 240)
INK_SOFT = (150, 156, 190)
INK_FAINT = (88, 94, 130)
RETRO_RED = (255, 107, 107)
ELEMENT_COLORS: dict[str, tuple[int, int, int]] = {
    "fire": (255, 122, 89),
    "earth": (139, 195, 74),
    "air": (255, 213, 79),
    "water": (79, 195, 247),
}
ASPECT_COLORS: dict[str, tuple[int, int, int]] = {
    "conjunction": (242, 193, 78),
    "sextile": (79, 179, 232),
    "trine": (57, 201, 167),
    "square": (255, 90, 95),
    "opposition": (224, 68, 62),
}
POINT_COLORS: dict[str, tuple[int, int, int]] = {
    "sun": (255, 211, 107),
    "moon": (223, 230, 240),
    "mean_node": (176, 182, 210),
}

# Radii as fractions of half the image size.
R_ZODIAC_OUTER = 0.875
R_ZODIAC_INNER = 0.75
R_SIGN_GLYPH = 0.8125
R_PLANET = 0.67
R_LABEL = 0.575
R_HOUSE_OUTER = 0.485
R_HOUSE_INNER = 0.42
MIN_SEPARATION_DEG = 8.0


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    """The bundled DejaVu Sans at a pixel size."""
    return ImageFont.truetype(str(FONT_PATH), size)


@lru_cache(maxsize=4)
def _background(size: int) -> Image.Image:
    """Dark radial gradient, lighter in the middle (cached per size)."""
    mask = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
    # radial_gradient is 0 in the centre and 255 at the corners' circle edge.
    inner = Image.new("RGB", (size, size), BACKGROUND_INNER)
    outer = Image.new("RGB", (size, size), BACKGROUND_OUTER)
    return Image.composite(outer, inner, mask)


def spread_longitudes(longitudes: Sequence[float], min_sep: float) -> list[float]:
    """Display longitudes at least `min_sep` apart, each cluster centred on its members' true positions."""
    n = len(longitudes)
    if n < 2:
        return [lon % 360.0 for lon in longitudes]
    order = sorted(range(n), key=lambda i: longitudes[i] % 360.0)
    values = [longitudes[i] % 360.0 for i in order]
    # Cut the circle at the widest empty arc so the problem becomes a line.
    gaps = [(values[(k + 1) % n] - values[k]) % 360.0 for k in range(n)]
    cut = max(range(n), key=lambda k: gaps[k])
    start = (cut + 1) % n
    line = [values[(start + k) % n] for k in range(n)]
    for k in range(1, n):
        while line[k] < line[k - 1]:
            line[k] += 360.0
    # Pool adjacent violators: merge neighbouring groups until every gap is wide enough.
    groups: list[list[int]] = []
    for k in range(n):
        groups.append([k])
        while len(groups) > 1:
            left, right = groups[-2], groups[-1]
            if _group_start(right, line, min_sep) - _group_end(left, line, min_sep) >= min_sep - 1e-9:
                break
            groups[-2:] = [left + right]
    placed = [0.0] * n
    for group in groups:
        first = _group_start(group, line, min_sep)
        for j, k in enumerate(group):
            placed[k] = first + j * min_sep
    result = [0.0] * n
    for k in range(n):
        result[order[(start + k) % n]] = placed[k] % 360.0
    return result


def _group_center(group: list[int], line: list[float]) -> float:
    """Mean true position of a group."""
    return sum(line[k] for k in group) / len(group)


def _group_start(group: list[int], line: list[float], sep: float) -> float:
    """Display position of a group's first member."""
    return _group_center(group, line) - (len(group) - 1) * sep / 2.0


def _group_end(group: list[int], line: list[float], sep: float) -> float:
    """Display position of a group's last member."""
    return _group_start(group, line, sep) + (len(group) - 1) * sep


class _Canvas:
    """Polar drawing helpers on a square image, angles given as ecliptic longitudes."""

    def __init__(self, image: Image.Image, rotation: float) -> None:
        self.image = image
        # "RGBA" mode blends translucent fills straight into the RGB image: no extra layer to composite.
        self.draw = ImageDraw.Draw(image, "RGBA")
        self.size = image.size[0]
        self.c = self.size / 2.0
        self.r = self.size / 2.0
        self.rotation = rotation

    def xy(self, longitude: float, radius: float) -> tuple[float, float]:
        """Pixel position of a longitude at a radius (fraction of the half size); the Asc sits on the left."""
        theta = math.radians(180.0 + longitude - self.rotation)
        return self.c + radius * self.r * math.cos(theta), self.c - radius * self.r * math.sin(theta)

    def px(self, fraction: float) -> float:
        """Pixels for a fraction of the half size."""
        return fraction * self.r

    def circle(self, radius: float, color: tuple[int, ...], width: float) -> None:
        """Circle outline centred in the image."""
        rr = radius * self.r
        self.draw.ellipse(
            (self.c - rr, self.c - rr, self.c + rr, self.c + rr), outline=color, width=max(1, round(width))
        )

    def ray(self, longitude: float, r1: float, r2: float, color: tuple[int, ...], width: float) -> None:
        """Radial segment at a longitude between two radii."""
        self.draw.line((self.xy(longitude, r1), self.xy(longitude, r2)), fill=color, width=max(1, round(width)))

    def text(self, longitude: float, radius: float, text: str, size: float, color: tuple[int, ...]) -> None:
        """Text centred on a polar position."""
        self.draw.text(self.xy(longitude, radius), text, font=_font(round(size)), fill=color, anchor="mm")

    def outward_text(self, longitude: float, radius: float, text: str, size: float, color: tuple[int, ...]) -> None:
        """Text just outside a radius, anchored so that it extends away from the centre."""
        x, y = self.xy(longitude, radius)
        dx, dy = x - self.c, y - self.c
        horizontal = "lm" if dx > 0 else "rm"
        vertical = "mt" if dy > 0 else "mb"
        anchor = horizontal if abs(dx) >= abs(dy) else vertical
        self.draw.text((x, y), text, font=_font(round(size)), fill=color, anchor=anchor)

    def annulus_sector(self, lon1: float, lon2: float, r1: float, r2: float, color: tuple[int, ...]) -> None:
        """Filled ring sector between two longitudes (counter-clockwise) and two radii."""
        steps = max(2, int(abs(lon2 - lon1) / 2.0))
        outer = [self.xy(lon1 + (lon2 - lon1) * i / steps, r2) for i in range(steps + 1)]
        inner = [self.xy(lon2 - (lon2 - lon1) * i / steps, r1) for i in range(steps + 1)]
        self.draw.polygon(outer + inner, fill=color)


def _with_alpha(color: tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
    """RGBA colour."""
    return color[0], color[1], color[2], alpha


def _draw_zodiac_fills(overlay: _Canvas) -> None:
    """Sign sectors tinted by element."""
    for i, sign in enumerate(SIGNS):
        color = ELEMENT_COLORS[SIGN_ELEMENT[sign]]
        overlay.annulus_sector(30.0 * i, 30.0 * (i + 1), R_ZODIAC_INNER, R_ZODIAC_OUTER, _with_alpha(color, 40))


def _draw_zodiac(canvas: _Canvas, unit: float) -> None:
    """Sign glyphs, sign boundaries, degree ticks and the ring's edges."""
    for i, sign in enumerate(SIGNS):
        canvas.ray(30.0 * i, R_ZODIAC_INNER, R_ZODIAC_OUTER, INK_FAINT, 1.2 * unit)
        canvas.text(30.0 * i + 15.0, R_SIGN_GLYPH, SIGN_GLYPHS[sign], 46 * unit, ELEMENT_COLORS[SIGN_ELEMENT[sign]])
    for degree in range(360):
        if degree % 30 == 0:
            continue
        length = 0.028 if degree % 10 == 0 else 0.018 if degree % 5 == 0 else 0.009
        canvas.ray(float(degree), R_ZODIAC_INNER, R_ZODIAC_INNER + length, INK_FAINT, 1.0 * unit)
    canvas.circle(R_ZODIAC_OUTER, INK_SOFT, 2.0 * unit)
    canvas.circle(R_ZODIAC_INNER, INK_SOFT, 2.0 * unit)


def _draw_house_fills(overlay: _Canvas, chart: Chart) -> None:
    """Alternating shades of the house-number ring."""
    cusps = chart.houses
    for i in range(12):
        start, end = cusps[i], cusps[(i + 1) % 12]
        shade = 30 if i % 2 == 0 else 14
        overlay.annulus_sector(
            start, start + (end - start) % 360.0, R_HOUSE_INNER, R_HOUSE_OUTER, (200, 205, 240, shade)
        )


def _draw_houses(canvas: _Canvas, chart: Chart, unit: float) -> None:
    """House numbers, cusp lines, and the four angles with labels."""
    cusps = chart.houses
    for i in range(12):
        start, end = cusps[i], cusps[(i + 1) % 12]
        middle = start + ((end - start) % 360.0) / 2.0
        canvas.text(middle, (R_HOUSE_INNER + R_HOUSE_OUTER) / 2.0, str(i + 1), 23 * unit, INK_SOFT)
        if i not in (0, 3, 6, 9):
            canvas.ray(start, R_HOUSE_INNER, R_ZODIAC_INNER, INK_FAINT, 1.3 * unit)
    canvas.circle(R_HOUSE_OUTER, INK_FAINT, 1.2 * unit)
    assert chart.asc is not None and chart.mc is not None
    angles = (
        (chart.asc, "ASC"),
        ((chart.asc + 180.0) % 360.0, "DSC"),
        (chart.mc, "MC"),
        ((chart.mc + 180.0) % 360.0, "IC"),
    )
    for longitude, label in angles:
        strong = label in ("ASC", "MC")
        color = INK if strong else INK_SOFT
        canvas.ray(longitude, R_HOUSE_INNER, R_ZODIAC_OUTER + 0.02, color, (3.2 if strong else 2.0) * unit)
        canvas.outward_text(longitude, R_ZODIAC_OUTER + 0.028, label, (23 if strong else 20) * unit, color)


def _draw_aspects(overlay: _Canvas, chart: Chart, radius: float, unit: float, uncertain: Collection[str] = ()) -> None:
    """Aspect chords inside the aspect circle, tighter orbs drawn stronger; none to an uncertain body."""
    for aspect in chart.aspects:
        if aspect.a in uncertain or aspect.b in uncertain:
            continue
        a, b = chart.points[aspect.a].longitude, chart.points[aspect.b].longitude
        strength = max(0.0, 1.0 - aspect.orb / 8.0)
        alpha = round(80 + 160 * strength)
        width = (1.2 + 2.2 * strength) * unit
        p1, p2 = overlay.xy(a, radius), overlay.xy(b, radius)
        overlay.draw.line((p1, p2), fill=_with_alpha(ASPECT_COLORS[aspect.kind], alpha), width=max(1, round(width)))


def _draw_planets(canvas: _Canvas, chart: Chart, radius: float, unit: float, uncertain: Collection[str] = ()) -> None:
    """Planet glyphs spread apart where crowded, each with a pointer to its true place, degree and minute.

    A body in `uncertain` (its sign changed during a birth day of unknown time) is drawn faint, with "?" for its
    degree: its place at local noon is a placeholder, not a position to read."""
    names = [name for name in PLANETS if name in chart.points]
    true_lons = [chart.points[name].longitude for name in names]
    shown = spread_longitudes(true_lons, MIN_SEPARATION_DEG)
    for name, lon, place in zip(names, true_lons, shown, strict=True):
        position = chart.points[name]
        unsure = name in uncertain
        color = INK_FAINT if unsure else POINT_COLORS.get(name, INK)
        retro = position.retrograde and name != "mean_node"
        canvas.ray(lon, R_ZODIAC_INNER - 0.024, R_ZODIAC_INNER, color, 3.0 * unit)
        canvas.draw.line(
            (canvas.xy(lon, R_ZODIAC_INNER - 0.024), canvas.xy(place, R_PLANET + 0.045)),
            fill=INK_FAINT,
            width=max(1, round(1.2 * unit)),
        )
        canvas.text(place, R_PLANET, PLANET_GLYPHS[name], 44 * unit, color)
        # Degree over minute as one upright block: radial stacking reads ambiguously inside clusters.
        x, y = canvas.xy(place, R_LABEL)
        if unsure:
            canvas.draw.text((x, y), "?", font=_font(round(22 * unit)), fill=INK_SOFT, anchor="mm")
            continue
        half_line = 10.5 * unit
        canvas.draw.text((x, y - half_line), f"{position.degree}°", font=_font(round(20 * unit)), fill=INK, anchor="mm")
        minute_text = f"{position.minute:02d}'" + (RETROGRADE_GLYPH if retro else "")
        minute_color = RETRO_RED if retro else INK_SOFT
        canvas.draw.text((x, y + half_line), minute_text, font=_font(round(16 * unit)), fill=minute_color, anchor="mm")
        canvas.draw.ellipse(_dot(canvas, lon, radius, 3.4 * unit), fill=color)


def _dot(canvas: _Canvas, longitude: float, radius: float, size: float) -> tuple[float, float, float, float]:
    """Bounding box of a small dot at a polar position."""
    x, y = canvas.xy(longitude, radius)
    return x - size, y - size, x + size, y + size


def _draw_caption(
    canvas: _Canvas,
    chart: Chart,
    no_time_note: str,
    house_system_label: str,
    unit: float,
    moment_label: str = "",
    place_label: str = "",
) -> None:
    """Moment, place (or the note that the birth time is unknown) and house system in the lower corners.

    The reader's words win when given (local birth time, the place's name); UTC and coordinates otherwise."""
    margin = 26 * unit
    small = _font(round(19 * unit))
    lat = f"{abs(chart.lat):.2f}°{'N' if chart.lat >= 0 else 'S'}"
    lon = f"{abs(chart.lon):.2f}°{'E' if chart.lon >= 0 else 'W'}"
    if chart.has_houses:
        moment = chart.utc.strftime("%Y-%m-%d %H:%M UTC")
        place = f"{lat}  {lon}"
    else:
        # Without a birth time the computed moment is only a placeholder, so it is not shown.
        moment = chart.utc.strftime("%Y-%m-%d")
        place = no_time_note
    moment = moment_label or moment
    if place_label:
        place = place_label if chart.has_houses else f"{place_label} · {no_time_note}" if no_time_note else place_label
    bottom = canvas.size - margin
    canvas.draw.text((margin, bottom), moment, font=small, fill=INK_SOFT, anchor="ld")
    canvas.draw.text((margin, bottom - 26 * unit), place, font=small, fill=INK_SOFT, anchor="ld")
    if chart.has_houses and house_system_label:
        canvas.draw.text((canvas.size - margin, bottom), house_system_label, font=small, fill=INK_SOFT, anchor="rd")


def render_wheel(
    chart: Chart,
    *,
    size: int = 1280,
    no_time_note: str = "",
    house_system_label: str = "",
    node_label: str = "",
    moment_label: str = "",
    place_label: str = "",
    uncertain: Collection[str] = (),
) -> bytes:
    """PNG bytes of the chart wheel (no houses, Asc or MC without a birth time) with the caption texts given.

    The texts are the reader's words (horoscopes.report translates them): the note shown instead of the place
    when the birth time is unknown, the house system's name, and which node the node glyph stands for.
    """
    big = size * SUPERSAMPLE
    unit = big / 1280.0
    rotation = chart.asc if chart.has_houses and chart.asc is not None else 0.0
    aspect_radius = R_HOUSE_INNER if chart.has_houses else R_HOUSE_OUTER

    base = _background(big).copy()
    canvas = _Canvas(base, rotation)
    _draw_zodiac_fills(canvas)
    if chart.has_houses:
        _draw_house_fills(canvas, chart)
    _draw_aspects(canvas, chart, aspect_radius, unit, uncertain)
    _draw_zodiac(canvas, unit)
    if chart.has_houses:
        _draw_houses(canvas, chart, unit)
    canvas.circle(aspect_radius, INK_FAINT, 1.4 * unit)
    _draw_planets(canvas, chart, aspect_radius, unit, uncertain)
    _draw_caption(canvas, chart, no_time_note, house_system_label, unit, moment_label, place_label)
    if node_label:
        small = _font(round(19 * unit))
        margin = 26 * unit
        canvas.draw.text(
            (canvas.size - margin, canvas.size - margin - 26 * unit), node_label, font=small, fill=INK_SOFT, anchor="rd"
        )

    # A 2x2 box average is exactly the anti-aliasing filter for 2x supersampling, and ten times faster.
    final = base.reduce(SUPERSAMPLE)
    buffer = io.BytesIO()
    final.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()
