"""Benchmark of the offline places index: load time, memory, lookup latency and typo accuracy."""

import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from users.places import PlaceIndex  # noqa: E402
from users.places.build import FORMER_USSR  # noqa: E402

# Names people really type, with the GeoNames id they mean (slang, old names, typos, Latin script).
HAND_PICKED = {
    "Москва": 524901,
    "Питер": 498817,
    "СПб": 498817,
    "Ленинград": 498817,
    "Санкт Петербург": 498817,
    "Екатеринбург": 1486209,
    "Свердловск": 1486209,
    "Ёбург": 1486209,
    "Екатеренбург": 1486209,
    "Нижний Новгород": 520555,
    "НН": 520555,
    "Горький": 520555,
    "Новосибирск": 1496747,
    "Новосиб": 1496747,
    "Novosibirks": 1496747,
    "Самара": 499099,
    "Куйбышев": 499099,
    "Тверь": 480060,
    "Калинин": 480060,
    "Волгоград": 472757,
    "Сталинград": 472757,
    "Бишкек": 1528675,
    "Фрунзе": 1528675,
    "Алма-Ата": 1526384,
    "Almaty": 1526384,
    "Moscow": 524901,
    "Saint Petersburg": 498817,
    "sankt-peterburg": 498817,
    "Kazan": 551487,
    "Казан": 551487,
    "Челябинск": 1508291,
    "Челябинкс": 1508291,
    "Омкс": 1496153,
    "Krasnoyarks": 1502026,
    "Ростов-на-Дону": 501175,
    "Уфа": 479561,
    "Пермь": 511196,
    "Воронеж": 472045,
    "Киев": 703448,
    "Kiev": 703448,
    "Одесса": 698740,
    "Харьков": 706483,
    "Минск": 625144,
    "Ташкент": 1512569,
}
TYPO_SAMPLE = 300
CLEAN_SAMPLE = 300


def _typo(name: str, rng: random.Random) -> str:
    letters = list(name)
    pos = rng.randrange(1, len(letters) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        letters[pos], letters[pos + 1] = letters[pos + 1], letters[pos]
    elif kind == "drop":
        del letters[pos]
    elif kind == "double":
        letters.insert(pos, letters[pos])
    else:
        letters[pos] = rng.choice("аеиоуыяaeiou" if "а" <= letters[pos].lower() <= "я" else "aeiou")
    return "".join(letters)


def _queries(index: PlaceIndex) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    rng = random.Random(20240601)
    places = sorted(index.all_places(), key=lambda p: -p.population)
    big_ussr = [p for p in places if p.country in FORMER_USSR][:CLEAN_SAMPLE]
    big_world = [p for p in places if p.country not in FORMER_USSR][: CLEAN_SAMPLE // 3]
    clean = [(p.name_ru, p.geoname_id) for p in big_ussr] + [(p.name_en, p.geoname_id) for p in big_world]
    clean += [(p.name_en, p.geoname_id) for p in big_ussr[:100]]
    clean += list(HAND_PICKED.items())
    long_enough = [(name, gid) for name, gid in clean if len(name) >= 6]
    typos = [(_typo(name, rng), gid) for name, gid in rng.sample(long_enough, TYPO_SAMPLE)]
    return clean, typos


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _cold_start_ms() -> float:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter();"
        "from users.places import get_index; get_index(); print((time.perf_counter() - t) * 1000)"
    )
    runs = [float(subprocess.check_output([sys.executable, "-c", code, str(ROOT)], text=True)) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    loads, load_cpu = [], []
    for _ in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        PlaceIndex.load()
        loads.append((time.perf_counter() - started) * 1000)
        load_cpu.append((time.process_time() - started_cpu) * 1000)

    tracemalloc.start()
    index = PlaceIndex.load()
    index.nearest(55.75, 37.62)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    clean, typos = _queries(index)
    timings = []
    for query, _ in clean + typos:
        # Best of three, so that a moment when another process holds the CPU does not count as lookup time.
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            index.search(query)
            runs.append((time.perf_counter() - started) * 1000)
        timings.append(min(runs))
    top1_clean = sum(1 for q, gid in clean if (r := index.search(q)) and r[0].geoname_id == gid) / len(clean)
    top5_typo = sum(1 for q, gid in typos if gid in {p.geoname_id for p in index.search(q)}) / len(typos)
    pins = [(p.lat + 0.05, p.lon - 0.05) for p in index.all_places()][::200]
    pin_times = []
    for lat, lon in pins:
        started = time.perf_counter()
        index.nearest(lat, lon)
        pin_times.append((time.perf_counter() - started) * 1000)

    print(f"places_count: {len(index)} places")
    print(f"places_data_file_mb: {(ROOT / 'users/places/data/places.bin').stat().st_size / 1e6:.2f} MB")
    print(f"places_load_ms: {statistics.median(loads):.1f} ms")
    # CPU time of the same loads: the figure to trust when other processes share the two cores.
    print(f"places_load_cpu_ms: {statistics.median(load_cpu):.1f} ms")
    print(f"places_cold_start_ms: {_cold_start_ms():.1f} ms")
    print(f"places_memory_mb: {retained / 1e6:.1f} MB")
    print(f"places_load_peak_mb: {peak / 1e6:.1f} MB")
    print(f"places_queries: {len(timings)} queries")
    print(f"places_lookup_ms_p50: {_percentile(timings, 50):.3f} ms")
    print(f"places_lookup_ms_p99: {_percentile(timings, 99):.3f} ms")
    print(f"places_lookup_ms_max: {max(timings):.3f} ms")
    print(f"places_top1_exact_names: {top1_clean * 100:.1f} %")
    print(f"places_top5_typos: {top5_typo * 100:.1f} %")
    print(f"places_nearest_ms_p50: {_percentile(pin_times, 50):.3f} ms")
    print(f"places_nearest_ms_p99: {_percentile(pin_times, 99):.3f} ms")


if __name__ == "__main__":
    main()
