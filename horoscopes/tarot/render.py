"""Spread images where staff-uploaded card pictures replace the rendered faces of their cards."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache

from PIL import Image, ImageOps

from . import images
from .deck import SPREADS
from .shuffle import DrawnCard

# An uploaded picture may be anything Pillow reads; very large ones are refused before decoding.
MAX_PIXELS = 40_000_000


@lru_cache(maxsize=64)
def _custom_face(data: bytes, width: int) -> Image.Image:
    """An uploaded card picture cropped to the card's proportions at ``width``; callers must not draw on it."""
    with Image.open(io.BytesIO(data)) as source:
        if source.width * source.height > MAX_PIXELS:
            raise ValueError("card picture is too large")
        picture = ImageOps.exif_transpose(source).convert("RGB")
    size = (width, round(width * images.CARD_RATIO))
    return ImageOps.fit(picture, size, method=Image.Resampling.LANCZOS)


def spread_image(
    spread: str, cards: Sequence[DrawnCard], *, lang: str = "ru", custom: Mapping[str, bytes] | None = None
) -> bytes:
    """The JPEG of a spread; cards with an uploaded picture in ``custom`` (key -> image bytes) show it."""
    custom = {key: data for key, data in (custom or {}).items() if any(card.key == key for card in cards)}
    if not custom:
        return images.render_spread(spread, list(cards), lang=lang)
    meta = SPREADS[spread]
    by_position = {card.position: card for card in cards}
    if (
        len(cards) != meta.size
        or sorted(by_position) != list(range(meta.size))
        or len({card.key for card in cards}) != len(cards)
    ):
        raise ValueError("cards must be distinct and cover every position exactly once")
    drawn = tuple(by_position[i] for i in range(meta.size))

    def face_for(key: str, face_lang: str, width: int) -> Image.Image:
        if key in custom:
            try:
                return _custom_face(custom[key], width)
            except (OSError, ValueError, Image.DecompressionBombError):
                pass  # a broken upload must not break a reading: fall back to the drawn face
        return images._card_face(key, face_lang, width)

    return images._compose(spread, drawn, lang, face_for)


def card_image(
    key: str, *, reversed: bool = False, lang: str = "ru", width: int = 400, custom: bytes | None = None
) -> bytes:
    """One card as PNG: the uploaded picture when given (and readable), else the drawn face."""
    if custom:
        try:
            face = _custom_face(custom, width)
        except (OSError, ValueError, Image.DecompressionBombError):
            face = None
        if face is not None:
            if reversed:
                face = face.transpose(Image.Transpose.ROTATE_180)
            buffer = io.BytesIO()
            face.save(buffer, format="PNG")
            return buffer.getvalue()
    return images.render_card(key, reversed=reversed, lang=lang, width=width)
