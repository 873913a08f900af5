"""Seed the deck table from the shipped data: adds missing cards, never overwrites what staff edited.

Usable as a data migration (``migrations.RunPython(tarot_deck_seed, migrations.RunPython.noop)``, with the
historical models) and as a plain call (``tarot_deck_seed()``, e.g. from tests or a shell).
"""

from __future__ import annotations

from typing import Any

from .deck import AREAS, LANGS, ORIENTATIONS, Card, load_deck


def card_fields(card: Card) -> dict[str, Any]:
    """The TarotCard field values for one card of the shipped deck (everything but ``key`` and ``order``)."""
    fields: dict[str, Any] = {
        "number": card.number,
        "arcana": card.arcana,
        "suit": card.suit or "",
        "element": card.element,
        "astrology_ru": card.astrology["ru"],
        "astrology_en": card.astrology["en"],
        "astro_keys": list(card.astro_keys),
        "name_ru": card.name["ru"],
        "name_en": card.name["en"],
    }
    for orientation in ORIENTATIONS:
        for lang in LANGS:
            fields[f"keywords_{orientation}_{lang}"] = ", ".join(card.keywords[orientation][lang])
            for area in AREAS:
                fields[f"{orientation}_{area}_{lang}"] = card.meanings[orientation][area][lang]
    return fields


def tarot_deck_seed(apps: Any = None, schema_editor: Any = None) -> int:
    """Create every card of the shipped deck that is not in the table yet; the number created."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    model = apps.get_model("horoscopes", "TarotCard")
    existing = set(model.objects.values_list("key", flat=True))
    missing = [
        model(key=card.key, order=order, **card_fields(card))
        for order, card in enumerate(load_deck())
        if card.key not in existing
    ]
    # ignore_conflicts: two processes seeding at once (or a re-run) leave exactly one row per card.
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
