"""`manage.py chart`: a chart for a UTC moment and place, printed as a table or JSON, and its wheel."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from horoscopes.astro import HOUSE_SYSTEMS, compute_chart
from horoscopes.report import format_chart, render_wheel


def parse_utc(text: str) -> datetime:
    """UTC datetime from ISO text such as 1990-05-15T10:30 (naive means UTC; an offset is converted)."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError as exc:
        raise CommandError(f"--utc: expected an ISO date and time like 1990-05-15T10:30, got {text!r}") from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Command(BaseCommand):
    """Print a natal chart for a moment and place."""

    help = (
        "Compute a chart: planets, the mean node (and the true node beside it), Ascendant, MC, house cusps, "
        "aspects; optionally draw the wheel."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Command-line options."""
        parser.add_argument("--utc", required=True, help="moment in UTC, e.g. 1990-05-15T10:30")
        parser.add_argument("--lat", type=float, required=True, help="latitude in degrees, north positive")
        parser.add_argument("--lon", type=float, required=True, help="longitude in degrees, east positive")
        parser.add_argument("--house-system", default="placidus", choices=HOUSE_SYSTEMS)
        parser.add_argument("--no-houses", action="store_true", help="birth time unknown: no houses, Asc or MC")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument(
            "--lang", default="en", choices=[code for code, _name in settings.LANGUAGES], help="language of the table"
        )
        parser.add_argument("--png", metavar="FILE", help="also write the chart wheel to this PNG file")
        parser.add_argument("--size", type=int, default=1280, help="wheel size in pixels (default 1280)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Compute, print and optionally draw."""
        moment = parse_utc(options["utc"])
        try:
            chart = compute_chart(
                moment,
                options["lat"],
                options["lon"],
                house_system=options["house_system"],
                with_houses=not options["no_houses"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(chart.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_chart(chart, options["lang"]))
        if options["png"]:
            if not 200 <= options["size"] <= 4096:
                raise CommandError("--size must be between 200 and 4096 pixels")
            path = Path(options["png"])
            path.write_bytes(render_wheel(chart, size=options["size"], lang=options["lang"]))
            self.stderr.write(f"wheel written to {path}")
