"""Card faces and spread images rendered with Pillow."""

import io
import random

import pytest
from PIL import Image, ImageChops

from horoscopes.tarot import SPREADS, DrawnCard, card_keys, draw, render_card, render_spread
from horoscopes.tarot.images import MAJOR_EMBLEMS, _card_art, roman

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


def _open(data: bytes) -> Image.Image:
    """Decode image bytes fully, failing on a truncated or corrupt file."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _differs(a: Image.Image, b: Image.Image) -> bool:
    """True when two same-sized images differ in at least one pixel."""
    return ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is not None


def test_card_is_a_png_of_the_expected_size() -> None:
    data = render_card("the_fool")
    assert data.startswith(PNG_SIGNATURE)
    image = _open(data)
    assert image.format == "PNG"
    assert image.size == (400, 700)


@pytest.mark.parametrize("width", [160, 250, 333, 600])
def test_card_size_follows_width(width: int) -> None:
    assert _open(render_card("ace_of_cups", width=width)).size == (width, round(width * 1.75))


@pytest.mark.parametrize("key", card_keys())
def test_every_card_renders_in_both_languages(key: str) -> None:
    ru = _open(render_card(key, lang="ru", width=160))
    en = _open(render_card(key, lang="en", width=160))
    assert ru.size == en.size == (160, 280)
    assert _differs(ru, en)


def test_reversed_is_the_upright_card_turned_over() -> None:
    upright = _open(render_card("the_tower"))
    reversed_ = _open(render_card("the_tower", reversed=True))
    assert _differs(upright, reversed_)
    assert not _differs(upright.transpose(Image.Transpose.ROTATE_180), reversed_)


def test_cards_look_different_from_each_other() -> None:
    # Compare the language-free art so that differing names cannot hide identical pictures.
    arts = [_card_art(key, 120).tobytes() for key in card_keys()]
    assert len(set(arts)) == 78
    assert len(MAJOR_EMBLEMS) == 22


def test_card_rejects_unknown_key_language_and_width() -> None:
    with pytest.raises(KeyError):
        render_card("the_joker")
    with pytest.raises(ValueError):
        render_card("the_sun", lang="de")
    with pytest.raises(ValueError):
        render_card("the_sun", width=20)


def test_roman_numerals() -> None:
    assert [roman(n) for n in (0, 1, 4, 8, 9, 11, 14, 19, 21)] == ["0", "I", "IV", "VIII", "IX", "XI", "XIV",
                                                                    "XIX", "XXI"]  # fmt: skip


@pytest.mark.parametrize("spread", ["day", "three", "celtic_cross"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_spread_is_a_jpeg_within_telegram_photo_limits(spread: str, lang: str) -> None:
    cards = draw(SPREADS[spread].size, rng=random.Random(5))
    data = render_spread(spread, cards, lang=lang)
    assert data.startswith(JPEG_SIGNATURE)
    image = _open(data)
    width, height = image.size
    assert image.format == "JPEG"
    assert len(data) <= 10 * 1024 * 1024
    assert width + height <= 10000
    assert max(width, height) / min(width, height) <= 20
    assert width >= 800


def test_spread_shows_reversed_cards_turned_over() -> None:
    upright = [DrawnCard(key=key, reversed=False, position=i) for i, key in enumerate(card_keys()[:3])]
    turned = [*upright[:2], DrawnCard(key=upright[2].key, reversed=True, position=2)]
    assert _differs(_open(render_spread("three", upright)), _open(render_spread("three", turned)))


def test_spread_order_is_taken_from_positions() -> None:
    cards = draw(3, rng=random.Random(9))
    assert render_spread("three", cards) == render_spread("three", list(reversed(cards)))


def test_spread_rejects_wrong_cards() -> None:
    cards = draw(3, rng=random.Random(1))
    with pytest.raises(ValueError):
        render_spread("celtic_cross", cards)
    with pytest.raises(ValueError):
        render_spread("three", [cards[0], cards[1], DrawnCard(key=cards[2].key, reversed=False, position=1)])
    with pytest.raises(ValueError):
        render_spread("three", [cards[0], cards[1], DrawnCard(key=cards[0].key, reversed=False, position=2)])
    with pytest.raises(KeyError):
        render_spread("horseshoe", cards)
