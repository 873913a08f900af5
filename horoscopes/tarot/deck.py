"""The 78-card Rider-Waite-Smith deck and the spreads, loaded from the JSON files in ``data/``."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
DECK_FILES = ("major.json", "wands.json", "cups.json", "swords.json", "pentacles.json")

LANGS = ("ru", "en")
ORIENTATIONS = ("upright", "reversed")
AREAS = ("general", "love", "work")
SUITS = ("wands", "cups", "swords", "pentacles")
ELEMENTS = ("fire", "water", "air", "earth")
SUIT_ELEMENT = {"wands": "fire", "cups": "water", "swords": "air", "pentacles": "earth"}
MAJOR = "major"
MINOR = "minor"


@dataclass(frozen=True)
class Card:
    """One tarot card with its bilingual names, keywords and meanings.

    The dicts are shared by the cached deck: read them, never mutate them (use ``as_dict`` for a copy).
    """

    key: str
    number: int
    arcana: str
    suit: str | None
    element: str
    astrology: dict[str, str]
    astro_keys: tuple[str, ...]
    name: dict[str, str]
    keywords: dict[str, dict[str, list[str]]]
    meanings: dict[str, dict[str, dict[str, str]]]

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def is_major(self) -> bool:
        """True for the 22 major arcana."""
        return self.arcana == MAJOR

    def meaning(self, *, reversed: bool, area: str = "general", lang: str = "ru") -> str:
        """The meaning text for an orientation, area and language."""
        return self.meanings["reversed" if reversed else "upright"][area][lang]

    def keyword_list(self, *, reversed: bool, lang: str = "ru") -> list[str]:
        """The keywords for an orientation and language (a copy)."""
        return list(self.keywords["reversed" if reversed else "upright"][lang])

    def as_dict(self) -> dict[str, Any]:
        """A deep, JSON-serialisable copy of the card."""
        data = copy.deepcopy(asdict(self))
        data["astro_keys"] = list(self.astro_keys)
        return data


@dataclass(frozen=True)
class Position:
    """One position of a spread; ``index`` is 0-based (readers count ``index + 1``)."""

    index: int
    key: str
    name: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class Spread:
    """A tarot spread: its name, description and ordered positions."""

    key: str
    name: dict[str, str]
    description: dict[str, str]
    positions: tuple[Position, ...]

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def size(self) -> int:
        """How many cards the spread takes."""
        return len(self.positions)


def _card_from_json(raw: dict[str, Any]) -> Card:
    """Build a Card from one JSON object."""
    return Card(
        key=raw["key"],
        number=int(raw["number"]),
        arcana=raw["arcana"],
        suit=raw["suit"],
        element=raw["element"],
        astrology=dict(raw["astrology"]),
        astro_keys=tuple(raw["astro_keys"]),
        name=dict(raw["name"]),
        keywords={o: {lang: list(words) for lang, words in raw["keywords"][o].items()} for o in ORIENTATIONS},
        meanings={o: {area: dict(raw["meanings"][o][area]) for area in AREAS} for o in ORIENTATIONS},
    )


@lru_cache(maxsize=1)
def load_deck() -> tuple[Card, ...]:
    """All 78 cards: majors 0..21, then wands, cups, swords, pentacles from ace to king."""
    cards: list[Card] = []
    for filename in DECK_FILES:
        with open(DATA_DIR / filename, encoding="utf-8") as fh:
            cards.extend(_card_from_json(raw) for raw in json.load(fh))
    return tuple(cards)


@lru_cache(maxsize=1)
def _deck_index() -> dict[str, Card]:
    """Cards by key."""
    return {card.key: card for card in load_deck()}


def card_by_key(key: str) -> Card:
    """The card with this slug; KeyError when there is none."""
    try:
        return _deck_index()[key]
    except KeyError:
        raise KeyError(f"unknown tarot card: {key!r}") from None


@lru_cache(maxsize=1)
def card_keys() -> tuple[str, ...]:
    """The 78 card slugs in deck order."""
    return tuple(card.key for card in load_deck())


def _load_spreads() -> dict[str, Spread]:
    """Spreads by key from ``data/spreads.json``."""
    with open(DATA_DIR / "spreads.json", encoding="utf-8") as fh:
        raw_spreads = json.load(fh)
    spreads: dict[str, Spread] = {}
    for raw in raw_spreads:
        positions = tuple(
            Position(index=i, key=p["key"], name=dict(p["name"]), description=dict(p["description"]))
            for i, p in enumerate(raw["positions"])
        )
        spreads[raw["key"]] = Spread(
            key=raw["key"], name=dict(raw["name"]), description=dict(raw["description"]), positions=positions
        )
    return spreads


SPREADS: dict[str, Spread] = _load_spreads()
