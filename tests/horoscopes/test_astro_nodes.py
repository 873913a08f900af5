"""The lunar nodes: the mean node every reading uses and the true (osculating) node shown beside it."""

import math
import random
from datetime import UTC, datetime

import pytest

from horoscopes.astro import compute_chart
from horoscopes.astro.constants import NODE_DEFAULT, PLANETS
from horoscopes.astro.ephemeris import (
    body_ecliptic,
    julian_centuries_tt,
    mean_node_longitude,
    to_ephem_day,
    true_node_longitude,
    wrap180,
)
from horoscopes.report import format_chart
from horoscopes.writer.natal import chart_summary, interpretation_offline


def _meeus_true_node(day: float) -> float:
    """Meeus, Astronomical Algorithms ch. 47: the mean node plus the five largest periodic terms."""
    t = julian_centuries_tt(day)
    d = math.radians(297.8501921 + 445267.1114034 * t)
    m = math.radians(357.5291092 + 35999.0502909 * t)
    mp = math.radians(134.9633964 + 477198.8675055 * t)
    f = math.radians(93.2720950 + 483202.0175233 * t)
    return mean_node_longitude(day) + (
        -1.4979 * math.sin(2 * (d - f))
        - 0.1500 * math.sin(m)
        - 0.1226 * math.sin(2 * d)
        + 0.1176 * math.sin(2 * f)
        - 0.0801 * math.sin(2 * (f - mp))
    )


def _ascending_crossing(start: float) -> float:
    """The first moment after `start` when the Moon crosses the ecliptic northwards (to about 0.01 s)."""

    def latitude(day: float) -> float:
        return body_ecliptic("moon", day)[1]

    day = start
    while not latitude(day) < 0.0 <= latitude(day + 0.25):
        day += 0.25
    low, high = day, day + 0.25
    for _ in range(40):
        middle = (low + high) / 2.0
        low, high = (middle, high) if latitude(middle) < 0.0 else (low, middle)
    return low


@pytest.mark.parametrize("start", ["1957-03-01", "1988-12-21", "2024-01-01", "2031-07-15"])
def test_true_node_is_where_the_moon_crosses_the_ecliptic_northwards(start: str) -> None:
    # At an ascending crossing the Moon lies on its own orbit's node, so the osculating node must be exactly
    # the Moon's longitude there (the mean node is not: it is off by up to ~1.7 degrees).
    day = _ascending_crossing(to_ephem_day(datetime.fromisoformat(start).replace(tzinfo=UTC)))
    moon = body_ecliptic("moon", day)[0]
    assert abs(wrap180(true_node_longitude(day) - moon)) < 0.001


def test_true_node_follows_the_published_series_and_stays_near_the_mean() -> None:
    # Meeus' five terms leave out terms of up to ~0.1 degree each; 0.4 degree bounds what they omit,
    # while a wrong sign or frame would be off by degrees.
    rng = random.Random(7)
    start = to_ephem_day(datetime(1930, 1, 1, tzinfo=UTC))
    worst_series = worst_mean = 0.0
    for _ in range(200):
        day = start + rng.uniform(0, 40000)
        true = true_node_longitude(day)
        worst_series = max(worst_series, abs(wrap180(true - _meeus_true_node(day))))
        worst_mean = max(worst_mean, abs(wrap180(true - mean_node_longitude(day))))
    assert worst_series < 0.4
    assert 1.0 < worst_mean < 2.0


def test_chart_shows_both_nodes_labelled_and_reads_with_the_mean_one() -> None:
    chart = compute_chart(datetime(1988, 12, 21, 19, 0, tzinfo=UTC), 59.94, 30.31)
    assert NODE_DEFAULT == "mean_node" and NODE_DEFAULT in PLANETS and "true_node" not in PLANETS
    assert chart.true_node is not None and chart.true_node.point == "true_node"
    assert abs(wrap180(chart.true_node.longitude - chart.points["mean_node"].longitude)) < 2.0
    assert chart.true_node.house == chart.house_of(chart.true_node.longitude)
    assert all("true_node" not in (a.a, a.b) for a in chart.aspects)

    table_ru = format_chart(chart, "ru")
    assert "Северный узел (средний)" in table_ru and "Северный узел (истинный)" in table_ru
    table_en = format_chart(chart, "en")
    assert "North Node (mean)" in table_en and "North Node (true)" in table_en

    data = chart.to_dict()
    assert data["true_node"]["sign"] == chart.true_node.sign
    summary = chart_summary(data, "en", full=True)
    assert "North Node (mean)" in summary and "North Node (true)" in summary
    # Charts stored before the true node existed still summarise.
    del data["true_node"]
    assert "North Node (true)" not in chart_summary(data, "ru", full=True)


def test_interpretation_names_the_mean_node() -> None:
    data = compute_chart(datetime(1988, 12, 21, 19, 0, tzinfo=UTC), 59.94, 30.31).to_dict()
    assert "Северный узел (средний)" in interpretation_offline(data, "ru")
    assert "North Node (mean)" in interpretation_offline(data, "en")
