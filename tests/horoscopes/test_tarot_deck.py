"""The tarot deck data, the spreads and the fairness of draws."""

import random
import re
from collections import Counter
from collections.abc import Iterator

import pytest

from horoscopes.tarot import SPREADS, Card, DrawnCard, card_by_key, card_keys, draw, draw_for_day, load_deck
from horoscopes.tarot.deck import AREAS, LANGS, ORIENTATIONS, SUIT_ELEMENT, SUITS

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")
PLACEHOLDERS = {"TODO", "ЗАГЛУШКА", "TBD", "..."}
SIGN_ELEMENT = {
    "aries": "fire", "leo": "fire", "sagittarius": "fire",
    "cancer": "water", "scorpio": "water", "pisces": "water",
    "libra": "air", "aquarius": "air", "gemini": "air",
    "capricorn": "earth", "taurus": "earth", "virgo": "earth",
}  # fmt: skip
PLANETS = {"sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto"}
RANKS = ["ace", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "page", "knight", "queen", "king"]  # fmt: skip


def test_deck_has_78_unique_cards() -> None:
    deck = load_deck()
    assert len(deck) == 78
    assert len({card.key for card in deck}) == 78
    assert card_keys() == tuple(card.key for card in deck)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", card.key) for card in deck)


def test_majors_follow_rider_waite_smith_numbering() -> None:
    majors = [card for card in load_deck() if card.arcana == "major"]
    assert [card.number for card in majors] == list(range(22))
    assert all(card.suit is None for card in majors)
    assert card_by_key("the_fool").number == 0
    assert card_by_key("strength").number == 8
    assert card_by_key("justice").number == 11
    assert card_by_key("the_world").number == 21
    assert card_by_key("the_high_priestess").name == {"ru": "Верховная Жрица", "en": "The High Priestess"}


def test_minors_are_four_suits_of_fourteen() -> None:
    minors = [card for card in load_deck() if card.arcana == "minor"]
    assert len(minors) == 56
    for suit in SUITS:
        cards = [card for card in minors if card.suit == suit]
        assert [card.number for card in cards] == list(range(1, 15))
        assert [card.key for card in cards] == [f"{rank}_of_{suit}" for rank in RANKS]
        assert {card.element for card in cards} == {SUIT_ELEMENT[suit]}
    assert card_by_key("ace_of_cups").name == {"ru": "Туз Кубков", "en": "Ace of Cups"}
    assert card_by_key("queen_of_pentacles").name == {"ru": "Королева Пентаклей", "en": "Queen of Pentacles"}


def _texts(card: Card) -> Iterator[tuple[str, str]]:
    """Every (language, text) pair of a card."""
    for lang in LANGS:
        yield lang, card.name[lang]
        yield lang, card.astrology[lang]
        for orientation in ORIENTATIONS:
            for word in card.keywords[orientation][lang]:
                yield lang, word
            for area in AREAS:
                yield lang, card.meanings[orientation][area][lang]


@pytest.mark.parametrize("key", card_keys())
def test_every_field_is_present_in_both_languages(key: str) -> None:
    card = card_by_key(key)
    assert card.element in {"fire", "water", "air", "earth"}
    assert card.arcana in {"major", "minor"}
    assert card.astro_keys
    for orientation in ORIENTATIONS:
        for lang in LANGS:
            assert 3 <= len(card.keywords[orientation][lang]) <= 5
        for area in AREAS:
            assert set(card.meanings[orientation][area]) == set(LANGS)
    for lang, text in _texts(card):
        assert text.strip() == text and text, (key, lang)
        assert text not in PLACEHOLDERS
        if lang == "ru":
            assert CYRILLIC.search(text) and not LATIN.search(text), (key, text)
        else:
            assert not CYRILLIC.search(text), (key, text)


@pytest.mark.parametrize("key", card_keys())
def test_meanings_are_short_and_differ_between_orientations(key: str) -> None:
    card = card_by_key(key)
    for lang in LANGS:
        assert card.keywords["upright"][lang] != card.keywords["reversed"][lang]
        for area in AREAS:
            upright = card.meanings["upright"][area][lang]
            reversed_ = card.meanings["reversed"][area][lang]
            assert upright != reversed_
            for text in (upright, reversed_):
                sentences = len(re.findall(r"[.!?](?:\s|$)", text))
                assert 1 <= sentences <= 3, text
                assert len(text) <= 260, text


def test_no_meaning_is_reused_across_cards() -> None:
    texts = Counter(
        card.meanings[o][a][lang] for card in load_deck() for o in ORIENTATIONS for a in AREAS for lang in LANGS
    )
    assert [text for text, count in texts.items() if count > 1] == []


def test_golden_dawn_correspondences() -> None:
    assert card_by_key("the_magician").astro_keys == ("mercury",)
    assert card_by_key("the_emperor").astro_keys == ("aries",)
    assert card_by_key("the_tower").astro_keys == ("mars",)
    assert card_by_key("the_fool").astrology["en"] == "Air (Uranus)"
    assert card_by_key("two_of_wands").astro_keys == ("mars", "aries")
    assert card_by_key("two_of_wands").astrology == {"ru": "Марс в Овне", "en": "Mars in Aries"}
    assert card_by_key("ten_of_pentacles").astro_keys == ("mercury", "virgo")
    assert card_by_key("three_of_swords").astro_keys == ("saturn", "libra")
    for card in load_deck():
        if card.arcana == "minor" and 2 <= card.number <= 10:
            planet, sign = card.astro_keys
            assert planet in PLANETS
            assert SIGN_ELEMENT[sign] == card.element, card.key
        elif card.arcana == "minor":
            assert card.astro_keys == (card.element,)


def test_card_by_key_rejects_unknown_keys() -> None:
    with pytest.raises(KeyError):
        card_by_key("the_joker")


def test_load_deck_is_cached() -> None:
    assert load_deck() is load_deck()


def test_card_as_dict_is_a_detached_copy() -> None:
    card = card_by_key("the_sun")
    data = card.as_dict()
    data["name"]["ru"] = "changed"
    assert card.name["ru"] == "Солнце"
    assert data["astro_keys"] == ["sun"]


@pytest.mark.parametrize(("spread", "size"), [("day", 1), ("three", 3), ("celtic_cross", 10)])
def test_spreads_have_the_right_positions(spread: str, size: int) -> None:
    meta = SPREADS[spread]
    assert meta.size == size
    assert [p.index for p in meta.positions] == list(range(size))
    assert len({p.key for p in meta.positions}) == size
    for lang in LANGS:
        assert meta.name[lang] and meta.description[lang]
        for position in meta.positions:
            assert position.name[lang] and position.description[lang]
            assert bool(CYRILLIC.search(position.name[lang])) == (lang == "ru")


def test_celtic_cross_positions_are_in_classic_order() -> None:
    keys = [p.key for p in SPREADS["celtic_cross"].positions]
    assert keys == ["present", "challenge", "foundation", "recent_past", "crown", "near_future", "self",
                    "environment", "hopes_fears", "outcome"]  # fmt: skip
    assert [p.key for p in SPREADS["three"].positions] == ["past", "present", "future"]


@pytest.mark.parametrize("n", [1, 3, 10, 78])
def test_draw_has_no_duplicates(n: int) -> None:
    for _ in range(50):
        cards = draw(n)
        assert len(cards) == n
        assert len({card.key for card in cards}) == n
        assert [card.position for card in cards] == list(range(n))
        assert all(isinstance(card, DrawnCard) and card.key in card_keys() for card in cards)


def test_draw_is_reproducible_with_a_seeded_rng() -> None:
    assert draw(10, rng=random.Random(42)) == draw(10, rng=random.Random(42))
    assert draw(10, rng=random.Random(42)) != draw(10, rng=random.Random(43))


def test_draw_honours_reversed_probability() -> None:
    assert not any(card.reversed for card in draw(78, reversed_probability=0.0))
    assert all(card.reversed for card in draw(78, reversed_probability=1.0))


@pytest.mark.parametrize("n", [0, 79, -1])
def test_draw_rejects_impossible_sizes(n: int) -> None:
    with pytest.raises(ValueError):
        draw(n)


def test_draw_rejects_bad_probability() -> None:
    with pytest.raises(ValueError):
        draw(3, reversed_probability=1.5)


def _chi_square(counts: Counter, cells: int, total: int) -> float:
    """Pearson's statistic against a uniform distribution."""
    expected = total / cells
    return sum((counts.get(cell, 0) - expected) ** 2 / expected for cell in range(cells))


def test_draw_is_uniform_over_cards_and_orientations() -> None:
    rng = random.Random(2024)
    keys = card_keys()
    index = {key: i for i, key in enumerate(keys)}
    cards: Counter = Counter()
    orientations: Counter = Counter()
    total = 78 * 300
    for _ in range(total):
        (card,) = draw(1, rng=rng)
        cards[index[card.key]] += 1
        orientations[int(card.reversed)] += 1
    # Thresholds sit about six standard deviations above the mean (df + 6 * sqrt(2 * df)).
    assert _chi_square(cards, 78, total) < 77 + 6 * (2 * 77) ** 0.5
    assert _chi_square(orientations, 2, total) < 1 + 6 * 2**0.5


def test_every_position_of_a_spread_sees_every_card() -> None:
    rng = random.Random(7)
    seen = [set() for _ in range(10)]
    for _ in range(2000):
        for card in draw(10, rng=rng):
            seen[card.position].add(card.key)
    assert all(len(keys) == 78 for keys in seen)


def test_draw_for_day_is_stable_for_a_seed() -> None:
    first = draw_for_day("12345:2026-11-22", secret="s3cret")
    assert first == draw_for_day("12345:2026-11-22", secret="s3cret")
    assert first == draw_for_day("12345:2026-11-22", secret=b"s3cret")
    assert first.position == 0
    assert first.key in card_keys()
    assert draw_for_day("12345:2026-11-22") == draw_for_day("12345:2026-11-22")


def test_draw_for_day_differs_across_seeds_and_secrets() -> None:
    by_day = {draw_for_day(f"12345:2026-11-{day:02d}", secret="s3cret") for day in range(1, 31)}
    by_user = {draw_for_day(f"{user}:2026-11-22", secret="s3cret") for user in range(30)}
    assert len(by_day) > 20
    assert len(by_user) > 20
    seeds = [f"{user}:2026-11-22" for user in range(50)]
    assert [draw_for_day(s, secret="a") for s in seeds] != [draw_for_day(s, secret="b") for s in seeds]


def test_draw_for_day_is_uniform_over_cards_and_orientations() -> None:
    keys = card_keys()
    index = {key: i for i, key in enumerate(keys)}
    counts: Counter = Counter()
    total = 156 * 100
    for user in range(total):
        card = draw_for_day(f"{user}:2026-11-22", secret="uniformity")
        counts[2 * index[card.key] + int(card.reversed)] += 1
    assert len(counts) == 156
    assert _chi_square(counts, 156, total) < 155 + 6 * (2 * 155) ** 0.5
