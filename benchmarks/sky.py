"""Benchmark of the sky engine: natal chart, sky of the day, transits, chart wheel, memory.

Run from the repository root: .venv/bin/python benchmarks/sky.py
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from horoscopes.astro import compute_chart, render_wheel, sky_of_day, transits
from horoscopes.astro.sky import day_grid

ZONES = ("Europe/Moscow", "Asia/Novosibirsk", "Europe/Berlin", "America/New_York", "Asia/Vladivostok")


def timed(fn: Callable[[int], object], runs: int) -> list[float]:
    """Milliseconds per call of fn(i) for i in range(runs)."""
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000.0)
    return samples


def report(name: str, samples: list[float]) -> None:
    """Print p50 and p95 lines."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{name}_p50: {statistics.median(ordered):.2f} ms")
    print(f"{name}_p95: {p95:.2f} ms")


def main() -> None:
    """Run every measurement and print one figure per line."""
    rng = random.Random(20240423)
    moments = [
        datetime(1940, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 85 * 365 * 24 * 60)) for _ in range(400)
    ]
    places = [(rng.uniform(-60.0, 70.0), rng.uniform(-180.0, 180.0)) for _ in range(400)]
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(120)]

    compute_chart(moments[0], *places[0])
    report("natal_chart_ms", timed(lambda i: compute_chart(moments[i], *places[i]), 400))
    report(
        "natal_chart_no_time_ms",
        timed(lambda i: compute_chart(moments[i], *places[i], with_houses=False), 400),
    )

    def sky_cold(i: int) -> None:
        sky_of_day.cache_clear()
        day_grid.cache_clear()
        sky_of_day(days[i % len(days)], ZONES[i % len(ZONES)])

    report("sky_of_day_ms", timed(sky_cold, 120))
    report("sky_of_day_cached_ms", timed(lambda i: sky_of_day(days[0], ZONES[0]), 200))

    natal_charts = [compute_chart(moments[i], *places[i]) for i in range(100)]

    def transits_cold(i: int) -> None:
        day_grid.cache_clear()
        transits(natal_charts[i % 100], days[i % len(days)], ZONES[i % len(ZONES)])

    report("transits_ms", timed(transits_cold, 100))
    day_grid(days[0], ZONES[0])
    report("transits_shared_day_ms", timed(lambda i: transits(natal_charts[i % 100], days[0], ZONES[0]), 200))

    render_wheel(natal_charts[0])
    report("wheel_ms", timed(lambda i: render_wheel(natal_charts[i % 100]), 30))
    print(f"wheel_png_kb: {len(render_wheel(natal_charts[0])) / 1024:.0f} KB")

    tracemalloc.start()
    chart = compute_chart(moments[1], *places[1])
    sky_of_day.cache_clear()
    day_grid.cache_clear()
    sky_of_day(days[1], ZONES[1])
    transits(chart, days[1], ZONES[1])
    render_wheel(chart)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # tracemalloc sees Python objects only; the 2560x2560 drawing buffer lives in Pillow C memory (max_rss).
    print(f"peak_python_heap_mb: {peak / 1024 / 1024:.1f} MB")
    print(f"max_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")


if __name__ == "__main__":
    main()
