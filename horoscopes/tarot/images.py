"""Tarot card faces and spread images, drawn locally with Pillow from simple vector shapes."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import pgettext_lazy
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .deck import SPREADS, Card, card_by_key
from .shuffle import DrawnCard

FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
FONT_REGULAR = "DejaVuSerif.ttf"
FONT_BOLD = "DejaVuSerif-Bold.ttf"
FONT_CONDENSED = "DejaVuSerifCondensed-Bold.ttf"

CARD_RATIO = 1.75
# Pillow's shapes are not anti-aliased, so art is drawn at this multiple and downscaled.
SUPERSAMPLE = 2
JPEG_QUALITY = 90

RGB = tuple[int, int, int]
Point = tuple[float, float]

BG_TOP: RGB = (26, 22, 70)
BG_BOTTOM: RGB = (58, 24, 88)
DEEP: RGB = (17, 13, 44)
GOLD: RGB = (216, 174, 86)
GOLD_LIGHT: RGB = (250, 226, 152)
GOLD_DARK: RGB = (128, 92, 36)
CREAM: RGB = (247, 239, 222)
LEAF: RGB = (168, 198, 112)
ELEMENT_GLOW: dict[str, RGB] = {
    "fire": (220, 100, 56),
    "water": (58, 128, 214),
    "air": (156, 182, 236),
    "earth": (90, 172, 108),
}
MUTED: RGB = (196, 186, 214)
SPREAD_TOP: RGB = (12, 10, 34)
SPREAD_BOTTOM: RGB = (36, 14, 56)

REVERSED_NOTE = pgettext_lazy("tarot card", "reversed")

_ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Roman numeral for 0..39, with 0 shown as "0" as on The Fool."""
    if number == 0:
        return "0"
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _card_height(width: int) -> int:
    """Card height for a card width."""
    return round(width * CARD_RATIO)


@lru_cache(maxsize=64)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A shipped TrueType font at a pixel size."""
    return ImageFont.truetype(str(FONT_DIR / name), size)


class _Pen:
    """Draws shapes in units of ``r`` pixels around a centre point."""

    def __init__(self, draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
        self.draw = draw
        self.cx = cx
        self.cy = cy
        self.r = r

    def pt(self, x: float, y: float) -> Point:
        """Pixel coordinates of a point in pen units."""
        return (self.cx + x * self.r, self.cy + y * self.r)

    def pts(self, points: Sequence[Point]) -> list[Point]:
        """Pixel coordinates of many points."""
        return [self.pt(x, y) for x, y in points]

    def px(self, k: float) -> int:
        """A line width in pixels, never below one."""
        return max(1, round(k * self.r))

    def box(self, x: float, y: float, rx: float, ry: float | None = None) -> tuple[float, float, float, float]:
        """Bounding box of an ellipse."""
        ry = rx if ry is None else ry
        x0, y0 = self.pt(x - rx, y - ry)
        x1, y1 = self.pt(x + rx, y + ry)
        return (x0, y0, x1, y1)

    def circle(
        self,
        x: float,
        y: float,
        rx: float,
        *,
        ry: float | None = None,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0.0,
    ) -> None:
        """A filled and/or outlined circle or ellipse."""
        self.draw.ellipse(self.box(x, y, rx, ry), fill=fill, outline=outline, width=self.px(width) if outline else 0)

    def poly(
        self,
        points: Sequence[Point],
        *,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0.0,
    ) -> None:
        """A polygon."""
        self.draw.polygon(self.pts(points), fill=fill, outline=outline, width=self.px(width) if outline else 0)

    def line(self, points: Sequence[Point], *, fill: RGB = GOLD, width: float = 0.04) -> None:
        """A polyline with rounded joints."""
        self.draw.line(self.pts(points), fill=fill, width=self.px(width), joint="curve")

    def arc(
        self,
        x: float,
        y: float,
        rx: float,
        start: float,
        end: float,
        *,
        ry: float | None = None,
        fill: RGB = GOLD,
        width: float = 0.04,
    ) -> None:
        """An arc; angles in degrees, clockwise from three o'clock."""
        self.draw.arc(self.box(x, y, rx, ry), start, end, fill=fill, width=self.px(width))

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0.0,
        radius: float = 0.0,
    ) -> None:
        """A rectangle, optionally with rounded corners."""
        a = self.pt(x0, y0)
        b = self.pt(x1, y1)
        self.draw.rounded_rectangle(
            (a[0], a[1], b[0], b[1]),
            radius=radius * self.r,
            fill=fill,
            outline=outline,
            width=self.px(width) if outline else 0,
        )


# ---------------------------------------------------------------------------------------------- geometry


def _star_points(x: float, y: float, r_out: float, r_in: float, n: int, rotation: float = -90.0) -> list[Point]:
    """Vertices of an n-pointed star."""
    points = []
    for i in range(2 * n):
        angle = math.radians(rotation + i * 180.0 / n)
        radius = r_out if i % 2 == 0 else r_in
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return points


def _ellipse_points(x: float, y: float, rx: float, ry: float, angle: float = 0.0, n: int = 28) -> list[Point]:
    """Vertices of a rotated ellipse."""
    cos_a, sin_a = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    points = []
    for i in range(n):
        t = 2 * math.pi * i / n
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        points.append((x + ex * cos_a - ey * sin_a, y + ex * sin_a + ey * cos_a))
    return points


def _lemniscate(x: float, y: float, a: float, n: int = 64) -> list[Point]:
    """Points of a lemniscate (the infinity sign) of half-width ``a``."""
    points = []
    for i in range(n + 1):
        t = 2 * math.pi * i / n
        d = 1 + math.sin(t) ** 2
        points.append((x + a * math.cos(t) / d, y + a * math.sin(t) * math.cos(t) / d))
    return points


def _crescent(x: float, y: float, r: float, thickness: float = 0.55, facing_left: bool = True) -> list[Point]:
    """A crescent: the outer half-circle and an inner half-ellipse back."""
    sign = -1 if facing_left else 1
    points = []
    for i in range(25):
        t = math.radians(-90 + 180 * i / 24)
        points.append((x + sign * r * math.cos(t), y + r * math.sin(t)))
    for i in range(25):
        t = math.radians(90 - 180 * i / 24)
        points.append((x + sign * r * (1 - thickness) * math.cos(t), y + r * math.sin(t)))
    return points


def _rays(pen: _Pen, x: float, y: float, r0: float, r1: float, n: int, *, width: float, fill: RGB) -> None:
    """Straight rays around a point."""
    for i in range(n):
        angle = 2 * math.pi * i / n
        c, s = math.cos(angle), math.sin(angle)
        pen.line([(x + r0 * c, y + r0 * s), (x + r1 * c, y + r1 * s)], fill=fill, width=width)


def _small_star(pen: _Pen, x: float, y: float, r: float, points: int = 5, fill: RGB = GOLD_LIGHT) -> None:
    """A small filled star."""
    pen.poly(_star_points(x, y, r, r * 0.45, points), fill=fill)


# ---------------------------------------------------------------------------------------------- suit symbols
# Each takes the centre and the total height in pen units.


def _wand(pen: _Pen, x: float, y: float, h: float) -> None:
    """A living staff with sprouting leaves."""
    top, bottom = y - h / 2, y + h / 2
    for lx, ly, ang in ((-0.09, 0.14, -35), (0.09, 0.25, 35), (-0.09, 0.43, -30), (0.09, 0.63, 30)):
        pen.poly(_ellipse_points(x + lx * h, top + ly * h, 0.085 * h, 0.034 * h, ang), fill=LEAF)
    pen.rect(
        x - 0.055 * h,
        top,
        x + 0.055 * h,
        bottom,
        fill=GOLD,
        outline=GOLD_DARK,
        width=0.02 * h,
        radius=0.05 * h,
    )
    for k in (0.32, 0.55, 0.78):
        pen.line(
            [(x - 0.04 * h, top + k * h), (x + 0.04 * h, top + (k + 0.03) * h)],
            fill=GOLD_DARK,
            width=0.014 * h,
        )


def _cup(pen: _Pen, x: float, y: float, h: float) -> None:
    """A goblet."""
    top = y - h / 2
    rim = top + 0.06 * h
    half = 0.31 * h
    bowl = [
        (x + half * math.cos(math.radians(a)), rim + 0.42 * h * math.sin(math.radians(a))) for a in range(0, 181, 10)
    ]
    pen.poly(bowl, fill=GOLD, outline=GOLD_DARK, width=0.02 * h)
    pen.arc(x, rim, half * 0.82, 20, 160, ry=0.3 * h, fill=GOLD_LIGHT, width=0.025 * h)
    pen.circle(x, rim, half, ry=0.055 * h, fill=GOLD_LIGHT, outline=GOLD_DARK, width=0.02 * h)
    pen.rect(
        x - 0.035 * h,
        rim + 0.4 * h,
        x + 0.035 * h,
        top + 0.9 * h,
        fill=GOLD,
        outline=GOLD_DARK,
        width=0.015 * h,
    )
    pen.circle(x, top + 0.66 * h, 0.07 * h, ry=0.04 * h, fill=GOLD_LIGHT, outline=GOLD_DARK, width=0.015 * h)
    pen.poly(
        [
            (x - 0.05 * h, top + 0.88 * h),
            (x + 0.05 * h, top + 0.88 * h),
            (x + 0.2 * h, top + 0.97 * h),
            (x - 0.2 * h, top + 0.97 * h),
        ],
        fill=GOLD,
    )
    pen.circle(x, top + 0.965 * h, 0.21 * h, ry=0.035 * h, fill=GOLD, outline=GOLD_DARK, width=0.015 * h)


def _sword(pen: _Pen, x: float, y: float, h: float) -> None:
    """A sword pointing up."""
    top, bottom = y - h / 2, y + h / 2
    guard = top + 0.7 * h
    bw = 0.055 * h
    pen.poly(
        [(x, top), (x + bw, top + 0.1 * h), (x + bw, guard), (x - bw, guard), (x - bw, top + 0.1 * h)],
        fill=CREAM,
        outline=GOLD_DARK,
        width=0.014 * h,
    )
    pen.line([(x, top + 0.08 * h), (x, guard - 0.02 * h)], fill=(170, 160, 150), width=0.012 * h)
    pen.rect(
        x - 0.2 * h,
        guard,
        x + 0.2 * h,
        guard + 0.05 * h,
        fill=GOLD,
        outline=GOLD_DARK,
        width=0.012 * h,
        radius=0.02 * h,
    )
    pen.circle(x - 0.2 * h, guard + 0.022 * h, 0.035 * h, fill=GOLD_LIGHT, outline=GOLD_DARK, width=0.01 * h)
    pen.circle(x + 0.2 * h, guard + 0.022 * h, 0.035 * h, fill=GOLD_LIGHT, outline=GOLD_DARK, width=0.01 * h)
    pen.rect(
        x - 0.036 * h,
        guard + 0.05 * h,
        x + 0.036 * h,
        bottom - 0.07 * h,
        fill=GOLD_DARK,
        outline=GOLD,
        width=0.01 * h,
    )
    pen.circle(x, bottom - 0.045 * h, 0.045 * h, fill=GOLD, outline=GOLD_DARK, width=0.012 * h)


def _pentacle(pen: _Pen, x: float, y: float, h: float) -> None:
    """A golden disc bearing a pentagram."""
    r = h / 2
    pen.circle(x, y, r, fill=GOLD, outline=GOLD_DARK, width=0.05 * r)
    pen.circle(x, y, r * 0.8, outline=GOLD_DARK, width=0.04 * r)
    pen.poly(_star_points(x, y, r * 0.72, r * 0.28, 5), fill=GOLD_LIGHT)
    tips = _star_points(x, y, r * 0.72, r * 0.28, 5)[::2]
    pen.line([tips[i % 5] for i in (0, 2, 4, 1, 3, 0)], fill=GOLD_DARK, width=0.05 * r)


SuitDrawer = Callable[[_Pen, float, float, float], None]
SUIT_DRAWERS: dict[str, tuple[SuitDrawer, float]] = {
    # drawer, width / height
    "wands": (_wand, 0.36),
    "cups": (_cup, 0.64),
    "swords": (_sword, 0.46),
    "pentacles": (_pentacle, 1.0),
}


def _suit_symbol(pen: _Pen, suit: str, x: float, y: float, h: float) -> None:
    """Draw a suit's symbol."""
    SUIT_DRAWERS[suit][0](pen, x, y, h)


# ---------------------------------------------------------------------------------------------- major arcana
# Each emblem is drawn around (0, 0) within roughly [-1, 1] x [-1.35, 1.35] pen units.


def _m_fool(p: _Pen) -> None:
    p.draw.chord(p.box(0, 0, 0.9), 30, 150, fill=GOLD_DARK)
    peaks = [
        (-0.78, 0.46),
        (-0.48, 0.02),
        (-0.3, 0.22),
        (0.02, -0.16),
        (0.36, 0.26),
        (0.54, 0.12),
        (0.78, 0.46),
    ]
    p.poly(peaks, fill=(96, 70, 120), outline=GOLD_DARK, width=0.02)
    for (x0, y0), (x1, y1), (x2, y2) in ((peaks[0], peaks[1], peaks[2]), (peaks[2], peaks[3], peaks[4])):
        p.poly(
            [
                (x1, y1),
                (x1 + (x2 - x1) * 0.3, y1 + (y2 - y1) * 0.3),
                (x1 + (x0 - x1) * 0.3, y1 + (y0 - y1) * 0.3),
            ],
            fill=CREAM,
        )
    p.circle(0, 0, 0.92, outline=GOLD, width=0.06)
    _rays(p, 0.4, -0.42, 0.2, 0.32, 12, width=0.03, fill=GOLD_LIGHT)
    p.circle(0.4, -0.42, 0.16, fill=GOLD_LIGHT)
    p.poly(_ellipse_points(-0.38, -0.42, 0.26, 0.07, -55), fill=(214, 84, 84))
    p.line([(-0.25, -0.2), (-0.52, -0.62)], fill=(250, 200, 190), width=0.02)
    for x, y in ((-0.62, -0.08), (0.14, -0.6), (0.66, 0.04)):
        _small_star(p, x, y, 0.05)
    for i in range(5):
        p.circle(-0.1 + 0.19 * i, 0.62 + 0.045 * i, 0.03, fill=GOLD_LIGHT)


def _m_magician(p: _Pen) -> None:
    p.line(_lemniscate(0, -1.02, 0.42), fill=GOLD_LIGHT, width=0.06)
    p.line([(0, -0.72), (0, 0.28)], fill=GOLD, width=0.08)
    p.circle(0, -0.74, 0.07, fill=CREAM)
    p.circle(0, 0.3, 0.07, fill=CREAM)
    p.rect(-0.98, 0.62, 0.98, 0.72, fill=GOLD, outline=GOLD_DARK, width=0.02)
    p.line([(-0.85, 0.72), (-0.85, 1.18)], fill=GOLD_DARK, width=0.05)
    p.line([(0.85, 0.72), (0.85, 1.18)], fill=GOLD_DARK, width=0.05)
    _cup(p, -0.72, 0.37, 0.48)
    _sword(p, -0.26, 0.31, 0.6)
    _pentacle(p, 0.3, 0.42, 0.38)
    _wand(p, 0.74, 0.33, 0.56)


def _m_high_priestess(p: _Pen) -> None:
    for x, fill in ((-0.68, DEEP), (0.68, CREAM)):
        p.rect(x - 0.14, -1.0, x + 0.14, 1.1, fill=fill, outline=GOLD, width=0.035)
        p.rect(x - 0.22, -1.16, x + 0.22, -1.0, fill=GOLD, outline=GOLD_DARK, width=0.02)
        p.rect(x - 0.22, 1.1, x + 0.22, 1.24, fill=GOLD, outline=GOLD_DARK, width=0.02)
    p.circle(0, -0.62, 0.2, fill=GOLD_LIGHT)
    p.poly(_crescent(-0.28, -0.62, 0.2, 0.5, facing_left=True), fill=GOLD_LIGHT)
    p.poly(_crescent(0.28, -0.62, 0.2, 0.5, facing_left=False), fill=GOLD_LIGHT)
    p.rect(-0.3, -0.2, 0.3, 0.5, fill=CREAM, outline=GOLD, width=0.03, radius=0.05)
    for k in (-0.05, 0.1, 0.25):
        p.line([(-0.2, k), (0.2, k)], fill=GOLD_DARK, width=0.025)
    p.poly(_crescent(0, 0.88, 0.24, 0.55, facing_left=True), fill=GOLD_LIGHT)


def _m_empress(p: _Pen) -> None:
    p.circle(0, -0.1, 0.42, outline=GOLD, width=0.1)
    p.line([(0, 0.32), (0, 1.05)], fill=GOLD, width=0.1)
    p.line([(-0.3, 0.68), (0.3, 0.68)], fill=GOLD, width=0.1)
    for i in range(12):
        angle = math.radians(180 + 180 * i / 11)
        _small_star(p, 0.78 * math.cos(angle), -0.1 + 0.78 * math.sin(angle), 0.075)
    p.poly(_star_points(0, -0.1, 0.14, 0.06, 6), fill=GOLD_LIGHT)


def _m_emperor(p: _Pen) -> None:
    p.rect(-0.62, -0.1, 0.62, 1.05, fill=DEEP, outline=GOLD, width=0.06, radius=0.04)
    p.rect(-0.42, 0.1, 0.42, 0.85, outline=GOLD_DARK, width=0.03)
    p.arc(-0.62, -0.1, 0.22, 90, 360, fill=GOLD_LIGHT, width=0.07)
    p.arc(0.62, -0.1, 0.22, 180, 450, fill=GOLD_LIGHT, width=0.07)
    p.arc(-0.24, -0.78, 0.24, 180, 360, fill=GOLD_LIGHT, width=0.08)
    p.arc(0.24, -0.78, 0.24, 180, 360, fill=GOLD_LIGHT, width=0.08)
    p.line([(0, -0.78), (0, -0.28)], fill=GOLD_LIGHT, width=0.08)
    p.circle(0, 0.47, 0.16, fill=GOLD)
    p.line([(0, 0.18), (0, 0.3)], fill=GOLD, width=0.05)
    p.line([(-0.07, 0.24), (0.07, 0.24)], fill=GOLD, width=0.05)


def _m_hierophant(p: _Pen) -> None:
    p.line([(0, -1.2), (0, 0.55)], fill=GOLD, width=0.08)
    for y, half in ((-0.95, 0.2), (-0.72, 0.32), (-0.49, 0.44)):
        p.line([(-half, y), (half, y)], fill=GOLD, width=0.08)
    p.circle(0, -1.22, 0.07, fill=GOLD_LIGHT)
    for sign in (-1, 1):
        a, b = (sign * -0.62, 0.35), (sign * 0.5, 1.05)
        p.line([a, b], fill=GOLD_LIGHT, width=0.07)
        p.circle(a[0], a[1], 0.13, outline=GOLD_LIGHT, width=0.06)
        p.line([(b[0] - sign * 0.05, b[1] - 0.08), (b[0] + sign * 0.1, b[1] - 0.22)], fill=GOLD_LIGHT, width=0.06)
        p.line([(b[0] - sign * 0.14, b[1] - 0.22), (b[0] - sign * 0.0, b[1] - 0.4)], fill=GOLD_LIGHT, width=0.06)


def _m_lovers(p: _Pen) -> None:
    _rays(p, 0, -0.78, 0.2, 0.42, 16, width=0.03, fill=GOLD_DARK)
    p.circle(0, -0.78, 0.18, fill=GOLD_LIGHT)
    p.circle(-0.3, 0.35, 0.45, outline=GOLD, width=0.08)
    p.circle(0.3, 0.35, 0.45, outline=GOLD_LIGHT, width=0.08)
    p.arc(-0.3, 0.35, 0.45, -60, 60, fill=GOLD, width=0.08)


def _m_chariot(p: _Pen) -> None:
    p.arc(0, -0.5, 0.85, 180, 360, ry=0.5, fill=GOLD, width=0.06)
    for x in (-0.75, -0.4, 0.0, 0.4, 0.75):
        _small_star(p, x, -0.78 if abs(x) < 0.5 else -0.62, 0.06, 6)
    for x in (-0.7, 0.7):
        p.line([(x, -0.5), (x, 0.05)], fill=GOLD_DARK, width=0.05)
    p.line([(-0.85, -0.5), (0.85, -0.5)], fill=GOLD, width=0.05)
    p.rect(-0.78, 0.0, 0.78, 0.62, fill=DEEP, outline=GOLD, width=0.06, radius=0.05)
    p.circle(0, 0.31, 0.18, outline=GOLD_LIGHT, width=0.05)
    p.circle(0, 0.31, 0.05, fill=GOLD_LIGHT)
    for x in (-0.62, 0.62):
        p.circle(x, 0.86, 0.28, fill=DEEP, outline=GOLD, width=0.06)
        _rays(p, x, 0.86, 0.0, 0.26, 8, width=0.03, fill=GOLD_DARK)
        p.circle(x, 0.86, 0.06, fill=GOLD)


def _m_strength(p: _Pen) -> None:
    p.line(_lemniscate(0, -0.98, 0.42), fill=GOLD_LIGHT, width=0.06)
    for i in range(14):
        angle = 2 * math.pi * i / 14
        x, y = 0.68 * math.cos(angle), 0.25 + 0.68 * math.sin(angle)
        p.circle(x, y, 0.09, fill=LEAF if i % 2 else (236, 160, 168))
        p.circle(x, y, 0.035, fill=GOLD_LIGHT)
    heart = [(0.0, 0.62)]
    for i in range(41):
        t = math.pi * i / 20
        hx = 0.36 * math.sin(t) ** 3
        hy = -(0.3 * math.cos(t) - 0.12 * math.cos(2 * t) - 0.05 * math.cos(3 * t) - 0.02 * math.cos(4 * t))
        heart.append((hx, 0.2 + hy))
    p.poly(heart, fill=GOLD, outline=GOLD_LIGHT, width=0.03)


def _m_hermit(p: _Pen) -> None:
    p.line([(0.62, -0.95), (0.42, 1.2)], fill=GOLD_DARK, width=0.07)
    p.line([(-0.12, -0.85), (-0.12, -0.55)], fill=GOLD, width=0.04)
    p.circle(-0.12, -0.92, 0.08, outline=GOLD, width=0.03)
    _rays(p, -0.12, 0.05, 0.5, 0.72, 12, width=0.03, fill=GOLD_DARK)
    body = [(-0.42, -0.35), (0.18, -0.35), (0.28, 0.45), (-0.52, 0.45)]
    p.poly(
        [(-0.32, -0.55), (0.08, -0.55), (0.18, -0.35), (-0.42, -0.35)],
        fill=GOLD,
        outline=GOLD_DARK,
        width=0.02,
    )
    p.poly(body, fill=DEEP, outline=GOLD, width=0.05)
    p.poly(_star_points(-0.12, 0.05, 0.3, 0.17, 6, rotation=-90), fill=GOLD_LIGHT)
    p.rect(-0.56, 0.45, 0.32, 0.58, fill=GOLD, outline=GOLD_DARK, width=0.02)


def _m_wheel(p: _Pen) -> None:
    p.circle(0, 0, 0.92, fill=DEEP, outline=GOLD, width=0.07)
    p.circle(0, 0, 0.66, outline=GOLD, width=0.04)
    _rays(p, 0, 0, 0.14, 0.66, 8, width=0.045, fill=GOLD)
    p.circle(0, 0, 0.16, fill=GOLD_LIGHT, outline=GOLD_DARK, width=0.02)
    for i in range(4):
        angle = math.pi / 2 * i + math.pi / 4
        _small_star(p, 0.79 * math.cos(angle), 0.79 * math.sin(angle), 0.08, 4)
    for i in range(4):
        angle = math.pi / 2 * i
        p.circle(0.79 * math.cos(angle), 0.79 * math.sin(angle), 0.05, fill=GOLD_LIGHT)
    for x, y in ((-0.85, -1.12), (0.85, -1.12), (-0.85, 1.12), (0.85, 1.12)):
        _small_star(p, x, y, 0.1, 5, fill=GOLD)


def _m_justice(p: _Pen) -> None:
    _sword(p, 0, -0.1, 2.2)
    p.line([(-0.8, -0.42), (0.8, -0.42)], fill=GOLD, width=0.06)
    for x in (-0.8, 0.8):
        p.line([(x, -0.42), (x - 0.26, 0.28)], fill=GOLD_DARK, width=0.025)
        p.line([(x, -0.42), (x + 0.26, 0.28)], fill=GOLD_DARK, width=0.025)
        p.poly(
            [(x - 0.3, 0.28), (x + 0.3, 0.28), (x + 0.18, 0.42), (x - 0.18, 0.42)],
            fill=GOLD,
            outline=GOLD_DARK,
            width=0.02,
        )
    p.rect(-0.45, 1.08, 0.45, 1.2, fill=GOLD, outline=GOLD_DARK, width=0.02)


def _m_hanged_man(p: _Pen) -> None:
    p.line([(-0.7, 1.2), (-0.7, -0.92), (0.7, -0.92), (0.7, 1.2)], fill=GOLD_DARK, width=0.1)
    for x in (-0.7, 0.7):
        p.poly(_ellipse_points(x + (0.12 if x < 0 else -0.12), -0.6, 0.1, 0.04, 30 if x < 0 else -30), fill=LEAF)
    p.line([(0, -0.92), (0, -0.7)], fill=GOLD, width=0.035)
    p.line([(0, -0.7), (0, 0.06)], fill=GOLD_LIGHT, width=0.09)
    p.line([(-0.24, -0.34), (0.24, -0.34)], fill=GOLD_LIGHT, width=0.09)
    p.poly([(-0.42, 0.05), (0.42, 0.05), (0, 0.7)], fill=GOLD, outline=GOLD_LIGHT, width=0.03)
    _rays(p, 0, 0.88, 0.21, 0.38, 16, width=0.025, fill=GOLD_LIGHT)
    p.circle(0, 0.88, 0.16, fill=GOLD_LIGHT)


def _m_death(p: _Pen) -> None:
    p.line([(-1.0, 0.95), (1.0, 0.95)], fill=GOLD_DARK, width=0.03)
    p.rect(-0.92, 0.55, -0.72, 0.95, fill=GOLD_DARK)
    p.rect(0.72, 0.55, 0.92, 0.95, fill=GOLD_DARK)
    p.arc(0, 0.95, 0.3, 180, 360, fill=GOLD, width=0.05)
    for i in range(1, 8):
        angle = math.pi + math.pi * i / 8
        c, s = math.cos(angle), math.sin(angle)
        p.line([(0.36 * c, 0.95 + 0.36 * s), (0.5 * c, 0.95 + 0.5 * s)], fill=GOLD_DARK, width=0.02)
    for i in range(5):
        angle = math.radians(-90 + 72 * i + 36)
        p.poly(
            _ellipse_points(0.58 * math.cos(angle), -0.25 + 0.58 * math.sin(angle), 0.2, 0.07, math.degrees(angle)),
            fill=LEAF,
        )
    for i in range(5):
        angle = math.radians(-90 + 72 * i)
        p.circle(0.28 * math.cos(angle), -0.25 + 0.28 * math.sin(angle), 0.3, fill=CREAM, outline=GOLD, width=0.03)
    p.circle(0, -0.25, 0.2, fill=CREAM, outline=GOLD, width=0.03)
    p.circle(0, -0.25, 0.09, fill=GOLD)


def _m_temperance(p: _Pen) -> None:
    p.rect(-0.2, -1.15, 0.2, -0.75, outline=GOLD, width=0.04)
    p.poly([(0, -1.08), (0.14, -0.82), (-0.14, -0.82)], fill=GOLD_LIGHT)
    _cup(p, -0.52, -0.12, 0.7)
    _cup(p, 0.52, 0.72, 0.7)
    for i in range(9):
        t = (i + 1) / 10
        x = -0.32 + 0.72 * t
        y = -0.42 + 1.05 * t**1.6
        p.circle(x, y, 0.045, fill=(150, 196, 240))
    p.line([(-1.0, 1.2), (1.0, 1.2)], fill=(90, 140, 200), width=0.04)


def _m_devil(p: _Pen) -> None:
    tips = _star_points(0, -0.35, 0.6, 0.23, 5, rotation=90)[::2]
    p.line([tips[i % 5] for i in (0, 2, 4, 1, 3, 0)], fill=GOLD, width=0.06)
    p.circle(0, -0.35, 0.66, outline=GOLD_DARK, width=0.035)
    p.rect(-0.6, 0.45, 0.6, 0.62, fill=GOLD_DARK, outline=GOLD, width=0.03)
    for x in (-0.35, 0.35):
        for k in range(4):
            y = 0.7 + k * 0.16
            if k % 2 == 0:
                p.circle(x, y, 0.06, ry=0.1, outline=GOLD, width=0.035)
            else:
                p.circle(x, y, 0.03, ry=0.1, outline=GOLD_LIGHT, width=0.03)


def _m_tower(p: _Pen) -> None:
    p.rect(-0.3, -0.5, 0.3, 1.2, fill=DEEP, outline=GOLD, width=0.05)
    for y in (-0.2, 0.25, 0.7):
        p.rect(-0.07, y, 0.07, y + 0.2, fill=GOLD_LIGHT, radius=0.06)
    p.line(
        [(-0.3, -0.5), (-0.2, -0.62), (-0.08, -0.5), (0.05, -0.66), (0.18, -0.52), (0.3, -0.5)],
        fill=GOLD,
        width=0.04,
    )
    local = [
        (-0.28, 0.1),
        (-0.32, -0.16),
        (-0.15, -0.02),
        (0.0, -0.22),
        (0.15, -0.02),
        (0.32, -0.16),
        (0.28, 0.1),
    ]
    tilt = math.radians(28)
    crown = [
        (0.52 + x * math.cos(tilt) - y * math.sin(tilt), -0.86 + x * math.sin(tilt) + y * math.cos(tilt))
        for x, y in local
    ]
    p.poly(crown, fill=GOLD, outline=GOLD_DARK, width=0.025)
    bolt = [(-0.95, -1.3), (-0.45, -0.95), (-0.62, -0.9), (-0.12, -0.56), (-0.72, -0.78), (-0.55, -0.84)]
    p.poly(bolt, fill=GOLD_LIGHT, outline=(255, 250, 220), width=0.02)
    for x, y in ((-0.7, -0.2), (0.65, -0.15), (-0.62, 0.4), (0.7, 0.45), (-0.8, 0.95), (0.62, 1.0)):
        p.poly([(x, y - 0.1), (x + 0.05, y + 0.03), (x - 0.05, y + 0.03)], fill=GOLD)
        p.circle(x, y + 0.03, 0.05, fill=GOLD)


def _m_star(p: _Pen) -> None:
    p.poly(_star_points(0, -0.35, 0.68, 0.22, 8), fill=GOLD_LIGHT, outline=GOLD, width=0.02)
    p.poly(_star_points(0, -0.35, 0.4, 0.14, 8, rotation=-67.5), fill=GOLD)
    for i in range(7):
        angle = math.radians(150 + 40 * i)
        _small_star(p, 0.9 * math.cos(angle), -0.35 + 0.9 * math.sin(angle), 0.1, 8)
    for k in range(3):
        y = 0.82 + k * 0.14
        pts = [(-0.9 + 1.8 * i / 24, y + 0.04 * math.sin(i * 1.2 + k)) for i in range(25)]
        p.line(pts, fill=(110, 160, 220), width=0.03)


def _m_moon(p: _Pen) -> None:
    p.circle(0, -0.45, 0.6, fill=DEEP, outline=GOLD, width=0.04)
    p.poly(_crescent(0.02, -0.45, 0.52, 0.62, facing_left=True), fill=GOLD_LIGHT)
    _rays(p, 0, -0.45, 0.68, 0.8, 24, width=0.025, fill=GOLD_DARK)
    for x, y in ((-0.42, 0.4), (-0.15, 0.5), (0.12, 0.42), (0.38, 0.52)):
        p.poly([(x, y - 0.1), (x + 0.05, y + 0.03), (x - 0.05, y + 0.03)], fill=GOLD)
        p.circle(x, y + 0.03, 0.05, fill=GOLD)
    p.rect(-0.95, 0.62, -0.72, 1.1, fill=GOLD_DARK)
    p.rect(0.72, 0.62, 0.95, 1.1, fill=GOLD_DARK)
    path = [(0.08 * math.sin(i * 0.9), 0.72 + 0.5 * i / 10) for i in range(11)]
    p.line(path, fill=GOLD, width=0.035)
    p.line([(-1.0, 1.2), (1.0, 1.2)], fill=(90, 140, 200), width=0.04)


def _m_sun(p: _Pen) -> None:
    for i in range(16):
        angle = 2 * math.pi * i / 16 - math.pi / 2
        c, s = math.cos(angle), math.sin(angle)
        if i % 2 == 0:
            base = 0.1
            p.poly(
                [
                    (0.52 * c - base * s, 0.52 * s + base * c),
                    (0.98 * c, 0.98 * s),
                    (0.52 * c + base * s, 0.52 * s - base * c),
                ],
                fill=GOLD,
            )
        else:
            wave = []
            for k in range(13):
                t = k / 12
                rad = 0.52 + 0.36 * t
                off = 0.05 * math.sin(t * 3 * math.pi)
                wave.append((rad * c - off * s, rad * s + off * c))
            p.line(wave, fill=GOLD_LIGHT, width=0.035)
    p.circle(0, 0, 0.5, fill=GOLD_LIGHT, outline=GOLD, width=0.05)
    p.circle(0, 0, 0.36, outline=GOLD, width=0.025)
    p.circle(0, 0, 0.1, fill=GOLD)
    for x in (-0.7, -0.35, 0.0, 0.35, 0.7):
        p.circle(x, 1.16, 0.1, fill=(236, 150, 70))
        p.line([(x, 1.0), (x, 1.3)], fill=LEAF, width=0.03)


def _m_judgement(p: _Pen) -> None:
    _rays(p, -0.55, -1.1, 0.25, 0.6, 16, width=0.025, fill=GOLD_DARK)
    for x, y, r in ((-0.78, -1.08, 0.18), (-0.55, -1.16, 0.22), (-0.3, -1.1, 0.17)):
        p.circle(x, y, r, fill=CREAM)
    ax, ay, bx, by = -0.42, -0.98, 0.62, -0.42
    length = math.hypot(bx - ax, by - ay)
    nx, ny = -(by - ay) / length, (bx - ax) / length
    cx, cy = ax + 0.78 * (bx - ax), ay + 0.78 * (by - ay)
    fx, fy = ax + 0.42 * (bx - ax), ay + 0.42 * (by - ay)
    p.rect(fx - 0.2, fy + 0.05, fx + 0.2, fy + 0.44, fill=CREAM, outline=GOLD, width=0.02)
    p.line([(fx, fy + 0.08), (fx, fy + 0.41)], fill=(200, 60, 60), width=0.07)
    p.line([(fx - 0.17, fy + 0.245), (fx + 0.17, fy + 0.245)], fill=(200, 60, 60), width=0.07)
    p.poly(
        [
            (ax + 0.03 * nx, ay + 0.03 * ny),
            (cx + 0.05 * nx, cy + 0.05 * ny),
            (bx + 0.2 * nx, by + 0.2 * ny),
            (bx - 0.2 * nx, by - 0.2 * ny),
            (cx - 0.05 * nx, cy - 0.05 * ny),
            (ax - 0.03 * nx, ay - 0.03 * ny),
        ],
        fill=GOLD,
        outline=GOLD_DARK,
        width=0.02,
    )
    p.rect(-0.8, 0.72, 0.8, 1.05, fill=DEEP, outline=GOLD, width=0.04)
    for x in (-0.45, 0.0, 0.45):
        p.line([(x, 0.72), (x, 0.42)], fill=GOLD_LIGHT, width=0.12)
        p.circle(x, 0.3, 0.13, fill=GOLD_LIGHT)
        p.line([(x - 0.12, 0.38), (x - 0.22, 0.12)], fill=GOLD_LIGHT, width=0.05)
        p.line([(x + 0.12, 0.38), (x + 0.22, 0.12)], fill=GOLD_LIGHT, width=0.05)
    p.line([(-1.0, 1.2), (1.0, 1.2)], fill=(90, 140, 200), width=0.04)


def _m_world(p: _Pen) -> None:
    leaves = 26
    for i in range(leaves):
        t = 2 * math.pi * i / leaves
        x, y = 0.56 * math.cos(t), 0.86 * math.sin(t)
        tangent = math.degrees(math.atan2(0.86 * math.cos(t), -0.56 * math.sin(t)))
        p.poly(_ellipse_points(x, y, 0.11, 0.05, tangent), fill=LEAF if i % 2 else (136, 176, 96))
    p.circle(0, 0, 0.56, ry=0.86, outline=GOLD_DARK, width=0.025)
    for y in (-0.86, 0.86):
        p.line(_lemniscate(0, y, 0.22), fill=(206, 70, 80), width=0.05)
    p.poly(_star_points(0, 0, 0.2, 0.08, 4), fill=GOLD_LIGHT)
    corners = (
        (-0.86, -1.1, True, False),
        (0.86, -1.1, True, True),
        (-0.86, 1.1, False, True),
        (0.86, 1.1, False, False),
    )
    for x, y, up, bar in corners:
        tri = (
            [(x, y - 0.15), (x + 0.16, y + 0.12), (x - 0.16, y + 0.12)]
            if up
            else [(x, y + 0.15), (x + 0.16, y - 0.12), (x - 0.16, y - 0.12)]
        )
        p.poly(tri, outline=GOLD, width=0.035)
        if bar:
            p.line([(x - 0.13, y), (x + 0.13, y)], fill=GOLD, width=0.035)


MAJOR_EMBLEMS: tuple[Callable[[_Pen], None], ...] = (
    _m_fool,
    _m_magician,
    _m_high_priestess,
    _m_empress,
    _m_emperor,
    _m_hierophant,
    _m_lovers,
    _m_chariot,
    _m_strength,
    _m_hermit,
    _m_wheel,
    _m_justice,
    _m_hanged_man,
    _m_death,
    _m_temperance,
    _m_devil,
    _m_tower,
    _m_star,
    _m_moon,
    _m_sun,
    _m_judgement,
    _m_world,
)

# ---------------------------------------------------------------------------------------------- minor arcana

# Pip positions as fractions of the emblem area, plus the rows and columns that size each pip.
PIP_LAYOUTS: dict[int, tuple[tuple[Point, ...], float, float]] = {
    2: (((0.5, 0.25), (0.5, 0.75)), 2.2, 1.0),
    3: (((0.5, 0.17), (0.5, 0.5), (0.5, 0.83)), 3.0, 1.0),
    4: (((0.28, 0.25), (0.72, 0.25), (0.28, 0.75), (0.72, 0.75)), 2.2, 2.0),
    5: (((0.26, 0.18), (0.74, 0.18), (0.5, 0.5), (0.26, 0.82), (0.74, 0.82)), 3.0, 2.2),
    6: (((0.28, 0.17), (0.72, 0.17), (0.28, 0.5), (0.72, 0.5), (0.28, 0.83), (0.72, 0.83)), 3.0, 2.0),
    7: (
        ((0.25, 0.14), (0.75, 0.14), (0.5, 0.32), (0.25, 0.5), (0.75, 0.5), (0.25, 0.86), (0.75, 0.86)),
        3.9,
        2.4,
    ),
    8: (
        (
            (0.25, 0.14),
            (0.75, 0.14),
            (0.5, 0.32),
            (0.25, 0.5),
            (0.75, 0.5),
            (0.5, 0.68),
            (0.25, 0.86),
            (0.75, 0.86),
        ),
        3.9,
        2.4,
    ),
    9: (
        (
            (0.23, 0.12),
            (0.77, 0.12),
            (0.23, 0.37),
            (0.77, 0.37),
            (0.5, 0.5),
            (0.23, 0.63),
            (0.77, 0.63),
            (0.23, 0.88),
            (0.77, 0.88),
        ),
        4.0,
        2.7,
    ),
    10: (
        (
            (0.23, 0.12),
            (0.77, 0.12),
            (0.5, 0.245),
            (0.23, 0.37),
            (0.77, 0.37),
            (0.23, 0.63),
            (0.77, 0.63),
            (0.5, 0.755),
            (0.23, 0.88),
            (0.77, 0.88),
        ),
        4.0,
        2.7,
    ),
}

# Emblem area of a card in card-width units (the card is 1 wide and CARD_RATIO tall).
AREA = (0.12, 0.31, 0.88, 1.39)


def _pip_height(suit: str, rows: float, cols: float) -> float:
    """The height of one pip so that it fits its cell."""
    x0, y0, x1, y1 = AREA
    aspect = SUIT_DRAWERS[suit][1]
    # Thin symbols may use more of their row: they leave plenty of air beside them.
    fill = 0.97 if aspect < 0.5 else 0.86
    return min((y1 - y0) / rows * fill, (x1 - x0) / cols * 0.86 / aspect, 0.5)


def _draw_pips(pen: _Pen, suit: str, count: int) -> None:
    """Pips for the cards two to ten."""
    positions, rows, cols = PIP_LAYOUTS[count]
    h = _pip_height(suit, rows, cols)
    x0, y0, x1, y1 = AREA
    for fx, fy in positions:
        _suit_symbol(pen, suit, x0 + fx * (x1 - x0), y0 + fy * (y1 - y0), h)


def _draw_ace(pen: _Pen, suit: str) -> None:
    """One large symbol in a halo."""
    cx, cy = 0.5, (AREA[1] + AREA[3]) / 2
    for i in range(32):
        angle = 2 * math.pi * i / 32
        r1 = 0.42 if i % 2 == 0 else 0.34
        c, s = math.cos(angle), math.sin(angle)
        pen.line([(cx + 0.16 * c, cy + 0.16 * s), (cx + r1 * c, cy + r1 * s)], fill=GOLD_DARK, width=0.006)
    pen.circle(cx, cy, 0.3, outline=GOLD_DARK, width=0.006)
    aspect = SUIT_DRAWERS[suit][1]
    h = min(0.78, 0.52 / aspect)
    _suit_symbol(pen, suit, cx, cy, h)


def _draw_crown(pen: _Pen, rank: int, x: float, y: float, w: float) -> None:
    """A headpiece that tells page, knight, queen and king apart."""
    band_top, band_bottom = y, y + w * 0.16
    if rank == 11:
        pen.poly(_ellipse_points(x + w * 0.26, band_top - w * 0.34, w * 0.26, w * 0.07, -55), fill=LEAF)
        dome = [
            (
                x + w * 0.32 * math.cos(math.radians(a)),
                band_top + w * 0.04 + w * 0.3 * math.sin(math.radians(a)),
            )
            for a in range(180, 361, 12)
        ]
        pen.poly(dome, fill=GOLD, outline=GOLD_DARK, width=w * 0.03)
        pen.rect(
            x - w * 0.36,
            band_top,
            x + w * 0.36,
            band_bottom,
            fill=GOLD_LIGHT,
            outline=GOLD_DARK,
            width=w * 0.025,
            radius=w * 0.04,
        )
        pen.circle(x, (band_top + band_bottom) / 2, w * 0.045, fill=(70, 130, 210))
        return
    if rank == 12:
        helmet = [
            (x - w * 0.32, band_bottom),
            (x - w * 0.32, band_top - w * 0.1),
            (x - w * 0.2, band_top - w * 0.3),
            (x, band_top - w * 0.38),
            (x + w * 0.2, band_top - w * 0.3),
            (x + w * 0.32, band_top - w * 0.1),
            (x + w * 0.32, band_bottom),
        ]
        pen.poly(helmet, fill=GOLD, outline=GOLD_DARK, width=w * 0.03)
        pen.line([(x - w * 0.22, band_top), (x + w * 0.22, band_top)], fill=DEEP, width=w * 0.05)
        pen.poly(_ellipse_points(x + w * 0.12, band_top - w * 0.5, w * 0.24, w * 0.07, -30), fill=(210, 80, 80))
        return
    points = 3 if rank == 13 else 5
    spikes = [(x - w * 0.42, band_bottom)]
    for i in range(points * 2 + 1):
        fx = -0.42 + 0.84 * i / (points * 2)
        tall = i % 2 == 1
        spikes.append((x + w * fx, band_top - (w * 0.34 if tall else w * 0.08)))
    spikes.append((x + w * 0.42, band_bottom))
    pen.poly(spikes, fill=GOLD, outline=GOLD_DARK, width=w * 0.03)
    pen.rect(x - w * 0.42, band_top, x + w * 0.42, band_bottom, fill=GOLD_LIGHT, outline=GOLD_DARK, width=w * 0.025)
    for i in range(points):
        fx = -0.42 + 0.84 * (2 * i + 1) / (points * 2)
        pen.circle(x + w * fx, band_top - w * 0.36, w * 0.045, fill=CREAM if rank == 13 else GOLD_LIGHT)
    for fx in (-0.25, 0.0, 0.25):
        pen.circle(x + w * fx, (band_top + band_bottom) / 2, w * 0.035, fill=(200, 70, 90))
    if rank == 14:
        pen.line([(x, band_top - w * 0.42), (x, band_top - w * 0.62)], fill=GOLD_LIGHT, width=w * 0.05)
        pen.line(
            [(x - w * 0.08, band_top - w * 0.54), (x + w * 0.08, band_top - w * 0.54)],
            fill=GOLD_LIGHT,
            width=w * 0.05,
        )


def _draw_court(pen: _Pen, suit: str, rank: int) -> None:
    """A headpiece over the suit's symbol."""
    _draw_crown(pen, rank, 0.5, AREA[1] + 0.17, 0.4)
    aspect = SUIT_DRAWERS[suit][1]
    h = min(0.74, 0.46 / aspect)
    _suit_symbol(pen, suit, 0.5, AREA[1] + 0.33 + (AREA[3] - AREA[1] - 0.33) / 2, h)


# ---------------------------------------------------------------------------------------------- card faces


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """An RGB image fading from one colour at the top to another at the bottom."""
    width, height = size
    column = Image.new("RGB", (1, height))
    span = max(1, height - 1)
    column.putdata(
        [tuple(round(a + (b - a) * y / span) for a, b in zip(top, bottom, strict=True)) for y in range(height)]
    )
    # Stretching a single column sideways is far cheaper than blending two full-size images.
    return column.resize((width, height), Image.Resampling.NEAREST)


def _sprinkle_stars(image: Image.Image, count: int, seed: int, scale: float) -> None:
    """Faint fixed stars on a background."""
    rng = random.Random(seed)  # noqa: S311 - decoration only; a fixed seed keeps every render identical
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for _ in range(count):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.6, 1.8) * scale
        tone = rng.randint(110, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(tone, tone, min(255, tone + 40)))


@lru_cache(maxsize=8)
def _blank_card(width: int) -> Image.Image:
    """The shared supersampled card background: gradient, stars, frame, cartouche and banner."""
    s = width * SUPERSAMPLE
    size = (s, _card_height(width) * SUPERSAMPLE)
    image = _vertical_gradient(size, BG_TOP, BG_BOTTOM)
    _sprinkle_stars(image, 70, 7, s / 400)
    pen = _Pen(ImageDraw.Draw(image), 0, 0, s)
    height = CARD_RATIO
    pen.rect(0.035, 0.035, 0.965, height - 0.035, outline=GOLD, width=0.012, radius=0.035)
    pen.rect(0.058, 0.058, 0.942, height - 0.058, outline=GOLD_DARK, width=0.004, radius=0.02)
    for x, y in ((0.09, 0.09), (0.91, 0.09), (0.09, height - 0.09), (0.91, height - 0.09)):
        pen.poly(_star_points(x, y, 0.022, 0.007, 4), fill=GOLD)
    for x0, x1 in ((0.1, 0.33), (0.67, 0.9)):
        pen.line([(x0, 0.15), (x1, 0.15)], fill=GOLD_DARK, width=0.004)
    pen.poly(_star_points(0.1, 0.15, 0.014, 0.005, 4), fill=GOLD_DARK)
    pen.poly(_star_points(0.9, 0.15, 0.014, 0.005, 4), fill=GOLD_DARK)
    pen.rect(0.33, 0.09, 0.67, 0.21, fill=DEEP, outline=GOLD, width=0.006, radius=0.05)
    pen.rect(0.09, height - 0.27, 0.91, height - 0.09, fill=DEEP, outline=GOLD, width=0.006, radius=0.04)
    pen.rect(0.105, height - 0.255, 0.895, height - 0.105, outline=GOLD_DARK, width=0.003, radius=0.03)
    return image


@lru_cache(maxsize=8)
def _glow(width: int, element: str) -> Image.Image:
    """A soft elliptical light in the element's colour, as an RGBA overlay for the emblem area."""
    s = width * SUPERSAMPLE
    gw, gh = round(s * 0.98), round(s * 1.2)
    falloff = Image.radial_gradient("L").resize((gw, gh), Image.Resampling.BILINEAR)
    alpha = falloff.point(lambda v: max(0, 150 - v * 150 // 128))
    overlay = Image.new("RGBA", (gw, gh), ELEMENT_GLOW[element])
    overlay.putalpha(alpha)
    return overlay


# Kept small: it only saves redrawing when the same card is wanted in the other language soon after.
@lru_cache(maxsize=32)
def _card_art(key: str, width: int) -> Image.Image:
    """The language-independent part of a card face at its final size."""
    card = card_by_key(key)
    image = _blank_card(width).copy()
    s = width * SUPERSAMPLE
    glow = _glow(width, card.element)
    centre = (AREA[1] + AREA[3]) / 2
    image.paste(glow, (round(s * 0.5 - glow.width / 2), round(s * centre - glow.height / 2)), glow)
    draw = ImageDraw.Draw(image)
    pen = _Pen(draw, 0, 0, s)
    _draw_emblem(draw, pen, card, s)
    _draw_number(draw, pen, card, s)
    # A 2x2 box average is all the anti-aliasing needed here, and it is several times cheaper than LANCZOS.
    return image.reduce(SUPERSAMPLE)


def _draw_emblem(draw: ImageDraw.ImageDraw, pen: _Pen, card: Card, s: int) -> None:
    """The arcana emblem, the pips, the ace or the court figure."""
    if card.is_major:
        MAJOR_EMBLEMS[card.number](_Pen(draw, s * 0.5, s * (AREA[1] + AREA[3]) / 2, s * 0.36))
        return
    assert card.suit is not None
    if card.number == 1:
        _draw_ace(pen, card.suit)
    elif card.number <= 10:
        _draw_pips(pen, card.suit, card.number)
    else:
        _draw_court(pen, card.suit, card.number)


def _draw_number(draw: ImageDraw.ImageDraw, pen: _Pen, card: Card, s: int) -> None:
    """Roman numeral in the top cartouche, or a small suit sign for aces and court cards."""
    if card.is_major or 2 <= card.number <= 10:
        font = _font(FONT_BOLD, round(s * 0.07))
        draw.text((s * 0.5, s * 0.152), roman(card.number), font=font, fill=GOLD_LIGHT, anchor="mm")
        return
    assert card.suit is not None
    sizes = {"wands": 0.1, "swords": 0.1, "cups": 0.09, "pentacles": 0.075}
    _suit_symbol(pen, card.suit, 0.5, 0.15, sizes[card.suit])


def _fit_lines(
    draw: ImageDraw.ImageDraw, text: str, font_name: str, size: int, max_width: float, max_lines: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """Wrap ``text`` into at most ``max_lines`` lines, shrinking the font until every line fits."""
    words = text.split()
    while True:
        font = _font(font_name, size)
        lines: list[str] = []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and draw.textlength(candidate, font=font) <= max_width:
                lines[-1] = candidate
            else:
                lines.append(word)
        if len(lines) <= max_lines and all(draw.textlength(line, font=font) <= max_width for line in lines):
            return lines, font
        if size <= 8:
            return lines[:max_lines], font
        size -= 1


def _name_lines(draw: ImageDraw.ImageDraw, name: str, width: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The card name on one line when a slightly smaller font suffices, otherwise on two balanced lines."""
    max_width = width * 0.76
    for size in range(round(width * 0.072), round(width * 0.058) - 1, -1):
        font = _font(FONT_CONDENSED, size)
        if draw.textlength(name, font=font) <= max_width:
            return [name], font
    words = name.split()
    if len(words) < 2:
        return _fit_lines(draw, name, FONT_CONDENSED, round(width * 0.058), max_width, 1)
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    lines = [" ".join(words[:best]), " ".join(words[best:])]
    size = round(width * 0.062)
    while size > 8 and max(draw.textlength(line, font=_font(FONT_CONDENSED, size)) for line in lines) > max_width:
        size -= 1
    return lines, _font(FONT_CONDENSED, size)


def _build_face(key: str, lang: str, width: int) -> Image.Image:
    """A finished, upright card face with its name in ``lang``."""
    card = card_by_key(key)
    image = _card_art(key, width).copy()
    draw = ImageDraw.Draw(image)
    lines, font = _name_lines(draw, card.name[lang], width)
    centre_y = width * (CARD_RATIO - 0.18)
    line_height = font.size * 1.12
    top = centre_y - line_height * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        draw.text((width / 2, top + i * line_height), line, font=font, fill=GOLD_LIGHT, anchor="mm")
    return image


# A face at spread sizes weighs 0.3-1 MB in memory, so 64 of them stay well under 100 MB per process.
@lru_cache(maxsize=64)
def _card_face(key: str, lang: str, width: int) -> Image.Image:
    """A cached card face for composing spreads; callers must not draw on it."""
    return _build_face(key, lang, width)


def _check_lang(lang: str) -> None:
    """Reject languages the deck has no text for."""
    if lang not in ("ru", "en"):
        raise ValueError(f"unsupported language: {lang!r}")


@lru_cache(maxsize=256)
def render_card(key: str, *, reversed: bool = False, lang: str = "ru", width: int = 400) -> bytes:
    """One card face as PNG bytes, ``width`` x ``round(width * 1.75)`` pixels, turned over when reversed."""
    _check_lang(lang)
    if not 120 <= width <= 1600:
        raise ValueError(f"width must be within 120..1600, got {width}")
    face = _build_face(key, lang, width)
    if reversed:
        face = face.transpose(Image.Transpose.ROTATE_180)
    buffer = io.BytesIO()
    face.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- spreads


@dataclass(frozen=True)
class _Slot:
    """Where one position's card and label go on a spread image."""

    x: int
    y: int
    turned: bool
    label_x: int
    label_y: int
    label_width: int
    label_extra: int = -1  # the index of a second position whose label shares this one's place


@dataclass(frozen=True)
class _Layout:
    """The geometry of a spread image."""

    size: tuple[int, int]
    card_width: int
    slots: tuple[_Slot, ...]
    title_size: int
    label_size: int
    position_labels: bool
    card_names: bool


@lru_cache(maxsize=8)
def _layout(spread: str) -> _Layout:
    """Positions of cards and labels for each supported spread."""
    if spread == "day":
        w = 540
        h = _card_height(w)
        x = (820 - w) // 2
        # The title already names the only position, so the label names the card instead.
        slot = _Slot(x, 130, False, 40, 130 + h + 26, 820 - 80)
        return _Layout((820, 130 + h + 150), w, (slot,), 50, 36, False, True)
    if spread == "three":
        w, gap = 440, 70
        h = _card_height(w)
        left = (1600 - 3 * w - 2 * gap) // 2
        slots = tuple(
            _Slot(
                left + i * (w + gap),
                140,
                False,
                left + i * (w + gap) - gap // 2 + 4,
                140 + h + 22,
                w + gap - 8,
            )
            for i in range(3)
        )
        return _Layout((1600, 140 + h + 170), w, slots, 58, 36, True, True)
    if spread == "celtic_cross":
        return _celtic_layout()
    raise KeyError(f"unknown spread: {spread!r}")


def _celtic_layout() -> _Layout:
    """The cross of six cards with the staff of four to its right."""
    w = 250
    h = _card_height(w)
    label = 74
    gx, gy, staff_gap = 34, 16, 110
    row = h + label
    top = 140
    staff_height = 4 * row + 3 * gy
    cross_height = 3 * row + 2 * gy
    cross_width = 2 * w + h + 2 * gx
    total_width = 1600
    left = (total_width - (cross_width + staff_gap + w)) // 2
    cross_top = top + (staff_height - cross_height) // 2
    col_left, col_mid, col_right = left, left + w + gx, left + w + gx + h + gx
    mid_x = col_mid + (h - w) // 2
    rows = [cross_top, cross_top + row + gy, cross_top + 2 * (row + gy)]
    wide = w + gx
    slots = [
        _Slot(mid_x, rows[1], False, col_mid, rows[1] + h + 10, h, label_extra=1),
        _Slot(col_mid, rows[1] + (h - w) // 2, True, col_mid, rows[1] + h + 10, h),
        _Slot(mid_x, rows[2], False, col_mid, rows[2] + h + 10, h),
        _Slot(col_left, rows[1], False, col_left - gx // 2, rows[1] + h + 10, wide),
        _Slot(mid_x, rows[0], False, col_mid, rows[0] + h + 10, h),
        _Slot(col_right, rows[1], False, col_right - gx // 2, rows[1] + h + 10, wide),
    ]
    staff_x = col_right + w + staff_gap
    for i in range(4):
        y = top + (3 - i) * (row + gy)
        slots.append(_Slot(staff_x, y, False, staff_x - 40, y + h + 10, w + 80))
    height = top + staff_height + 40
    return _Layout((total_width, height), w, tuple(slots), 58, 25, True, False)


@lru_cache(maxsize=8)
def _spread_background(size: tuple[int, int]) -> Image.Image:
    """The starry backdrop of a spread image."""
    image = _vertical_gradient(size, SPREAD_TOP, SPREAD_BOTTOM)
    _sprinkle_stars(image, size[0] * size[1] // 9000, 11, 1.3)
    return image


@lru_cache(maxsize=8)
def _rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An L mask with rounded corners."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=255)
    return mask


@lru_cache(maxsize=8)
def _shadow(size: tuple[int, int], radius: int) -> Image.Image:
    """A soft dark glow that lifts a card off the background."""
    pad = max(6, size[0] // 14)
    canvas = Image.new("L", (size[0] + 2 * pad, size[1] + 2 * pad), 0)
    ImageDraw.Draw(canvas).rounded_rectangle((pad, pad, pad + size[0], pad + size[1]), radius=radius, fill=190)
    alpha = canvas.filter(ImageFilter.BoxBlur(pad // 2))
    shadow = Image.new("RGBA", canvas.size, (0, 0, 0, 255))
    shadow.putalpha(alpha)
    return shadow


def _paste_card(canvas: Image.Image, face: Image.Image, x: int, y: int) -> None:
    """Paste a card with rounded corners over its shadow."""
    radius = max(4, face.width // 28) if face.width < face.height else max(4, face.height // 28)
    shadow = _shadow(face.size, radius)
    pad = (shadow.width - face.width) // 2
    canvas.paste(shadow, (x - pad + pad // 3, y - pad + pad // 2), shadow)
    canvas.paste(face, (x, y), _rounded_mask(face.size, radius))


def _badge(draw: ImageDraw.ImageDraw, x: float, y: float, number: int, size: int) -> None:
    """A numbered gold medallion marking a position."""
    r = size / 2
    draw.ellipse((x - r, y - r, x + r, y + r), fill=DEEP, outline=GOLD, width=max(2, size // 12))
    draw.text((x, y + 1), str(number), font=_font(FONT_BOLD, round(size * 0.52)), fill=GOLD_LIGHT, anchor="mm")


def _title(draw: ImageDraw.ImageDraw, text: str, width: int, size: int) -> None:
    """The spread's name with small ornaments."""
    font = _font(FONT_BOLD, size)
    y = 70
    draw.text((width / 2, y), text, font=font, fill=GOLD_LIGHT, anchor="mm")
    half = draw.textlength(text, font=font) / 2
    for sign in (-1, 1):
        x0 = width / 2 + sign * (half + 24)
        x1 = width / 2 + sign * (half + 24 + min(160, width * 0.12))
        draw.line((x0, y, x1, y), fill=GOLD_DARK, width=2)
        pen = _Pen(draw, 0, 0, 1)
        pen.poly(_star_points(x1 + sign * 10, y, 9, 3, 4), fill=GOLD)


@dataclass(frozen=True)
class _Line:
    """One line of a label before wrapping."""

    text: str
    color: RGB
    font_name: str
    size: int


def _label(draw: ImageDraw.ImageDraw, lines: Sequence[_Line], x: int, y: int, width: int) -> None:
    """Centred text under a card; each line wraps onto at most two."""
    cursor = float(y)
    for line in lines:
        wrapped, font = _fit_lines(draw, line.text, line.font_name, line.size, width, 2)
        for part in wrapped:
            draw.text((x + width / 2, cursor), part, font=font, fill=line.color, anchor="ma")
            cursor += font.size * 1.25


def _slot_lines(layout: _Layout, spread: str, index: int, drawn: DrawnCard, lang: str, extra: int) -> list[_Line]:
    """The label of one position: its number and name, then the card's name and orientation if room allows."""
    meta = SPREADS[spread]
    size = layout.label_size
    lines: list[_Line] = []
    if layout.position_labels:
        for i in (index, extra) if extra >= 0 else (index,):
            lines.append(_Line(f"{i + 1}. {meta.positions[i].name[lang]}", CREAM, FONT_REGULAR, size))
    if layout.card_names:
        scale = 1.0 if not layout.position_labels else 0.85
        lines.append(_Line(card_by_key(drawn.key).name[lang], GOLD_LIGHT, FONT_BOLD, round(size * scale)))
        if drawn.reversed:
            with translation.override(lang):
                note = str(REVERSED_NOTE)
            lines.append(_Line(note, MUTED, FONT_REGULAR, round(size * scale * 0.85)))
    return lines


def render_spread(spread: str, cards: list[DrawnCard], *, lang: str = "ru") -> bytes:
    """One JPEG of a whole spread with numbered positions and their names (within Telegram's photo limits)."""
    _check_lang(lang)
    meta = SPREADS[spread]
    if len(cards) != meta.size:
        raise ValueError(f"{spread} takes {meta.size} cards, got {len(cards)}")
    by_position = {card.position: card for card in cards}
    if sorted(by_position) != list(range(meta.size)) or len({card.key for card in cards}) != len(cards):
        raise ValueError("cards must be distinct and cover every position exactly once")
    if spread == "day":
        only = by_position[0]
        return _day_image(only.key, only.reversed, lang)
    drawn = tuple(by_position[i] for i in range(meta.size))
    return _compose(spread, drawn, lang, _card_face)


# Every user's card of the day is one of 156 x 2 images, so keeping the finished JPEG (~160 KB) pays off.
@lru_cache(maxsize=160)
def _day_image(key: str, reversed: bool, lang: str) -> bytes:
    """The card-of-the-day image."""
    return _compose("day", (DrawnCard(key=key, reversed=reversed, position=0),), lang, _build_face)


def _compose(
    spread: str,
    drawn: tuple[DrawnCard, ...],
    lang: str,
    face_for: Callable[[str, str, int], Image.Image],
) -> bytes:
    """Lay out the cards of a spread, in position order, on its backdrop and encode the JPEG."""
    meta = SPREADS[spread]
    layout = _layout(spread)
    canvas = _spread_background(layout.size).copy()
    draw = ImageDraw.Draw(canvas)
    _title(draw, meta.name[lang], layout.size[0], layout.title_size)
    badge = max(28, layout.card_width // 6)
    for index, slot in enumerate(layout.slots):
        card = drawn[index]
        face = face_for(card.key, lang, layout.card_width)
        if slot.turned:
            face = face.transpose(Image.Transpose.ROTATE_270 if card.reversed else Image.Transpose.ROTATE_90)
        elif card.reversed:
            face = face.transpose(Image.Transpose.ROTATE_180)
        _paste_card(canvas, face, slot.x, slot.y)
        if meta.size > 1:
            _badge(draw, slot.x + badge * 0.55, slot.y + badge * 0.55, index + 1, badge)
    shared = {slot.label_extra for slot in layout.slots if slot.label_extra >= 0}
    for index, slot in enumerate(layout.slots):
        if index in shared:
            continue
        lines = _slot_lines(layout, spread, index, drawn[index], lang, slot.label_extra)
        _label(draw, lines, slot.label_x, slot.label_y, slot.label_width)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False)
    return buffer.getvalue()


def clear_caches() -> None:
    """Forget every rendered image and font (for cold-cache benchmarks)."""
    for cached in (
        render_card,
        _day_image,
        _card_face,
        _card_art,
        _blank_card,
        _glow,
        _font,
        _spread_background,
        _rounded_mask,
        _shadow,
        _layout,
    ):
        cached.cache_clear()
