"""The greeting picture: shipped for both languages, and the renderer that made it still works."""

import io

import pytest
from PIL import Image

from users.welcome import LANGUAGES, SIZE, asset_path, render_welcome_card, welcome_card


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_cards_are_small_jpegs(lang):
    data = welcome_card(lang)

    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", SIZE)
    assert len(data) < 300_000  # Telegram compresses photos anyway; keep uploads light
    assert asset_path(lang).exists()


def test_an_unknown_language_gets_the_russian_card():
    assert welcome_card("de") == welcome_card("ru")


def test_the_renderer_draws_each_language_differently():
    ru, en = render_welcome_card("ru"), render_welcome_card("en")

    assert Image.open(io.BytesIO(ru)).size == SIZE
    assert ru != en
