"""manage.py place: show the birthplace candidates the bot would offer for a typed name or a map pin."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from users.places import PlaceMatch, get_index


def place_candidates(
    query: str, *, on_date: date, lang: str = "ru", limit: int = 5, near: tuple[float, float] | None = None
) -> list[dict[str, Any]]:
    """The candidates as plain dicts, best first (what --json prints)."""
    index = get_index()
    if near is not None:
        place = index.nearest(*near)
        matches = [PlaceMatch(place, "exact")] if place else []
    else:
        matches = index.match(query, limit=limit)
    return [
        {**m.place.as_dict(lang, on_date), "label": m.place.label(lang, on_date), "match": m.kind, "edits": m.distance}
        for m in matches
    ]


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date must look like 1990-03-15, got {text!r}") from exc


def _parse_near(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise CommandError(f"--near must look like 55.75,37.62, got {text!r}") from exc
    return lat, lon


class Command(BaseCommand):
    help = "Show the birthplaces the bot would offer for a typed name (or --near LAT,LON), best first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="*", help="the name as a user would type it")
        parser.add_argument("--date", default=None, help="birth date for the UTC offset (YYYY-MM-DD, default today)")
        parser.add_argument("--lang", choices=["ru", "en"], default="ru")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--near", default=None, help="a map pin instead of a name: LAT,LON")
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        query = " ".join(options["name"]).strip()
        near = _parse_near(options["near"]) if options["near"] else None
        if not query and near is None:
            raise CommandError("give a place name or --near LAT,LON")
        on_date = _parse_date(options["date"]) if options["date"] else date.today()
        rows = place_candidates(query, on_date=on_date, lang=options["lang"], limit=options["limit"], near=near)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No places found.")
            return
        for n, row in enumerate(rows, 1):
            self.stdout.write(
                f"{n}. {row['label']}  [{row['match']}{', edits ' + str(row['edits']) if row['edits'] else ''}]"
                f"  {row['tz']}  {row['lat']:.4f},{row['lon']:.4f}  pop {row['population']}"
                f"  geonames {row['geoname_id']}"
            )
