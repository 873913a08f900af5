"""Fair draws from the deck: unbiased spreads and a keyed, deterministic card of the day."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

from .deck import SPREADS, card_keys

# Used only when neither an explicit secret nor Django settings are available (scripts, pure tests).
_FALLBACK_SECRET = b"astrobot-tarot-day-development-key"
_SYSTEM_RANDOM = random.SystemRandom()


@dataclass(frozen=True)
class DrawnCard:
    """A card laid out in a spread; ``position`` is the 0-based index into ``Spread.positions``."""

    key: str
    reversed: bool
    position: int


def draw(n: int, *, rng: random.Random | None = None, reversed_probability: float = 0.5) -> list[DrawnCard]:
    """Draw ``n`` distinct cards, each independently reversed with ``reversed_probability``."""
    keys = card_keys()
    if not 1 <= n <= len(keys):
        raise ValueError(f"n must be between 1 and {len(keys)}, got {n}")
    if not 0.0 <= reversed_probability <= 1.0:
        raise ValueError(f"reversed_probability must be within [0, 1], got {reversed_probability}")
    source = rng if rng is not None else _SYSTEM_RANDOM
    picked = source.sample(keys, n)
    return [
        DrawnCard(key=key, reversed=source.random() < reversed_probability, position=index)
        for index, key in enumerate(picked)
    ]


def draw_spread(spread: str, *, rng: random.Random | None = None) -> list[DrawnCard]:
    """Draw as many cards as the named spread has positions."""
    return draw(SPREADS[spread].size, rng=rng)


def draw_for_day(seed: str, *, secret: str | bytes | None = None) -> DrawnCard:
    """The card of the day for a seed such as ``f"{user_id}:{local_date}"``, uniform over 78 cards x 2.

    Keyed with ``secret`` (default: Django's ``TAROT_DAY_SECRET`` or ``SECRET_KEY``) so that nobody can
    compute tomorrow's card from their own id.
    """
    keys = card_keys()
    digest = hashlib.blake2b(
        seed.encode("utf-8"), key=_derive_key(_secret_bytes(secret)), digest_size=16, person=b"tarot-day"
    ).digest()
    # 128 bits reduced modulo 156: the bias is below 1e-35, far beyond what anyone can observe.
    value = int.from_bytes(digest, "big") % (len(keys) * 2)
    return DrawnCard(key=keys[value // 2], reversed=bool(value % 2), position=0)


def _secret_bytes(secret: str | bytes | None) -> bytes:
    """The explicit secret, else the one from Django settings, else the development fallback."""
    if secret is not None:
        return secret.encode("utf-8") if isinstance(secret, str) else secret
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return _FALLBACK_SECRET
    try:
        value = getattr(settings, "TAROT_DAY_SECRET", None) or settings.SECRET_KEY
    except ImproperlyConfigured:
        return _FALLBACK_SECRET
    if not value:
        return _FALLBACK_SECRET
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


@lru_cache(maxsize=8)
def _derive_key(secret: bytes) -> bytes:
    """A 64-byte BLAKE2b key derived from a secret of any length, separated from other uses of it."""
    return hashlib.blake2b(secret, digest_size=64, person=b"astrobot-tarot").digest()
