"""What writing the general daily texts per UTC offset group costs: groups in the gazetteer's zones, texts per
day, the daily prompt's size, the sky and the offline writer's time per group.

Run from the repository root: .venv/bin/python benchmarks/offset_groups.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")

import django

django.setup()

from horoscopes.astro import SIGNS, sky_of_day  # noqa: E402
from horoscopes.astro.sky import offset_zone_name  # noqa: E402
from horoscopes.llm.prompts import DAILY, DEFAULTS  # noqa: E402
from horoscopes.writer import daily_facts, write_daily  # noqa: E402
from horoscopes.writer.grammar import date_text, sign_name  # noqa: E402
from users.models import Language  # noqa: E402
from users.places import get_index  # noqa: E402

FORMER_USSR = {"RU", "UA", "BY", "KZ", "UZ", "KG", "TJ", "TM", "AZ", "AM", "GE", "MD", "LT", "LV", "EE"}
WINTER, SUMMER = date(2027, 1, 15), date(2027, 7, 15)
LANGUAGES = tuple(Language.values)


def offset(tz: str, day: date) -> int:
    """The zone's offset at local noon, in minutes (how readers are grouped)."""
    value = datetime.combine(day, dt_time(12), tzinfo=ZoneInfo(tz)).utcoffset()
    return int(value.total_seconds() // 60) if value is not None else 0


def groups(day: date, countries: set[str] | None = None) -> set[int]:
    index = get_index()
    found = set()
    for i, tz_index in enumerate(index._tz_idx):
        if countries is None or index._countries[index._country_idx[i]] in countries:
            found.add(offset(index._timezones[tz_index], day))
    return found


def main() -> None:
    index = get_index()
    print(f"gazetteer_zones: {len(set(index._timezones))} zones")
    for label, day in (("january", WINTER), ("july", SUMMER)):
        everywhere, ussr = groups(day), groups(day, FORMER_USSR)
        print(f"offset_groups_all_places_{label}: {len(everywhere)} groups")
        print(f"offset_groups_former_ussr_{label}: {len(ussr)} groups")
        print(f"texts_per_day_all_places_{label}: {len(everywhere) * len(SIGNS) * len(LANGUAGES)} texts")
        print(f"texts_per_day_former_ussr_{label}: {len(ussr) * len(SIGNS) * len(LANGUAGES)} texts")
    print(f"texts_per_day_one_zone: {len(SIGNS) * len(LANGUAGES)} texts")

    sky = sky_of_day(WINTER, offset_zone_name(180))
    for language in LANGUAGES:
        prompt = DEFAULTS[(DAILY, language)]
        user = Template(prompt.template).safe_substitute(
            sign=sign_name("leo", language),
            date=date_text(WINTER, language),
            tz=sky.tz,
            facts=daily_facts("leo", sky, language),
        )
        print(f"daily_prompt_chars_{language}: {len(prompt.system) + len(user)} chars")

    started = time.perf_counter()
    for minutes in range(-600, 780, 60):
        sky_of_day(WINTER, offset_zone_name(minutes))
    per_sky = (time.perf_counter() - started) * 1000.0 / 23
    print(f"sky_per_offset_group: {per_sky:.1f} ms")
    started = time.perf_counter()
    for sign in SIGNS:
        for language in LANGUAGES:
            write_daily(sign, sky, language)
    per_group = (time.perf_counter() - started) * 1000.0
    print(f"offline_writer_per_offset_group: {per_group:.1f} ms")


if __name__ == "__main__":
    main()
