import pytest

from broadcasts.models import Broadcast, BroadcastVariant


def make_broadcast(**fields: object) -> Broadcast:
    """A draft broadcast with a Russian and an English text unless told otherwise."""
    variants = fields.pop("variants", {"ru": "<b>Полнолуние</b> сегодня", "en": "<b>Full moon</b> tonight"})
    broadcast = Broadcast.objects.create(title=fields.pop("title", "Full moon"), **fields)
    for language, text in variants.items():  # type: ignore[union-attr]
        BroadcastVariant.objects.create(broadcast=broadcast, language=language, text=text, button_text="Open")
    return broadcast


@pytest.fixture
def broadcast_factory():
    return make_broadcast
