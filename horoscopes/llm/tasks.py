"""django-q2 entry points of the generation log."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from horoscopes.llm.models import GenerationLog


def generations_prune(*, older_than_days: int | None = None, chunk: int = 10_000) -> int:
    """Delete generation log entries past GENERATIONS_KEEP_DAYS, a chunk per statement; the number deleted.

    Texts written from them stay (their link to the log is emptied).
    """
    days = settings.GENERATIONS_KEEP_DAYS if older_than_days is None else older_than_days
    old = GenerationLog.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).order_by("pk")
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:chunk]):
        deleted += GenerationLog.objects.filter(pk__in=ids).delete()[1].get(GenerationLog._meta.label, 0)
    return deleted
