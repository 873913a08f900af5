"""Tarot: the 78-card deck in Russian and English, spreads, fair draws and locally rendered images."""

from .deck import SPREADS, Card, Position, Spread, card_by_key, card_keys, load_deck
from .images import render_card, render_spread
from .shuffle import DrawnCard, draw, draw_for_day, draw_spread

__all__ = [
    "SPREADS",
    "Card",
    "DrawnCard",
    "Position",
    "Spread",
    "card_by_key",
    "card_keys",
    "draw",
    "draw_for_day",
    "draw_spread",
    "load_deck",
    "render_card",
    "render_spread",
]
