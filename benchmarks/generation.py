"""Generation benchmark: a full day of daily horoscopes (12 signs x 2 languages) by the LLM and offline.

    .venv/bin/python benchmarks/generation.py [--latency 0] [--days 30]

1. LLM: every text of one day written through the LLM layer against the fake OpenAI-compatible server
   (tests/fakes/openai_server.py) on loopback: time, LLM calls, tokens and the estimated cost as logged.
   --latency adds seconds per call on the fake, e.g. 2.0 for a realistic hosted model.
2. Offline writer: time per text for the writer alone, and per stored text (facts, writing, the database).
3. The same day again: nothing is written twice.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = """\
from config.settings import *  # noqa: F403

# Until the horoscopes app has migration files, its tables are created straight from the models.
if not any(p.name[:1].isdigit() for p in (BASE_DIR / "horoscopes" / "migrations").glob("*.py")):  # noqa: F405
    MIGRATION_MODULES = {"horoscopes": None}
"""
SECTIONS = ("overview", "love", "work", "health", "money", "tip")


def answer(request: dict) -> str:
    """What a well-behaved model returns: the six sections as JSON in the prompt's language."""
    russian = "Знак" in request["messages"][-1]["content"]
    text = (
        "Луна поддерживает спокойные и честные разговоры, а вечер хорош для отдыха."
        if russian
        else "The Moon supports calm and honest conversations, and the evening suits rest."
    )
    return json.dumps(dict.fromkeys(SECTIONS, text), ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake LLM takes per answer")
    parser.add_argument("--days", type=int, default=30, help="days for the offline writer's timing")
    args = parser.parse_args()

    from tests.fakes.openai_server import FakeOpenAI

    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(latency=args.latency) as llm:
        workdir = Path(tmp)
        (workdir / "bench_generation_settings.py").write_text(SETTINGS)
        sys.path.insert(0, str(workdir))
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench_generation_settings",
            DEBUG="1",
            TESTING="0",
            ENV_FILE=os.devnull,
            SQLITE_PATH=str(workdir / "generation.sqlite3"),
            LLM_BASE_URL=llm.base_url,
            LLM_API_KEY="benchmark",
            LLM_MODEL="gpt-4o-mini",
            LOG_LEVEL="WARNING",
            Q_SYNC="1",
        )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)  # the apps with migrations first: tables others point to
        call_command("migrate", run_syncdb=True, verbosity=0)
        from django.conf import settings
        from django.db.models import Sum

        from horoscopes.astro import sky_of_day
        from horoscopes.astro.constants import SIGNS
        from horoscopes.daily import services, tasks
        from horoscopes.daily.models import DailyHoroscope
        from horoscopes.llm.models import GenerationLog
        from horoscopes.writer import write_daily

        llm.responder = answer
        day = date.today() + timedelta(days=3)

        # One day, 12 signs x 2 languages, against the fake OpenAI-compatible server.
        started = time.perf_counter()
        for language in ("ru", "en"):
            for sign in SIGNS:
                services.daily_generate(sign=sign, day=day, language=language)
        elapsed = time.perf_counter() - started
        logs = GenerationLog.objects.exclude(model="offline-writer")
        totals = logs.aggregate(tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"), cost=Sum("cost"))
        by_source = {s: DailyHoroscope.objects.filter(date=day, source=s).count() for s in ("llm", "offline")}
        print(f"fake_llm_latency: {args.latency:.2f} s per call")
        print(f"day_texts_by_llm: {by_source['llm']} texts")
        print(f"day_texts_offline: {by_source['offline']} texts")
        print(f"day_llm_calls: {len(llm.calls_to('/chat/completions'))} calls")
        print(f"day_time: {elapsed:.2f} s")
        print(f"day_time_per_text: {elapsed / 24 * 1000:.0f} ms")
        print(f"day_tokens_in: {totals['tokens_in']} tokens")
        print(f"day_tokens_out: {totals['tokens_out']} tokens")
        print(f"day_estimated_cost: {totals['cost']:.6f} USD")
        latencies = sorted(logs.values_list("latency_ms", flat=True))
        print(f"call_latency_p50: {statistics.median(latencies)} ms")

        # The same day again: the 06:00 and 18:00 runs are idempotent.
        calls_before = len(llm.calls)
        started = time.perf_counter()
        for language in ("ru", "en"):
            for sign in SIGNS:
                services.daily_generate(sign=sign, day=day, language=language)
        print(f"rerun_llm_calls: {len(llm.calls) - calls_before} calls")
        print(f"rerun_time: {(time.perf_counter() - started) * 1000:.0f} ms")

        # An LLM that answers garbage: every text is still written, offline.
        llm.responder = lambda request: "<html>upstream hiccup"
        GenerationLog.objects.all().delete()
        other = day + timedelta(days=1)
        started = time.perf_counter()
        for sign in SIGNS:
            services.daily_generate(sign=sign, day=other, language="ru")
        offline = DailyHoroscope.objects.filter(date=other, source="offline").count()
        print(f"garbage_llm_texts_offline: {offline} of 12 texts")
        print(f"garbage_llm_time: {time.perf_counter() - started:.2f} s")
        print(f"garbage_llm_calls_before_breaker: {logs.count()} calls")

        # The offline writer.
        days = [date(2025, 1, 1) + timedelta(days=n) for n in range(args.days)]
        skies = [sky_of_day(d, settings.HOROSCOPE_SKY_TZ) for d in days]
        samples = []
        for sky in skies:
            for sign in SIGNS:
                for language in ("ru", "en"):
                    started = time.perf_counter()
                    write_daily(sign, sky, language)
                    samples.append((time.perf_counter() - started) * 1000)
        print(f"offline_write_per_text_p50: {statistics.median(samples):.3f} ms")
        print(f"offline_write_per_text_max: {max(samples):.3f} ms")
        settings.LLM_BASE_URL = settings.LLM_API_KEY = ""
        started = time.perf_counter()
        stored = tasks.daily_generate_ahead()
        elapsed = time.perf_counter() - started
        each = elapsed / max(stored, 1) * 1000
        print(f"offline_generate_ahead_texts: {stored} texts")
        print(f"offline_generate_ahead_per_text: {each:.1f} ms")
        cold = date(2031, 1, 1)
        started = time.perf_counter()
        services.daily_read(sign="leo", day=cold, language="ru")
        print(f"missing_text_on_read_cold_sky: {(time.perf_counter() - started) * 1000:.1f} ms")
        if llm.errors:
            raise SystemExit(f"the fake LLM failed: {llm.errors[:3]}")


if __name__ == "__main__":
    main()
