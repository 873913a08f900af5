"""`manage.py daily_texts`: preview the general daily texts the offline writer makes, without storing them."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from horoscopes.astro import sky_of_day
from horoscopes.astro.constants import SIGNS
from horoscopes.writer import SECTIONS, write_daily
from users.selectors import zone_or_none

MAX_DAYS = 366


class Command(BaseCommand):
    """Print the offline writer's general texts for a range of days, signs and one language."""

    help = (
        "Print the general daily texts the offline writer makes for the given days (all signs or one), "
        "computed for the local date in the given time zone; nothing is stored."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Command-line options."""
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=1, help=f"number of days (1-{MAX_DAYS}, default 1)")
        parser.add_argument("--language", required=True, choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--tz", help=f"IANA time zone of the reader's day (default {settings.HOROSCOPE_SKY_TZ})")
        parser.add_argument("--sign", choices=SIGNS, help="one sign (default: all twelve)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of {sign, date, language, tz, text}")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the texts and print them."""
        try:
            start = date.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(f"--from: expected a date like 2026-12-14, got {options['start']!r}") from exc
        days = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days: expected 1 to {MAX_DAYS}, got {days}")
        tz = options["tz"] or settings.HOROSCOPE_SKY_TZ
        if zone_or_none(tz) is None:
            raise CommandError(f"--tz: unknown time zone {tz!r}; use an IANA name such as Asia/Vladivostok")
        try:
            last = start + timedelta(days=days - 1)
        except OverflowError as exc:
            raise CommandError("--from and --days go past the last supported date") from exc
        language = options["language"]
        signs = [options["sign"]] if options["sign"] else list(SIGNS)
        texts = []
        for offset in range((last - start).days + 1):
            day = start + timedelta(days=offset)
            # The sky of the reader's own local day: its events, and their times in that zone.
            sky = sky_of_day(day, tz)
            for sign in signs:
                sections = write_daily(sign, sky, language)
                text = "\n\n".join(sections[name] for name in SECTIONS)
                texts.append({"sign": sign, "date": day.isoformat(), "language": language, "tz": tz, "text": text})
        if options["json"]:
            self.stdout.write(json.dumps(texts, ensure_ascii=False, indent=2))
            return
        for item in texts:
            self.stdout.write(f"== {item['date']} {item['sign']} ({item['language']}, {item['tz']})\n{item['text']}\n")
