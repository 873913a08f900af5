"""Choosing phrasings so that one reader does not meet a sentence twice in a month and two readers differ.

A sentence is built from parts (a lead and a tail, say); its variants are every combination of the parts,
numbered 0..N-1. On day d the member m (a sign, a person) gets variant (d * step + m + offset) mod N, where
step shares no factor with N. So within any N consecutive days one member never gets the same variant twice,
and on one day up to N members all get different ones. With N >= 30 and 12 signs both hold over a month.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

_STEPS = (7, 11, 13, 17, 19, 23, 29, 31, 37)


def _step(size: int) -> int:
    return next(step for step in _STEPS if math.gcd(step, size) == 1)


def variant(size: int, *, day: int, member: int, slot: str) -> int:
    """The variant number (0..size-1) of a slot for one member on one day."""
    offset = zlib.crc32(slot.encode())
    return (day * _step(size) + member + offset) % size


def combine(parts: Sequence[Sequence[str]], number: int) -> list[str]:
    """The combination with this number: one phrase from each part (mixed radix, the first part fastest)."""
    chosen = []
    for options in parts:
        number, digit = divmod(number, len(options))
        chosen.append(options[digit])
    return chosen


@dataclass(frozen=True)
class Rotation:
    """Picks phrasings for one member (sign, person) on one day, never the same phrase twice in one text."""

    day: int
    member: int
    seed: str = ""

    def pick(self, options: Sequence[str], slot: str) -> str:
        """One of the options (for slots seen at most once a day)."""
        return options[variant(len(options), day=self.day, member=self.member, slot=f"{self.seed}:{slot}")]

    def combination(self, parts: Sequence[Sequence[str]], slot: str) -> list[str]:
        """One phrase from each part, as one variant among all combinations."""
        size = math.prod(len(options) for options in parts)
        return combine(parts, variant(size, day=self.day, member=self.member, slot=f"{self.seed}:{slot}"))


def distinct(options: Sequence[str], used: set[str], start: int) -> str:
    """The first option from `start` on (cyclically) not already used in this text; it is then marked used."""
    for shift in range(len(options)):
        option = options[(start + shift) % len(options)]
        if option not in used:
            used.add(option)
            return option
    return options[start % len(options)]
