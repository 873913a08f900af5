"""The welcome card shown with the greeting: a night sky, the zodiac ring and the bot's name (Pillow).

The cards are rendered once (`manage.py render_welcome`) and shipped in users/assets/, so a /start never
spends time drawing; `welcome_card(lang)` reads the shipped file.
"""

from __future__ import annotations

import io
import math
import random
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ASSETS = Path(__file__).resolve().parent / "assets"
_ROOT = Path(__file__).resolve().parent.parent
SERIF_BOLD = _ROOT / "horoscopes" / "tarot" / "assets" / "fonts" / "DejaVuSerif-Bold.ttf"
SERIF = _ROOT / "horoscopes" / "tarot" / "assets" / "fonts" / "DejaVuSerif.ttf"
SANS = _ROOT / "horoscopes" / "astro" / "assets" / "DejaVuSans.ttf"

SIZE = (1280, 720)
SUPERSAMPLE = 2
JPEG_QUALITY = 88
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

TOP = (14, 12, 44)
BOTTOM = (64, 26, 96)
GOLD = (226, 186, 98)
GOLD_LIGHT = (252, 230, 160)
CREAM = (246, 238, 224)
MUTED = (198, 188, 222)

GLYPHS = "♈♉♊♋♌♍♎♏♐♑♒♓"
TAGLINE = _("Horoscopes · Tarot · Natal chart")
SUBLINE = _("from the real sky")


def asset_path(lang: str) -> Path:
    """Where the shipped card for a language lives."""
    return ASSETS / f"welcome-{lang if lang in LANGUAGES else settings.LANGUAGE_CODE}.jpg"


@lru_cache(maxsize=len(LANGUAGES))
def welcome_card(lang: str) -> bytes:
    """The shipped welcome card (JPEG) for a language (the default language's card for any other)."""
    return asset_path(lang).read_bytes()


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _gradient(width: int, height: int) -> Image.Image:
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(height - 1, 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM, strict=True)))
    return column.resize((width, height))


def _stars(draw: ImageDraw.ImageDraw, width: int, height: int, scale: int) -> None:
    # A fixed seed: the same sky every time the card is rendered.
    rng = random.Random(1990)  # noqa: S311 - decoration, not security
    for _star in range(420):
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.choice((0.6, 0.8, 1.0, 1.0, 1.4, 2.0)) * scale
        shade = rng.randint(150, 255)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade, min(255, shade + 20)))


def _text_center(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font, fill) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((xy[0] - (right - left) / 2 - left, xy[1] - (bottom - top) / 2 - top), text, font=font, fill=fill)


def render_welcome_card(lang: str) -> bytes:
    """Draw the welcome card for a language; JPEG bytes."""
    s = SUPERSAMPLE
    width, height = SIZE[0] * s, SIZE[1] * s
    image = _gradient(width, height)
    glow = Image.new("RGB", (width, height), (0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    cx, cy, ring = width * 0.245, height * 0.5, height * 0.36
    glow_draw.ellipse((cx - ring * 1.1, cy - ring * 1.1, cx + ring * 1.1, cy + ring * 1.1), fill=(70, 44, 120))
    image = Image.blend(image, glow.filter(ImageFilter.GaussianBlur(60 * s)), 0.45)
    draw = ImageDraw.Draw(image)
    _stars(draw, width, height, s)

    # The zodiac ring: two circles, twelve spokes, a glyph in each sector.
    for radius, line in ((ring, 3), (ring * 0.74, 2)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=GOLD, width=line * s)
    glyph_font = _font(SANS, int(ring * 0.17))
    for i, glyph in enumerate(GLYPHS):
        # Counter-clockwise from Aries on the left, as on a chart wheel.
        angle = math.radians(180 + i * 30)
        inner, outer = ring * 0.74, ring
        draw.line(
            (
                cx + inner * math.cos(angle),
                cy - inner * math.sin(angle),
                cx + outer * math.cos(angle),
                cy - outer * math.sin(angle),
            ),
            fill=GOLD,
            width=2 * s,
        )
        middle = math.radians(180 + i * 30 + 15)
        radius = ring * 0.87
        _text_center(
            draw, (cx + radius * math.cos(middle), cy - radius * math.sin(middle)), glyph, glyph_font, GOLD_LIGHT
        )
    # A crescent moon in the middle of the ring: a disc with a shifted disc cut out of it.
    moon, shift = ring * 0.36, ring * 0.36 * 0.45
    mask = Image.new("L", (width, height), 0)
    mask_draw = ImageDraw.Draw(mask)
    mask_draw.ellipse((cx - moon, cy - moon, cx + moon, cy + moon), fill=255)
    lift = shift * 0.35
    mask_draw.ellipse((cx - moon + shift, cy - moon - lift, cx + moon + shift, cy + moon - lift), fill=0)
    halo = mask.filter(ImageFilter.GaussianBlur(18 * s)).point(lambda v: v // 3)
    image.paste(Image.new("RGB", (width, height), GOLD), (0, 0), halo)
    image.paste(Image.new("RGB", (width, height), GOLD_LIGHT), (0, 0), mask)
    draw = ImageDraw.Draw(image)

    # The name and the tagline on the right.
    tx = width * 0.735
    _text_center(draw, (tx, height * 0.38), "Astrobot", _font(SERIF_BOLD, int(height * 0.15)), CREAM)
    draw.line((tx - width * 0.16, height * 0.5, tx + width * 0.16, height * 0.5), fill=GOLD, width=2 * s)
    with translation.override(lang if lang in LANGUAGES else settings.LANGUAGE_CODE):
        tagline, subline = str(TAGLINE), str(SUBLINE)
    _text_center(draw, (tx, height * 0.585), tagline, _font(SERIF, int(height * 0.04)), CREAM)
    _text_center(draw, (tx, height * 0.66), subline, _font(SERIF, int(height * 0.038)), MUTED)
    _text_center(draw, (tx, height * 0.8), "✦  ✧  ✦", _font(SANS, int(height * 0.05)), GOLD)

    final = image.resize(SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    final.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def render_assets() -> list[Path]:
    """Render the card for every language into users/assets/; the files written."""
    ASSETS.mkdir(exist_ok=True)
    written = []
    for lang in LANGUAGES:
        path = asset_path(lang)
        path.write_bytes(render_welcome_card(lang))
        written.append(path)
    welcome_card.cache_clear()
    return written
