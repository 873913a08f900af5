"""The sky of a day (lunar events, ingresses, stations, exact aspects) and transits to a natal chart."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from horoscopes.astro import PLANETS, compute_chart, planet_positions, sky_of_day, transits
from horoscopes.astro.aspects import TRANSIT_ORBS
from horoscopes.astro.constants import ASPECTS, sign_of
from horoscopes.astro.ephemeris import body_longitude, body_speed, to_ephem_day
from horoscopes.astro.sky import local_day_bounds


def near(moment: datetime, expected: datetime, minutes: float) -> bool:
    """True when two moments are within some minutes."""
    return abs((moment - expected).total_seconds()) <= minutes * 60


def separation_at(a: str, b: str, moment: datetime) -> float:
    """Angular separation 0..180 of two points at a moment."""
    day = to_ephem_day(moment)
    return abs((body_longitude(b, day) - body_longitude(a, day) + 180.0) % 360.0 - 180.0)


def test_full_moon_2024_04_23():
    """Full moon 2024-04-23 23:49 UTC, in Scorpio."""
    sky = sky_of_day(date(2024, 4, 23), "UTC")
    assert sky.lunar_event is not None
    assert sky.lunar_event.kind == "full_moon" and sky.lunar_event.sign == "scorpio"
    assert near(sky.lunar_event.utc, datetime(2024, 4, 23, 23, 49, tzinfo=UTC), 1)
    assert sky.moon_phase == "full_moon"
    assert sky.illumination > 0.98


def test_full_moon_falls_on_the_next_local_day_in_moscow():
    """23:49 UTC is 02:49 on the 24th in Moscow: the event belongs to the local date."""
    moscow_23 = sky_of_day(date(2024, 4, 23), "Europe/Moscow")
    moscow_24 = sky_of_day(date(2024, 4, 24), "Europe/Moscow")
    assert moscow_23.lunar_event is None and moscow_23.moon_phase == "waxing_gibbous"
    assert moscow_24.lunar_event is not None and moscow_24.lunar_event.kind == "full_moon"
    assert moscow_24.lunar_event.local.hour == 2 and moscow_24.lunar_event.local.minute in (48, 49)


def test_new_moon_of_the_2024_04_08_eclipse():
    """New moon (total solar eclipse) 2024-04-08 18:21 UTC, in Aries."""
    sky = sky_of_day(date(2024, 4, 8), "UTC")
    assert sky.lunar_event is not None and sky.lunar_event.kind == "new_moon"
    assert sky.lunar_event.sign == "aries"
    assert near(sky.lunar_event.utc, datetime(2024, 4, 8, 18, 21, tzinfo=UTC), 1)
    assert sky.illumination < 0.02
    assert separation_at("sun", "moon", sky.lunar_event.utc) < 1 / 60


def test_quarter_moon():
    """Last quarter 2024-04-02 03:15 UTC."""
    sky = sky_of_day(date(2024, 4, 2), "UTC")
    assert sky.lunar_event is not None and sky.lunar_event.kind == "last_quarter"
    assert near(sky.lunar_event.utc, datetime(2024, 4, 2, 3, 15, tzinfo=UTC), 1.5)


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (date(2024, 4, 11), "waxing_crescent"),
        (date(2024, 4, 19), "waxing_gibbous"),
        (date(2024, 4, 27), "waning_gibbous"),
        (date(2024, 5, 5), "waning_crescent"),
    ],
)
def test_phase_names_between_events(day, phase):
    """Phase names by elongation on days without an exact event."""
    sky = sky_of_day(day, "UTC")
    assert sky.lunar_event is None and sky.moon_phase == phase


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        (date(2024, 4, 1), "retrograde", datetime(2024, 4, 1, 22, 14, tzinfo=UTC)),
        (date(2024, 4, 25), "direct", datetime(2024, 4, 25, 12, 54, tzinfo=UTC)),
        (date(2024, 8, 5), "retrograde", datetime(2024, 8, 5, 4, 56, tzinfo=UTC)),
        (date(2024, 8, 28), "direct", datetime(2024, 8, 28, 21, 14, tzinfo=UTC)),
    ],
)
def test_mercury_stations_2024(day, kind, expected):
    """Mercury's 2024 stations at their published times."""
    sky = sky_of_day(day, "UTC")
    stations = [x for x in sky.stations if x.point == "mercury"]
    assert len(stations) == 1
    assert stations[0].kind == kind
    assert near(stations[0].utc, expected, 2)
    day_number = to_ephem_day(stations[0].utc)
    before, after = body_speed("mercury", day_number - 0.1), body_speed("mercury", day_number + 0.1)
    assert (before > 0 > after) if kind == "retrograde" else (before < 0 < after)


def test_mercury_station_in_moscow_is_on_the_2nd():
    """The 22:14 UTC station is at 01:14 on 2 April in Moscow."""
    assert not [x for x in sky_of_day(date(2024, 4, 1), "Europe/Moscow").stations if x.point == "mercury"]
    station = next(x for x in sky_of_day(date(2024, 4, 2), "Europe/Moscow").stations if x.point == "mercury")
    assert (station.local.day, station.local.hour, station.local.minute) == (2, 1, 14)


@pytest.mark.parametrize(
    ("day", "point", "sign", "expected", "minutes"),
    [
        (date(2024, 3, 20), "sun", "aries", datetime(2024, 3, 20, 3, 6, tzinfo=UTC), 1),
        (date(2024, 6, 20), "sun", "cancer", datetime(2024, 6, 20, 20, 51, tzinfo=UTC), 1),
        (date(2024, 12, 21), "sun", "capricorn", datetime(2024, 12, 21, 9, 20, 30, tzinfo=UTC), 1),
        (date(2024, 8, 5), "venus", "virgo", datetime(2024, 8, 5, 2, 23, tzinfo=UTC), 2),
    ],
)
def test_ingresses(day, point, sign, expected, minutes):
    """Equinox, solstices and a Venus ingress at their published times."""
    sky = sky_of_day(day, "UTC")
    found = [x for x in sky.ingresses if x.point == point]
    assert len(found) == 1
    assert found[0].sign == sign and not found[0].retrograde
    assert near(found[0].utc, expected, minutes)


def test_moon_sign_change_is_exact():
    """The Moon changes sign at the reported second, and the noon sign is reported."""
    sky = sky_of_day(date(2024, 4, 23), "UTC")
    change = sky.moon_sign_change
    assert change is not None and (change.previous_sign, change.sign) == ("libra", "scorpio")
    before = planet_positions(change.utc - timedelta(seconds=5))["moon"].sign
    after = planet_positions(change.utc + timedelta(seconds=5))["moon"].sign
    assert (before, after) == ("libra", "scorpio")
    noon_sign = planet_positions(datetime(2024, 4, 23, 12, tzinfo=UTC))["moon"].sign
    assert sky.moon_sign == noon_sign


@pytest.mark.parametrize(("day", "tz"), [(date(2024, 4, 2), "Europe/Moscow"), (date(2025, 1, 14), "America/New_York")])
def test_exact_aspects_are_exact_and_complete(day, tz):
    """Every reported aspect is exact at its moment, and a brute-force scan finds no others."""
    sky = sky_of_day(day, tz)
    for aspect in sky.aspects:
        assert separation_at(aspect.a, aspect.b, aspect.utc) == pytest.approx(ASPECTS[aspect.kind], abs=2 / 3600)
    start, end = local_day_bounds(day, tz)
    bodies = [name for name in PLANETS if name != "mean_node"]
    scan: set[tuple[str, str, str]] = set()
    step = timedelta(minutes=10)
    samples = []
    moment = start
    while moment <= end:
        samples.append({name: body_longitude(name, to_ephem_day(moment)) for name in bodies})
        moment += step
    for i, a in enumerate(bodies):
        for b in bodies[i + 1 :]:
            for kind, angle in ASPECTS.items():
                for target in {angle, -angle}:
                    values = [(s[b] - s[a] - target + 180.0) % 360.0 - 180.0 for s in samples]
                    for v0, v1 in pairwise(values):
                        if abs(v0) < 30 and abs(v1) < 30 and (v0 < 0 <= v1 or v0 > 0 >= v1):
                            scan.add((a, b, kind))
    assert {(x.a, x.b, x.kind) for x in sky.aspects} == scan
    assert scan, "the scanned days were chosen to have lunar aspects"
    assert [x.utc for x in sky.aspects] == sorted(x.utc for x in sky.aspects)


def test_retrograde_list_and_positions():
    """Planets retrograde at local noon; the always-backwards mean node is not listed."""
    sky = sky_of_day(date(2024, 4, 10), "UTC")
    assert "mercury" in sky.retrograde and "mean_node" not in sky.retrograde
    assert [p.point for p in sky.positions] == list(PLANETS)
    assert sky.position("sun").sign == "aries"


def test_daylight_saving_day_is_23_hours():
    """On 2024-03-31 in Berlin the day is 23 hours long; events carry the right local offset."""
    start, end = local_day_bounds(date(2024, 3, 31), "Europe/Berlin")
    assert end - start == timedelta(hours=23)
    sky = sky_of_day(date(2024, 3, 31), "Europe/Berlin")
    for aspect in sky.aspects:
        assert start <= aspect.utc < end
        expected_offset = (
            timedelta(hours=2) if aspect.utc >= datetime(2024, 3, 31, 1, tzinfo=UTC) else timedelta(1 / 24)
        )
        assert aspect.local.utcoffset() == expected_offset


def test_sky_is_memoised_and_serialisable():
    """The same object comes back for the same date and zone; to_dict is JSON."""
    first = sky_of_day(date(2024, 4, 23), "UTC")
    assert sky_of_day(date(2024, 4, 23), "UTC") is first
    data = json.loads(json.dumps(first.to_dict()))
    assert data["lunar_event"]["kind"] == "full_moon" and data["moon_sign"] == first.moon_sign
    assert set(data["positions"]) == set(PLANETS)


@pytest.fixture(scope="module")
def natal():
    """The Moscow reference chart."""
    return compute_chart(datetime(1990, 5, 15, 10, 30, tzinfo=UTC), 55.7558, 37.6173)


def test_transits_are_ranked_and_deterministic(natal):
    """Transits come most important first, with a stable order, within their orbs."""
    first = transits(natal, date(2024, 4, 23), "Europe/Moscow")
    second = transits(natal, date(2024, 4, 23), "Europe/Moscow")
    assert first == second and len(first) > 3
    scores = [t.score for t in first]
    assert scores == sorted(scores, reverse=True)
    noon = planet_positions(datetime(2024, 4, 23, 9, tzinfo=UTC))
    for t in first:
        assert t.orb <= TRANSIT_ORBS[t.transiting] or t.exact_utc is not None
        assert t.house == natal.house_of(noon[t.transiting].longitude)
        assert t.sign == sign_of(noon[t.transiting].longitude)
        assert t.house is not None


def test_transits_include_angles_and_exact_moments(natal):
    """Saturn opposite the natal Asc (15 Virgo) in April 2024; Mars sextile the natal Sun, exact that day."""
    found = transits(natal, date(2024, 4, 23), "Europe/Moscow")
    keyed = {(t.transiting, t.natal): t for t in found}
    saturn = keyed[("saturn", "asc")]
    assert saturn.kind == "opposition" and saturn.orb < 1.0
    assert found[0] == saturn  # slow planet, personal point, hard aspect, tight orb
    mars = keyed[("mars", "sun")]
    assert mars.kind == "sextile" and mars.exact_local is not None
    assert mars.exact_local.date() == date(2024, 4, 23)
    exact_lon = body_longitude("mars", to_ephem_day(mars.exact_utc))
    assert abs((exact_lon - natal.points["sun"].longitude + 180) % 360 - 180) == pytest.approx(60.0, abs=2 / 3600)


def test_transits_of_a_moment_to_itself_are_exact_conjunctions():
    """A chart cast for noon UTC: every transiting point is exactly conjunct its natal place at noon."""
    natal_noon = compute_chart(datetime(2024, 4, 23, 12, tzinfo=UTC), 0.0, 0.0)
    found = transits(natal_noon, date(2024, 4, 23), "UTC")
    keyed = {(t.transiting, t.natal): t for t in found}
    for name in PLANETS:
        t = keyed[(name, name)]
        assert t.kind == "conjunction" and t.orb < 1e-6
        if name != "mean_node":  # a stationary-looking node might not cross inside the day's samples
            assert t.exact_utc is not None and near(t.exact_utc, datetime(2024, 4, 23, 12, tzinfo=UTC), 0.1)


def test_transits_without_natal_houses(natal):
    """With an unknown birth time there are no house numbers and no Asc/MC targets."""
    no_time = compute_chart(natal.utc, natal.lat, natal.lon, with_houses=False)
    found = transits(no_time, date(2024, 4, 23), "Europe/Moscow")
    assert found and all(t.house is None for t in found)
    assert not {t.natal for t in found} & {"asc", "mc"}
