"""django-q2 entry points of the staff panel."""

import logging
from datetime import date, timedelta

from staff.services import local_today, metrics_rollup

logger = logging.getLogger(__name__)

# Funnels, retention and renewals of recent days still move: the nightly run recomputes this many days.
NIGHTLY_DAYS = 40


def dashboard_rollup(start: str | None = None, end: str | None = None) -> int:
    """Roll raw events up into the dashboard's rows for start..end (ISO dates); by default the last 40 days and
    today so far. Idempotent: a day recomputed replaces its rows."""
    today = local_today()
    first = date.fromisoformat(start) if start else today - timedelta(days=NIGHTLY_DAYS)
    last = date.fromisoformat(end) if end else today
    written = metrics_rollup(start=first, end=last)
    logger.info("dashboard rollup %s..%s: %d rows", first, last, written)
    return written
