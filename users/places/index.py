"""Offline birthplace lookup: typed names (Russian or Latin, typos allowed) and map pins to places."""

import heapq
import math
import re
import threading
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from rapidfuzz import process
from rapidfuzz.distance import OSA

from users.places.aliases import ALIASES
from users.places.countries import country_name, region_name_ru
from users.places.datafile import DATA_PATH, read_data
from users.places.text import fold

MatchKind = Literal["exact", "prefix", "fuzzy"]

MAX_QUERY_CHARS = 120
MIN_PREFIX_LEN = 3
MIN_FUZZY_LEN = 4
NEAREST_MAX_KM = 300.0
_EARTH_KM = 6371.0088
# Words people put before a name ("г. Москва", "город Кировск", "city of London") that no key contains.
_LEADING_WORDS = frozenset(
    {"г", "гор", "город", "пгт", "пос", "поселок", "посёлок", "с", "село", "д", "дер", "деревня", "ст", "станица"}
    | {"рп", "city", "of", "town", "village"}
)
_WORD = re.compile(r"[^\W\d_]+|\d+")


def utc_offset(tz: str, on: date) -> str:
    """The zone's UTC offset at local noon of that date, as "+03:00" (seconds only when not zero)."""
    offset = datetime(on.year, on.month, on.day, 12, tzinfo=_zone(tz)).utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    # Before standard time zones (e.g. Moscow until 1919) offsets were local mean time, to the second.
    return f"{text}:{secs:02d}" if secs else text


@lru_cache(maxsize=512)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


@dataclass(frozen=True)
class Place:
    """A populated place from GeoNames, named in Russian and English."""

    geoname_id: int
    name_ru: str
    name_en: str
    region_ru: str
    region_en: str
    country: str
    lat: float
    lon: float
    tz: str
    population: int

    def name(self, lang: str) -> str:
        """The place name in "ru" or "en" (anything else reads as English)."""
        return self.name_ru if lang == "ru" else self.name_en

    def region(self, lang: str) -> str:
        """The first-level region (oblast, state, ...) in "ru" or "en"; may be empty."""
        return self.region_ru if lang == "ru" else self.region_en

    def region_shown(self, lang: str) -> str:
        """The region to show in `lang`: empty when GeoNames has no name for it in that language (a Russian
        label never shows "Ohio")."""
        region = self.region(lang)
        if lang == "ru" and any("a" <= ch <= "z" for ch in region.casefold()):
            return region_name_ru(self.country, self.region_en)
        return region

    def country_name(self, lang: str) -> str:
        """The country in "ru" or "en": "Россия", "Russia"."""
        return country_name(self.country, lang)

    def title(self, lang: str) -> str:
        """The place as people name it, all in one language: "Кировск, Мурманская обл., Россия"."""
        parts = [self.name(lang)]
        region = self.region_shown(lang)
        if region and fold(region) != fold(parts[0]):
            parts.append(region)
        country = self.country_name(lang)
        if country and fold(country) != fold(parts[0]):
            parts.append(country)
        return ", ".join(parts)

    def label(self, lang: str, on_date: date) -> str:
        """A button label such as "Кировск, Мурманская обл., Россия, UTC+03:00"."""
        return f"{self.title(lang)}, UTC{utc_offset(self.tz, on_date)}"

    def as_dict(self, lang: str, on_date: date) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "geoname_id": self.geoname_id,
            "name": self.name(lang),
            "region": self.region(lang),
            "country": self.country,
            "country_name": self.country_name(lang),
            "lat": self.lat,
            "lon": self.lon,
            "tz": self.tz,
            "utc_offset": utc_offset(self.tz, on_date),
            "population": self.population,
        }


@dataclass(frozen=True)
class PlaceMatch:
    """A search hit: the place, how its name matched, and the edit distance for fuzzy hits.

    `other_name` is True when the text matched a former or foreign name rather than the name shown
    (e.g. "Кировск" finding Babadaýhan), so the caller can say why the place is offered.
    """

    place: Place
    kind: MatchKind
    distance: int = 0
    other_name: bool = False


@dataclass(frozen=True)
class _Buckets:
    keys: list[str]
    order: Any
    runs: dict[str, list[list[int]]]

    def window(self, letter: str, length: int, spread: int) -> tuple[int, int]:
        """The slice of `keys` that start (or continue) with `letter` and have a length within spread."""
        start = end = -1
        for run_len, run_start, run_end in self.runs.get(letter, ()):
            if run_len < length - spread:
                continue
            if run_len > length + spread:
                break
            if start < 0:
                start = run_start
            end = run_end
        return (start, end) if start >= 0 else (0, 0)


class PlaceIndex:
    """All places in memory with sorted name keys; build once with `get_index()` and share."""

    def __init__(self, sections: dict[str, Any], meta: dict[str, Any]) -> None:
        self.meta = meta
        self._gid = sections["geoname_id"]
        self._lat = sections["lat"]
        self._lon = sections["lon"]
        self._pop = sections["population"]
        self._country_idx = sections["country"]
        self._tz_idx = sections["tz"]
        self._region_idx = sections["region"]
        self._name_ru = sections["name_ru"]
        self._name_en = sections["name_en"]
        self._countries = sections["countries"]
        self._timezones = sections["timezones"]
        self._region_ru = sections["region_ru"]
        self._region_en = sections["region_en"]
        self._keys: list[str] = sections["keys"]
        self._offsets = sections["key_offsets"]
        self._postings = sections["postings"]
        keys = self._keys
        buckets = meta["buckets"]
        self._first = _Buckets([keys[i] for i in sections["fuzzy_first"]], sections["fuzzy_first"], buckets["first"])
        self._second = _Buckets(
            [keys[i] for i in sections["fuzzy_second"]], sections["fuzzy_second"], buckets["second"]
        )
        self._aliases = self._resolve_aliases()
        self._grid: dict[tuple[int, int], list[int]] | None = None
        self._grid_lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = DATA_PATH) -> "PlaceIndex":
        """Read the compact data file."""
        sections, meta = read_data(path)
        return cls(sections, meta)

    def __len__(self) -> int:
        return len(self._gid)

    def _resolve_aliases(self) -> dict[str, tuple[int, ...]]:
        resolved: dict[str, set[int]] = {}
        for alias, ids in ALIASES.items():
            found = {i for i in (self._index_of(gid) for gid in ids) if i is not None}
            if found:
                resolved.setdefault(fold(alias), set()).update(found)
        return {key: tuple(sorted(found, key=self._rank_key)) for key, found in resolved.items()}

    def _index_of(self, geoname_id: int) -> int | None:
        i = bisect_left(self._gid, geoname_id)
        return i if i < len(self._gid) and self._gid[i] == geoname_id else None

    def _rank_key(self, i: int) -> tuple[int, int]:
        return -self._pop[i], self._gid[i]

    def place(self, i: int) -> Place:
        """The place stored at position i."""
        region = self._region_idx[i]
        return Place(
            geoname_id=self._gid[i],
            name_ru=self._name_ru[i],
            name_en=self._name_en[i],
            region_ru=self._region_ru[region],
            region_en=self._region_en[region],
            country=self._countries[self._country_idx[i]],
            lat=self._lat[i] / 1e5,
            lon=self._lon[i] / 1e5,
            tz=self._timezones[self._tz_idx[i]],
            population=self._pop[i],
        )

    def all_places(self) -> Iterator[Place]:
        """Every place, in GeoNames id order."""
        return (self.place(i) for i in range(len(self._gid)))

    def get(self, geoname_id: int) -> Place | None:
        """A place by its GeoNames id (what the bot stores), or None."""
        i = self._index_of(geoname_id)
        return None if i is None else self.place(i)

    def search(self, query: str, *, limit: int = 5) -> list[Place]:
        """Up to `limit` places for a typed name, best first; never raises on odd input."""
        return [m.place for m in self.match(query, limit=limit)]

    def match(self, query: str, *, limit: int = 5) -> list[PlaceMatch]:
        """Like search, with how each place matched: exact names by population, then prefixes, then typos."""
        if not isinstance(query, str) or limit <= 0:
            return []
        name, _, hint = query[:MAX_QUERY_CHARS].partition(",")
        key = fold(_strip_leading_words(name))
        if not key:
            return []
        hint_key = fold(hint)
        wanted = limit * 4 if hint_key else limit
        hits = self._lookup(key, wanted)
        if hint_key:
            hits.sort(key=lambda h: not self._matches_hint(h[0], hint_key))
        return [PlaceMatch(self.place(i), kind, distance, other) for i, kind, distance, other in hits[:limit]]

    def _lookup(self, key: str, limit: int) -> list[tuple[int, MatchKind, int, bool]]:
        seen: set[int] = set()
        hits: list[tuple[int, MatchKind, int, bool]] = []

        def add(found: list[tuple[int, int, bool]], kind: MatchKind) -> None:
            for i, distance, other_name in found:
                if len(hits) >= limit:
                    return
                if i not in seen:
                    seen.add(i)
                    hits.append((i, kind, distance, other_name))

        add(self._exact(key), "exact")
        if len(hits) < limit and len(key) >= MIN_PREFIX_LEN:
            add([(i, 0, False) for i in self._prefix(key, limit + len(seen))], "prefix")
        if len(hits) < limit and len(key) >= MIN_FUZZY_LEN:
            # Next to real matches only one-slip variants are worth a button; alone, allow a few slips.
            max_distance = 1 if hits else None
            add([(i, d, False) for i, d in self._fuzzy(key, max_distance)], "fuzzy")
        return hits

    def _exact(self, key: str) -> list[tuple[int, int, bool]]:
        """Places named `key`; a former or foreign name counts for a tenth of the population when ranking."""
        own = set(self._aliases.get(key, ()))
        found = set(own)
        k = bisect_left(self._keys, key)
        if k < len(self._keys) and self._keys[k] == key:
            found.update(self._postings[self._offsets[k] : self._offsets[k + 1]])
        for i in found - own:
            if fold(self._name_ru[i]) == key or fold(self._name_en[i]) == key:
                own.add(i)
        # "Ставрополь" must find Stavropol before Tolyatti (once Stavropol-on-Volga, and larger).
        ranked = sorted(found, key=lambda i: (-(self._pop[i] if i in own else self._pop[i] / 10), self._gid[i]))
        return [(i, 0, i not in own) for i in ranked]

    def _prefix(self, key: str, limit: int) -> list[int]:
        lo = bisect_left(self._keys, key)
        hi = bisect_left(self._keys, key + "\x7f", lo)
        if lo < len(self._keys) and self._keys[lo] == key:
            lo += 1
        if lo >= hi:
            return []
        # Keys are sorted, so every place whose name extends the prefix sits in one run of postings.
        indices = set(self._postings[self._offsets[lo] : self._offsets[hi]])
        return heapq.nsmallest(limit, indices, key=self._rank_key)

    def _fuzzy(self, key: str, max_distance: int | None = None) -> list[tuple[int, int]]:
        """Places whose name is within a few typing edits (transpositions count once), nearest first."""
        spread = 1 if len(key) <= 6 else 2 if len(key) <= 10 else 3
        if max_distance is not None:
            spread = min(spread, max_distance)
        # Same first letter first; a slip on the first letter is caught through the second one.
        for buckets, letter in ((self._first, key[0]), (self._second, key[1])):
            start, end = buckets.window(letter, len(key), spread)
            if start == end:
                continue
            found = process.extract(key, buckets.keys[start:end], scorer=OSA.distance, score_cutoff=spread, limit=40)
            if not found:
                continue
            best: dict[int, int] = {}
            for _, distance, pos in found:
                k = buckets.order[start + pos]
                for i in self._postings[self._offsets[k] : self._offsets[k + 1]]:
                    best[i] = min(int(distance), best.get(i, spread))
            ranked = sorted(best, key=lambda i: (best[i], *self._rank_key(i)))
            return [(i, best[i]) for i in ranked]
        return []

    def _matches_hint(self, i: int, hint_key: str) -> bool:
        region = self._region_idx[i]
        texts = (self._region_ru[region], self._region_en[region], self._countries[self._country_idx[i]])
        return any(hint_key in fold(text) for text in texts if text)

    def nearest(self, lat: float, lon: float, *, max_km: float = NEAREST_MAX_KM) -> Place | None:
        """The closest place to a map pin within max_km, or None (bad coordinates, open sea)."""
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        grid = self._ensure_grid()
        lat_cells = math.ceil(max_km / 111.0)
        cos_lat = max(math.cos(math.radians(min(abs(lat) + lat_cells, 90.0))), 1e-6)
        lon_cells = min(180, math.ceil(max_km / (111.0 * cos_lat)))
        cell_lat, cell_lon = math.floor(lat), math.floor(lon)
        best, best_km = None, max_km
        lon_range = range(-180, 180) if lon_cells >= 180 else range(cell_lon - lon_cells, cell_lon + lon_cells + 1)
        for dlat in range(cell_lat - lat_cells, cell_lat + lat_cells + 1):
            for raw_lon in lon_range:
                for i in grid.get((dlat, (raw_lon + 180) % 360 - 180), ()):
                    km = _haversine_km(lat, lon, self._lat[i] / 1e5, self._lon[i] / 1e5)
                    if km < best_km:
                        best, best_km = i, km
        return None if best is None else self.place(best)

    def _ensure_grid(self) -> dict[tuple[int, int], list[int]]:
        if self._grid is None:
            with self._grid_lock:
                if self._grid is None:
                    grid: dict[tuple[int, int], list[int]] = {}
                    for i in range(len(self._gid)):
                        cell = (math.floor(self._lat[i] / 1e5), math.floor(self._lon[i] / 1e5))
                        grid.setdefault(cell, []).append(i)
                    self._grid = grid
        return self._grid


def _strip_leading_words(text: str) -> str:
    words = _WORD.findall(text.lower())
    skip = 0
    while skip < len(words) - 1 and words[skip] in _LEADING_WORDS:
        skip += 1
    if not skip:
        return text
    # Cut the original text after the skipped words so hyphens and spacing inside the name survive.
    pos = 0
    lowered = text.lower()
    for word in words[:skip]:
        pos = lowered.index(word, pos) + len(word)
    return text[pos:]


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


_index: PlaceIndex | None = None
_index_lock = threading.Lock()


def get_index() -> PlaceIndex:
    """The shared index, loaded on first use (thread-safe)."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = PlaceIndex.load()
    return _index
