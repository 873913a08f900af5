"""Reads of the bot app."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bot.models import Heartbeat


def database_ping() -> None:
    """Run a trivial query; raises when the database is unreachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def heartbeat_age(*, name: str) -> timedelta | None:
    """How long ago the named process last said it was alive, or None if it never did."""
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    return None if beat_at is None else timezone.now() - beat_at
