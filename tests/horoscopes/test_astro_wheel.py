"""The chart wheel renderer and the glyph spreading."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from horoscopes.astro import compute_chart
from horoscopes.astro.wheel import FONT_PATH, spread_longitudes
from horoscopes.report import render_wheel


def circular_gap(a: float, b: float) -> float:
    """Shortest distance between two angles."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


@pytest.fixture(scope="module")
def chart():
    """The Moscow reference chart."""
    return compute_chart(datetime(1990, 5, 15, 10, 30, tzinfo=UTC), 55.7558, 37.6173)


def decode(png: bytes) -> Image.Image:
    """Decoded PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_wheel_is_a_crisp_telegram_sized_png(chart):
    """1280x1280 PNG, dark background, lots of anti-aliased colour, under a megabyte."""
    image = decode(render_wheel(chart))
    assert image.size == (1280, 1280)
    assert image.mode == "RGB"
    corner = image.getpixel((5, 5))
    assert sum(corner) < 90  # dark
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 2000
    assert len(render_wheel(chart)) < 1_000_000


def test_wheel_renders_fast_enough(chart):
    """Well under a second per image once fonts are loaded (the benchmark tracks the real figure)."""
    render_wheel(chart)
    started = time.perf_counter()
    render_wheel(chart)
    assert time.perf_counter() - started < 1.5


def test_wheel_draws_aspect_colours(chart):
    """Trines (blue-green) and squares/oppositions (red) appear in the aspect circle."""
    image = decode(render_wheel(chart)).convert("RGB")
    inner = image.crop((440, 440, 840, 840))
    colours = inner.getcolors(maxcolors=1_000_000) or []
    greenish = sum(n for n, (r, g, b) in colours if g > 150 and b > 120 and r < 100)
    reddish = sum(n for n, (r, g, b) in colours if r > 180 and g < 110 and b < 110)
    assert greenish > 200 and reddish > 200


def test_wheel_without_birth_time_and_polar_and_sizes():
    """Charts without houses, polar charts and other sizes all render."""
    no_time = compute_chart(datetime(1990, 5, 15, 12, tzinfo=UTC), 55.7558, 37.6173, with_houses=False)
    polar = compute_chart(datetime(2024, 1, 10, 9, tzinfo=UTC), 78.2232, 15.6267)
    assert polar.polar_fallback
    assert decode(render_wheel(no_time, lang="ru")).size == (1280, 1280)
    assert decode(render_wheel(polar, lang="ru")).size == (1280, 1280)
    assert decode(render_wheel(polar, size=640)).size == (640, 640)
    assert render_wheel(no_time) != render_wheel(compute_chart(datetime(1990, 5, 15, 12, tzinfo=UTC), 55.7558, 37.6173))


def test_bundled_font_has_every_glyph():
    """The shipped DejaVu Sans draws zodiac and planet glyphs (not the empty box)."""
    from PIL import ImageFont

    assert FONT_PATH.exists() and (FONT_PATH.parent / "DejaVuSans-LICENSE.txt").exists()
    font = ImageFont.truetype(str(FONT_PATH), 40)
    missing = font.getmask("\uffff").getbbox()
    for char in "♈♉♊♋♌♍♎♏♐♑♒♓☉☽☿♀♂♃♄♅♆♇☊℞°":
        assert font.getmask(char).getbbox() != missing, char


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=359.999), min_size=1, max_size=13))
def test_spread_keeps_glyphs_apart_and_close_to_home(longitudes):
    """Spread glyphs are at least the minimum apart and never pushed further than their cluster needs."""
    sep = 8.0
    shown = spread_longitudes(longitudes, sep)
    assert len(shown) == len(longitudes)
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            assert circular_gap(shown[i], shown[j]) >= sep - 1e-6
    for true, place in zip(longitudes, shown, strict=True):
        assert circular_gap(true, place) <= sep * len(longitudes)


def test_spread_leaves_isolated_points_alone():
    """Points already far apart are not moved."""
    assert spread_longitudes([10.0, 100.0, 200.0], 8.0) == pytest.approx([10.0, 100.0, 200.0])
    moved = spread_longitudes([100.0, 101.0, 102.0], 8.0)
    assert moved == pytest.approx([93.0, 101.0, 109.0])
