"""The `chart` management command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from horoscopes.astro import PLANETS, SIGNS
from horoscopes.management.commands.chart import Command, parse_utc

REFERENCE = ["--utc", "1990-05-15T10:30", "--lat", "55.7558", "--lon", "37.6173"]


def run(*args: str) -> str:
    """Run the command (as an instance, so it works before the app is registered) and return stdout."""
    out = io.StringIO()
    call_command(Command(), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_has_exactly_the_documented_shape():
    """Top-level keys, 12 cusps, every point, aspect fields, reference values."""
    data = json.loads(run(*REFERENCE, "--json"))
    keys = {"utc", "lat", "lon", "house_system", "asc", "mc", "houses", "points", "true_node", "aspects"}
    assert set(data) == keys
    assert set(data["true_node"]) == {"longitude", "sign", "house", "retrograde", "speed"}
    assert data["house_system"] == "placidus"
    assert data["utc"].startswith("1990-05-15T10:30:00")
    assert len(data["houses"]) == 12 and data["houses"][0] == data["asc"] and data["houses"][9] == data["mc"]
    assert list(data["points"]) == list(PLANETS)
    for point in data["points"].values():
        assert set(point) == {"longitude", "sign", "house", "retrograde", "speed"}
        assert 0.0 <= point["longitude"] < 360.0 and point["sign"] in SIGNS and 1 <= point["house"] <= 12
    sun = data["points"]["sun"]
    assert sun["sign"] == "taurus" and sun["longitude"] == pytest.approx(54.33583, abs=1 / 60)
    assert data["asc"] == pytest.approx(165.37806, abs=1 / 60)
    for aspect in data["aspects"]:
        assert set(aspect) == {"a", "b", "kind", "orb", "applying"}


def test_table_output_in_both_languages():
    """The readable table lists points, angles, cusps and aspects."""
    english = run(*REFERENCE)
    assert "Sun" in english and "24°20'" in english and "Taurus" in english and "Placidus" in english
    russian = run(*REFERENCE, "--lang", "ru")
    assert "Солнце" in russian and "Телец" in russian and "Асцендент" in russian


def test_house_system_option_and_polar_fallback():
    """A polar birth with Placidus requested reports the Porphyry fallback."""
    data = json.loads(run("--utc", "2024-01-10T09:00", "--lat", "78.2232", "--lon", "15.6267", "--json"))
    assert data["house_system"] == "porphyry"
    table = run("--utc", "2024-01-10T09:00", "--lat", "78.2232", "--lon", "15.6267")
    assert "Porphyry" in table and "polar" in table
    whole = json.loads(run(*REFERENCE, "--house-system", "whole_sign", "--json"))
    assert whole["house_system"] == "whole_sign" and whole["houses"][0] == 150.0


def test_no_houses_option():
    """--no-houses gives null angles and houses."""
    data = json.loads(run(*REFERENCE, "--no-houses", "--json"))
    assert data["asc"] is None and data["mc"] is None and data["houses"] == []
    assert all(p["house"] is None for p in data["points"].values())


def test_png_option_writes_the_wheel(tmp_path):
    """--png writes a PNG file."""
    target = tmp_path / "wheel.png"
    run(*REFERENCE, "--png", str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_parse_utc_and_bad_input():
    """ISO input with Z or an offset is converted to UTC; nonsense is a CommandError."""
    assert parse_utc("1990-05-15T14:30+04:00") == parse_utc("1990-05-15T10:30Z")
    with pytest.raises(CommandError):
        parse_utc("15.05.1990")
    with pytest.raises(CommandError):
        run("--utc", "1990-05-15T10:30", "--lat", "95", "--lon", "0")
