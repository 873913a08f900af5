"""Aspect detection, orb table and applying/separating."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from horoscopes.astro import PLANETS, compute_chart
from horoscopes.astro.aspects import find_aspects, is_applying, natal_orb, separation


def aspects_between(lon_a: float, lon_b: float, a: str = "mercury", b: str = "venus", sa=0.0, sb=0.0):
    """Aspects found for a single pair."""
    return find_aspects({a: lon_a, b: lon_b}, {a: sa, b: sb}, (a, b))


@pytest.mark.parametrize(
    ("a", "b", "kind", "orb"),
    [
        ("sun", "moon", "conjunction", 10.0),
        ("sun", "moon", "trine", 8.0),
        ("sun", "moon", "sextile", 6.0),
        ("mercury", "venus", "square", 7.0),
        ("mercury", "venus", "sextile", 5.0),
        ("jupiter", "saturn", "opposition", 6.0),
        ("uranus", "pluto", "trine", 5.0),
        ("uranus", "pluto", "sextile", 3.0),
        ("sun", "pluto", "opposition", 10.0),  # the wider orb of the pair wins
        ("mars", "neptune", "square", 7.0),
        ("mean_node", "neptune", "conjunction", 5.0),
        ("mean_node", "mean_node", "conjunction", 3.0),
    ],
)
def test_orb_table(a, b, kind, orb):
    """Luminaries get the widest orbs, outer planets and the node the tightest."""
    assert natal_orb(a, b, kind) == orb


@pytest.mark.parametrize(
    ("a", "b", "angle", "limit"),
    [("sun", "moon", 120.0, 8.0), ("mercury", "venus", 90.0, 7.0), ("uranus", "pluto", 60.0, 3.0)],
)
def test_aspect_found_just_inside_and_not_just_outside_the_orb(a, b, angle, limit):
    """An aspect is reported up to its orb and not beyond."""
    inside = aspects_between(10.0, 10.0 + angle + limit - 0.01, a, b)
    outside = aspects_between(10.0, 10.0 + angle + limit + 0.01, a, b)
    assert len(inside) == 1 and inside[0].orb == pytest.approx(limit - 0.01)
    assert outside == ()


def test_aspect_across_zero_aries():
    """Separation is measured the short way round the circle."""
    found = aspects_between(355.0, 56.0)
    assert len(found) == 1
    assert found[0].kind == "sextile" and found[0].angle == pytest.approx(61.0)
    assert separation(350.0, 10.0) == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("lon_a", "speed_a", "lon_b", "speed_b", "kind", "applying"),
    [
        # a faster planet behind a slower one closes a conjunction
        (10.0, 1.2, 12.0, 0.1, "conjunction", True),
        (12.0, 1.2, 10.0, 0.1, "conjunction", False),
        # retrograde b moving back towards a
        (10.0, 0.0, 12.0, -0.5, "conjunction", True),
        # square: separation 88 growing towards 90
        (0.0, 0.0, 88.0, 1.0, "square", True),
        (0.0, 0.0, 92.0, 1.0, "square", False),
        # the same square measured the other way round (b behind a)
        (88.0, 1.0, 0.0, 0.0, "square", True),
        (92.0, 1.0, 0.0, 0.0, "square", False),
        # opposition: 178 growing to 180 is applying
        (0.0, 0.0, 178.0, 1.0, "opposition", True),
        # b at 182 is 178 degrees away the other way round: moving forward takes it further from exact
        (0.0, 0.0, 182.0, 1.0, "opposition", False),
        (0.0, 0.0, 182.0, -1.0, "opposition", True),
        # across 0 Aries
        (358.0, 1.0, 1.0, 0.0, "conjunction", True),
        (1.0, 1.0, 358.0, 0.0, "conjunction", False),
        # both moving, same speed: the separation does not change, so not applying
        (0.0, 1.0, 119.0, 1.0, "trine", False),
    ],
)
def test_applying_and_separating(lon_a, speed_a, lon_b, speed_b, kind, applying):
    """Applying means the separation is moving towards the exact angle."""
    assert is_applying(lon_a, speed_a, lon_b, speed_b, kind) is applying


def test_reference_chart_aspects():
    """Known aspects of the 1990-05-15 Moscow chart with their orbs and motion."""
    chart = compute_chart(datetime(1990, 5, 15, 10, 30, tzinfo=UTC), 55.7558, 37.6173)
    by_pair = {(x.a, x.b): x for x in chart.aspects}
    sun_saturn = by_pair[("sun", "saturn")]
    assert sun_saturn.kind == "trine" and sun_saturn.orb == pytest.approx(0.915, abs=0.002)
    # The Sun (direct) approaches the exact trine with retrograde Saturn.
    assert sun_saturn.applying is True
    moon_saturn = by_pair[("moon", "saturn")]
    assert moon_saturn.kind == "conjunction" and moon_saturn.applying is False  # the Moon has passed Saturn
    jupiter_uranus = by_pair[("jupiter", "uranus")]
    assert jupiter_uranus.kind == "opposition" and jupiter_uranus.orb == pytest.approx(0.344, abs=0.002)
    assert ("sun", "mars") not in by_pair  # 66 degrees apart: no aspect
    order = [(PLANETS.index(x.a), PLANETS.index(x.b)) for x in chart.aspects]
    assert order == sorted(order)


def test_every_reported_aspect_is_within_its_orb():
    """Orbs never exceed the table, on a few arbitrary charts."""
    for year in (1901, 1955, 1999, 2033):
        chart = compute_chart(datetime(year, 6, 15, 8, tzinfo=UTC), 40.0, -3.7)
        for aspect in chart.aspects:
            assert aspect.orb <= natal_orb(aspect.a, aspect.b, aspect.kind)
