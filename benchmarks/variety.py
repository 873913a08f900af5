"""Variety benchmark: how often the offline writer repeats itself, for one reader and across readers.

    .venv/bin/python benchmarks/variety.py [--from 2026-12-01] [--days 30] [--people 24] [--charts 200]

- daily_repeat_rate_30d: the share of a sign's sentences over the days that the reader of that sign has
  already read on an earlier day (or earlier the same day), worst sign and language.
- cross_sign_shared_sentences_per_day: sentences found in the texts of two or more signs on the same day,
  per day (language by language, summed).
- daily_repeated_phrases: word 4-grams found twice or more in one daily text, per text.
- natal_repeated_phrases: word 4-grams found twice or more in one offline natal interpretation, per reading.
- personal_repeat_rate_30d, personal_repeated_phrases: the same for personal horoscopes (random people).
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[\w′°']+", re.UNICODE)
TZ = "Europe/Moscow"


def sentences(text: str) -> list[str]:
    """The sentences of a text, without markup."""
    plain = html.unescape(TAG.sub("", text))
    return [s.strip() for line in plain.splitlines() for s in SENTENCE_END.split(line) if s.strip()]


def repeated_phrases(text: str, n: int = 4) -> int:
    """How many distinct word n-grams occur more than once in the text."""
    words = WORD.findall(html.unescape(TAG.sub(" ", text)).lower())
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return sum(1 for count in grams.values() if count > 1)


def repeat_rate(days: Iterable[list[str]]) -> float:
    """The share of sentences already seen earlier in the sequence."""
    seen: set[str] = set()
    total = again = 0
    for day in days:
        for sentence in day:
            total += 1
            again += sentence in seen
            seen.add(sentence)
    return again / total if total else 0.0


def report(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", default="2026-12-01")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--people", type=int, default=24)
    parser.add_argument("--charts", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.utils import translation

    from horoscopes.astro import compute_chart, sky_of_day, transits
    from horoscopes.astro.constants import SIGNS, sign_of
    from horoscopes.writer import write_daily, write_personal
    from horoscopes.writer.natal import interpretation_offline

    start = date.fromisoformat(args.start)
    days = [start + timedelta(days=i) for i in range(args.days)]
    skies = [sky_of_day(day, TZ) for day in days]

    worst_rate = 0.0
    shared_total = 0
    phrase_total = texts = 0
    for language in ("ru", "en"):
        by_sign: dict[str, list[list[str]]] = {sign: [] for sign in SIGNS}
        for sky in skies:
            owners: dict[str, set[str]] = {}
            for sign in SIGNS:
                sections = write_daily(sign, sky, language)
                text = "\n".join(sections.values())
                phrase_total += repeated_phrases(text)
                texts += 1
                found = sentences(text)
                by_sign[sign].append(found)
                for sentence in set(found):
                    owners.setdefault(sentence, set()).add(sign)
            shared_total += sum(1 for signs in owners.values() if len(signs) > 1)
        worst_rate = max(worst_rate, *(repeat_rate(by_sign[sign]) for sign in SIGNS))
    report("daily_repeat_rate_30d", worst_rate * 100, "% (worst sign)")
    report("cross_sign_shared_sentences_per_day", shared_total / len(days), "sentences")
    report("daily_repeated_phrases", phrase_total / texts, "per text")

    rng = random.Random(12)
    births = [
        datetime(1950, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 365 * 55))
        for _ in range(max(args.charts, args.people))
    ]
    places = [(rng.uniform(-45, 60), rng.uniform(-120, 140)) for _ in births]
    natal_repeats = []
    for index in range(args.charts):
        chart = compute_chart(births[index], *places[index], with_houses=index % 4 != 0)
        for language in ("ru", "en"):
            with translation.override(language):
                natal_repeats.append(repeated_phrases(interpretation_offline(chart.to_dict(), language)))
    report("natal_repeated_phrases", sum(natal_repeats) / len(natal_repeats), "per reading")
    report("natal_readings_with_repeats", 100 * sum(1 for n in natal_repeats if n) / len(natal_repeats), "%")

    worst_rate = 0.0
    personal_phrases = personal_texts = 0
    for index in range(args.people):
        chart = compute_chart(births[index], *places[index], with_houses=index % 4 != 0)
        sun_sign = sign_of(chart.points["sun"].longitude)
        for language in ("ru", "en"):
            history = []
            for day, sky in zip(days, skies, strict=True):
                found = transits(chart, day, TZ)
                sections = write_personal(natal=chart, transits=found, sky=sky, sun_sign=sun_sign, lang=language)
                text = "\n".join(sections.values())
                personal_phrases += repeated_phrases(text)
                personal_texts += 1
                history.append(sentences(text))
            worst_rate = max(worst_rate, repeat_rate(history))
    report("personal_repeat_rate_30d", worst_rate * 100, "% (worst person)")
    report("personal_repeated_phrases", personal_phrases / personal_texts, "per text")


if __name__ == "__main__":
    main()
