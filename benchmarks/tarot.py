"""Tarot benchmark: spread rendering time (cold and warm caches) and the uniformity of draws."""

import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from horoscopes.tarot import SPREADS, card_keys, draw, draw_for_day, draw_spread, load_deck, render_card, render_spread
from horoscopes.tarot.images import clear_caches
from horoscopes.tarot.interpret import interpret_offline
from horoscopes.tarot.render import _custom_face, spread_image

DRAWS = 100_000
DAY_KEY = "benchmark"  # any fixed key: uniformity must not depend on which one
RUNS = 7


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for a chi-square variable: the regularised upper incomplete gamma Q(df/2, x/2)."""
    if x <= 0:
        return 1.0
    a, z = df / 2, x / 2
    log_prefix = -z + a * math.log(z) - math.lgamma(a)
    if z < a + 1:
        # The series for the lower function converges quickly below the mean.
        term = total = 1 / a
        n = 1
        while abs(term) > abs(total) * 1e-16:
            term *= z / (a + n)
            total += term
            n += 1
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    # Above the mean a continued fraction (modified Lentz) for the upper function is stable.
    tiny = 1e-300
    b = z + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return math.exp(log_prefix) * h


def chi_square(counts: Counter, cells: int, total: int) -> float:
    """Pearson's statistic of counts against a uniform distribution over ``cells``."""
    expected = total / cells
    return sum((counts.get(cell, 0) - expected) ** 2 / expected for cell in range(cells))


def median_ms(action: Callable[[], object], *, cold: bool, runs: int = RUNS) -> float:
    """Median wall time of ``action`` in milliseconds, optionally with every image cache cleared first."""
    action()
    samples = []
    for _ in range(runs):
        if cold:
            clear_caches()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(name: str, value: float, unit: str = "", digits: int = 2) -> None:
    """Print one figure as ``name: value unit``."""
    print(f"{name}: {value:.{digits}f} {unit}".rstrip())


def main() -> None:
    """Run every measurement and print the figures."""
    # The offline reader and the card labels are translated with gettext, which needs the settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    rng = random.Random(1)
    celtic = draw(SPREADS["celtic_cross"].size, rng=rng)
    three = draw(SPREADS["three"].size, rng=rng)
    day = draw(1, rng=rng)

    report(
        "celtic_cross_render_ms_cold",
        median_ms(lambda: render_spread("celtic_cross", celtic), cold=True),
        "ms",
    )
    report(
        "celtic_cross_render_ms_warm",
        median_ms(lambda: render_spread("celtic_cross", celtic), cold=False),
        "ms",
    )
    report("three_cards_render_ms_cold", median_ms(lambda: render_spread("three", three), cold=True), "ms")
    report("three_cards_render_ms_warm", median_ms(lambda: render_spread("three", three), cold=False), "ms")
    report("day_spread_render_ms_cold", median_ms(lambda: render_spread("day", day), cold=True), "ms")
    report("card_render_ms_cold", median_ms(lambda: render_card("the_star", width=400), cold=True), "ms")
    report("card_render_ms_warm", median_ms(lambda: render_card("the_star", width=400), cold=False), "ms", 4)
    spread_bytes = render_spread("celtic_cross", celtic)
    report("celtic_cross_jpeg_kb", len(spread_bytes) / 1024, "KB", 0)
    # Every card of the spread replaced by a staff-uploaded picture (a 1000 x 1750 PNG each).
    custom = {card.key: render_card(card.key, width=1000) for card in celtic}
    report(
        "celtic_cross_staff_pictures_render_ms_cold",
        median_ms(lambda: (_custom_face.cache_clear(), spread_image("celtic_cross", celtic, custom=custom)), cold=True),
        "ms",
    )
    report(
        "celtic_cross_staff_pictures_render_ms_warm",
        median_ms(lambda: spread_image("celtic_cross", celtic, custom=custom), cold=False),
        "ms",
    )
    deck = {card.key: card for card in load_deck()}
    report(
        "celtic_cross_offline_interpretation_ms",
        median_ms(
            lambda: interpret_offline(spread_key="celtic_cross", drawn=celtic, deck=deck, area="love", question="Q"),
            cold=False,
        ),
        "ms",
        3,
    )

    keys = card_keys()
    index = {key: i for i, key in enumerate(keys)}
    cards: Counter = Counter()
    orientations: Counter = Counter()
    start = time.perf_counter()
    for _ in range(DRAWS):
        (card,) = draw(1)
        cards[index[card.key]] += 1
        orientations[int(card.reversed)] += 1
    draw_us = (time.perf_counter() - start) * 1e6 / DRAWS
    chi_cards = chi_square(cards, len(keys), DRAWS)
    chi_orient = chi_square(orientations, 2, DRAWS)
    print(f"draw_chi2_cards: {chi_cards:.1f} (df={len(keys) - 1})")
    report("draw_chi2_cards_p", chi2_sf(chi_cards, len(keys) - 1))
    print(f"draw_chi2_orientation: {chi_orient:.2f} (df=1)")
    report("draw_chi2_orientation_p", chi2_sf(chi_orient, 1))
    report("draw_one_card_us", draw_us, "us")

    # Each position of a spread must be as fair as a single draw: the card in the Celtic cross's outcome slot.
    outcome: Counter = Counter()
    for _ in range(DRAWS):
        outcome[index[draw_spread("celtic_cross")[-1].key]] += 1
    chi_outcome = chi_square(outcome, len(keys), DRAWS)
    print(f"celtic_outcome_position_chi2_cards: {chi_outcome:.1f} (df={len(keys) - 1})")
    report("celtic_outcome_position_chi2_cards_p", chi2_sf(chi_outcome, len(keys) - 1))

    day_counts: Counter = Counter()
    start = time.perf_counter()
    for user in range(DRAWS):
        card = draw_for_day(f"{user}:2026-11-22", secret=DAY_KEY)
        day_counts[2 * index[card.key] + int(card.reversed)] += 1
    day_us = (time.perf_counter() - start) * 1e6 / DRAWS
    chi_day = chi_square(day_counts, 2 * len(keys), DRAWS)
    print(f"day_chi2_cards_x_orientation: {chi_day:.1f} (df={2 * len(keys) - 1})")
    report("day_chi2_cards_x_orientation_p", chi2_sf(chi_day, 2 * len(keys) - 1))
    report("draw_for_day_us", day_us, "us")


if __name__ == "__main__":
    main()
