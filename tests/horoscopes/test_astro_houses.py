"""House systems and angles, checked against their geometric definitions with independent formulas."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import ephem
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from horoscopes.astro import HOUSE_SYSTEMS, compute_chart
from horoscopes.astro.ephemeris import to_ephem_day, true_obliquity
from horoscopes.astro.houses import compute_houses, house_of

EPS = 23.4393  # obliquity near J2000; the definitions hold for any value
TOL = 1e-6  # degrees


def diff(a: float, b: float) -> float:
    """Smallest absolute angular difference in degrees."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def equatorial(lon: float, eps: float) -> tuple[float, float]:
    """Right ascension and declination (degrees) of an ecliptic point of zero latitude, written afresh."""
    lam, e = math.radians(lon), math.radians(eps)
    ra = math.degrees(math.atan2(math.sin(lam) * math.cos(e), math.cos(lam))) % 360.0
    dec = math.degrees(math.asin(math.sin(e) * math.sin(lam)))
    return ra, dec


def altitude_and_hour_angle(lon: float, lst: float, lat: float, eps: float) -> tuple[float, float]:
    """Altitude and hour angle (degrees, -180..180) of an ecliptic point for a sidereal time and latitude."""
    ra, dec = equatorial(lon, eps)
    hour = (lst - ra + 180.0) % 360.0 - 180.0
    phi, d, h = math.radians(lat), math.radians(dec), math.radians(hour)
    alt = math.degrees(math.asin(math.sin(phi) * math.sin(d) + math.cos(phi) * math.cos(d) * math.cos(h)))
    return alt, hour


def semi_arc(dec: float, lat: float) -> float:
    """Diurnal semi-arc in degrees."""
    return math.degrees(math.acos(-math.tan(math.radians(lat)) * math.tan(math.radians(dec))))


def check_angles(
    asc: float, mc: float, ramc: float, lat: float, eps: float, polar: bool = False, tol: float = TOL
) -> None:
    """The MC culminates on the upper meridian; the Ascendant is on the horizon, rising in the east."""
    ra_mc, _ = equatorial(mc, eps)
    assert diff(ra_mc, ramc) < tol
    alt, hour = altitude_and_hour_angle(asc, ramc, lat, eps)
    assert abs(alt) < tol
    if not polar:
        assert hour < 0.0  # eastern half of the sky: rising
    assert 0.0 < (asc - mc) % 360.0 < 180.0


coords = st.tuples(
    st.floats(min_value=0.0, max_value=359.999),
    st.floats(min_value=-66.0, max_value=66.0),
)


@settings(max_examples=300, deadline=None)
@given(coords)
def test_placidus_cusps_trisect_their_own_semi_arcs(ramc_lat):
    """Placidus: cusps 11/12 sit 1/3 and 2/3 of their own diurnal semi-arc from the meridian; 2/3 likewise."""
    ramc, lat = ramc_lat
    houses = compute_houses(ramc, EPS, lat, "placidus")
    assert not houses.polar_fallback
    check_angles(houses.asc, houses.mc, ramc, lat, EPS)
    for cusp_index, fraction in ((10, 1 / 3), (11, 2 / 3)):
        ra, dec = equatorial(houses.cusps[cusp_index], EPS)
        meridian_distance = (ra - ramc) % 360.0
        assert meridian_distance == pytest.approx(fraction * semi_arc(dec, lat), abs=1e-6)
    for cusp_index, fraction in ((1, 1 / 3), (2, 2 / 3)):
        ra, dec = equatorial(houses.cusps[cusp_index], EPS)
        dsa = semi_arc(dec, lat)
        assert (ra - ramc) % 360.0 == pytest.approx(dsa + fraction * (180.0 - dsa), abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(coords)
def test_koch_cusps_rise_at_trisections_of_the_mc_semi_arc(ramc_lat):
    """Koch: each of cusps 11, 12, 2, 3 is on the eastern horizon when the RAMC was/will be shifted by k/3 of
    the MC degree's diurnal semi-arc."""
    ramc, lat = ramc_lat
    houses = compute_houses(ramc, EPS, lat, "koch")
    check_angles(houses.asc, houses.mc, ramc, lat, EPS)
    _, mc_dec = equatorial(houses.mc, EPS)
    third = semi_arc(mc_dec, lat) / 3.0
    for cusp_index, shift in ((10, -2), (11, -1), (1, 1), (2, 2)):
        alt, hour = altitude_and_hour_angle(houses.cusps[cusp_index], ramc + shift * third, lat, EPS)
        assert abs(alt) < 1e-6
        assert hour < 0.0


@settings(max_examples=200, deadline=None)
@given(coords)
def test_quadrant_and_whole_sign_definitions(ramc_lat):
    """Porphyry trisects the quadrants; Equal steps 30 degrees from the Asc; Whole Sign starts at its sign."""
    ramc, lat = ramc_lat
    por = compute_houses(ramc, EPS, lat, "porphyry")
    east = (por.asc - por.mc) % 360.0
    assert diff(por.cusps[10], por.mc + east / 3) < TOL
    assert diff(por.cusps[11], por.mc + 2 * east / 3) < TOL
    assert diff(por.cusps[1], por.asc + (180 - east) / 3) < TOL
    assert diff(por.cusps[2], por.asc + 2 * (180 - east) / 3) < TOL
    equal = compute_houses(ramc, EPS, lat, "equal")
    whole = compute_houses(ramc, EPS, lat, "whole_sign")
    for i in range(12):
        assert diff(equal.cusps[i], equal.asc + 30 * i) < TOL
        assert whole.cusps[i] % 30.0 == pytest.approx(0.0, abs=TOL) or whole.cusps[i] % 30 == pytest.approx(30)
    assert 0.0 <= (whole.asc - whole.cusps[0]) % 360.0 < 30.0


@settings(max_examples=200, deadline=None)
@given(coords, st.sampled_from(HOUSE_SYSTEMS))
def test_every_system_has_ordered_cusps_and_opposite_pairs(ramc_lat, system):
    """Cusps run counter-clockwise, houses 1-6 face 7-12, and each cusp starts its own house."""
    ramc, lat = ramc_lat
    houses = compute_houses(ramc, EPS, lat, system)
    widths = [(houses.cusps[(i + 1) % 12] - houses.cusps[i]) % 360.0 for i in range(12)]
    assert sum(widths) == pytest.approx(360.0, abs=1e-6)
    for i in range(6):
        assert diff(houses.cusps[i] + 180.0, houses.cusps[i + 6]) < TOL
    if system in ("placidus", "koch", "porphyry"):
        assert diff(houses.cusps[0], houses.asc) < TOL
        assert diff(houses.cusps[9], houses.mc) < TOL
    for i, cusp in enumerate(houses.cusps):
        if widths[i] > 1e-6:
            assert house_of(cusp + 1e-7, houses.cusps) == i + 1


@settings(max_examples=200, deadline=None)
@given(coords, st.sampled_from(("placidus", "koch", "porphyry")))
def test_southern_hemisphere_mirrors_the_northern(ramc_lat, system):
    """Houses at latitude -phi equal those at +phi with RAMC + 180, turned by 180 degrees."""
    ramc, lat = ramc_lat
    south = compute_houses(ramc, EPS, -lat, system)
    north = compute_houses((ramc + 180.0) % 360.0, EPS, lat, system)
    assert diff(south.asc, north.asc + 180.0) < TOL
    for s_cusp, n_cusp in zip(south.cusps, north.cusps, strict=True):
        assert diff(s_cusp, n_cusp + 180.0) < 1e-5


def test_southern_birth_chart_angles_satisfy_their_definitions():
    """A southern-hemisphere chart (Sao Paulo, 23S32 46W37, 1960-03-21 05:35 UTC): Asc, MC and Placidus cusps
    satisfy their definitions for libastro's sidereal time."""
    utc = datetime(1960, 3, 21, 5, 35, tzinfo=UTC)
    lat, lon = -(23 + 32 / 60), -(46 + 37 / 60)
    chart = compute_chart(utc, lat, lon)
    lst = _libastro_lst(utc, lat, lon)
    eps = _true_obliquity(utc)
    # libastro's sidereal time differs from ours by a few hundredths of an arc-second.
    check_angles(chart.asc, chart.mc, lst, lat, eps, tol=0.5 / 3600)
    for cusp_index, fraction in ((10, 1 / 3), (11, 2 / 3)):
        ra, dec = equatorial(chart.houses[cusp_index], eps)
        assert (ra - lst) % 360.0 == pytest.approx(fraction * semi_arc(dec, lat), abs=0.5 / 3600)
    assert chart.house_system == "placidus" and not chart.polar_fallback


def _true_obliquity(utc: datetime) -> float:
    """True obliquity of date (the engine's, itself checked against Meeus' example 22.a)."""
    return true_obliquity(to_ephem_day(utc))


def _libastro_lst(utc: datetime, lat: float, lon: float) -> float:
    """Local apparent sidereal time from libastro, independent of our sidereal-time code."""
    observer = ephem.Observer()
    observer.lat, observer.lon = str(lat), str(lon)
    observer.date = ephem.Date(utc.replace(tzinfo=None))
    return math.degrees(observer.sidereal_time())


def test_moscow_reference_cusps_satisfy_placidus_with_libastro_sidereal_time():
    """The reference chart's Placidus cusps satisfy the semi-arc definition with libastro's sidereal time."""
    utc = datetime(1990, 5, 15, 10, 30, tzinfo=UTC)
    lat, lon = 55.7558, 37.6173
    chart = compute_chart(utc, lat, lon)
    lst = _libastro_lst(utc, lat, lon)
    eps = _true_obliquity(utc)
    check_angles(chart.asc, chart.mc, lst, lat, eps, tol=0.5 / 3600)
    for cusp_index, fraction in ((10, 1 / 3), (11, 2 / 3)):
        ra, dec = equatorial(chart.houses[cusp_index], eps)
        assert (ra - lst) % 360.0 == pytest.approx(fraction * semi_arc(dec, lat), abs=0.5 / 3600)
    for cusp_index, fraction in ((1, 1 / 3), (2, 2 / 3)):
        ra, dec = equatorial(chart.houses[cusp_index], eps)
        dsa = semi_arc(dec, lat)
        assert (ra - lst) % 360.0 == pytest.approx(dsa + fraction * (180.0 - dsa), abs=0.5 / 3600)


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [("murmansk", 68.9700, 33.0750), ("longyearbyen", 78.2232, 15.6267), ("mcmurdo", -77.846, 166.676)],
)
@pytest.mark.parametrize("system", ["placidus", "koch"])
def test_polar_fallback_to_porphyry(place, lat, lon, system):
    """Beyond the polar circle Placidus and Koch do not exist: the chart says so and uses Porphyry."""
    for hour in range(0, 24, 3):
        chart = compute_chart(datetime(2024, 1, 10, hour, tzinfo=UTC), lat, lon, house_system=system)
        assert chart.polar_fallback is True
        assert chart.requested_house_system == system
        assert chart.house_system == "porphyry"
        porphyry = compute_chart(datetime(2024, 1, 10, hour, tzinfo=UTC), lat, lon, house_system="porphyry")
        assert chart.houses == porphyry.houses
        assert not porphyry.polar_fallback
        ramc_check = _ramc(chart)
        check_angles(chart.asc, chart.mc, ramc_check, lat, _true_obliquity(chart.utc), polar=True)


def _ramc(chart) -> float:
    """RAMC of a chart from its MC (the MC's right ascension)."""
    ra, _ = equatorial(chart.mc, _true_obliquity(chart.utc))
    return ra


@pytest.mark.parametrize("system", ["whole_sign", "equal", "porphyry"])
def test_non_semi_arc_systems_do_not_fall_back_at_the_poles(system):
    """Whole Sign, Equal and Porphyry exist everywhere."""
    chart = compute_chart(datetime(2024, 6, 1, 12, tzinfo=UTC), 78.2232, 15.6267, house_system=system)
    assert chart.house_system == system and not chart.polar_fallback


def test_just_inside_the_polar_circle_placidus_still_works():
    """At 66.0 N Placidus exists and is used."""
    chart = compute_chart(datetime(2024, 6, 1, 12, tzinfo=UTC), 66.0, 25.0)
    assert chart.house_system == "placidus" and not chart.polar_fallback


def test_unknown_time_chart_has_no_houses():
    """with_houses=False: no Asc, MC, cusps or planet houses."""
    chart = compute_chart(datetime(1990, 5, 15, 12, tzinfo=UTC), 55.7558, 37.6173, with_houses=False)
    assert chart.has_houses is False
    assert chart.asc is None and chart.mc is None and chart.houses == ()
    assert all(p.house is None for p in chart.points.values())
    assert chart.house_of(100.0) is None


def test_reference_chart_planet_houses():
    """Planet houses of the Moscow reference chart (Placidus)."""
    chart = compute_chart(datetime(1990, 5, 15, 10, 30, tzinfo=UTC), 55.7558, 37.6173)
    houses = {name: p.house for name, p in chart.points.items()}
    assert houses["sun"] == 9 and houses["jupiter"] == 10 and houses["moon"] == 5 and houses["pluto"] == 3
    for position in chart.points.values():
        assert house_of(position.longitude, chart.houses) == position.house


def test_invalid_input_is_rejected():
    """Unknown house systems and impossible coordinates raise ValueError."""
    with pytest.raises(ValueError):
        compute_chart(datetime(2000, 1, 1, tzinfo=UTC), 10.0, 10.0, house_system="regiomontanus")
    with pytest.raises(ValueError):
        compute_chart(datetime(2000, 1, 1, tzinfo=UTC), 91.0, 10.0)
    with pytest.raises(ValueError):
        compute_chart(datetime(2000, 1, 1, tzinfo=UTC), 10.0, 181.0)


def test_house_of_wraps_around_aries():
    """A house that contains 0 Aries is handled."""
    cusps = tuple((350.0 + 30.0 * i) % 360.0 for i in range(12))
    assert house_of(355.0, cusps) == 1
    assert house_of(5.0, cusps) == 1
    assert house_of(20.0, cusps) == 2
    assert house_of(349.0, cusps) == 12
