"""django-q2 entry points of the daily texts (no messages): each takes plain values and calls one service."""

from datetime import date

from django_q.tasks import async_task

from horoscopes.daily import services
from horoscopes.llm import llm_configured


def daily_generate_ahead() -> int:
    """Write every daily text a reader anywhere may ask for before the next run (06:00 and 18:00 Moscow).

    Without an LLM the offline writer does it here and now (milliseconds a text); with one, each text is a
    task of its own, so a slow LLM never runs into the task timeout. Idempotent.
    """
    wanted = services.daily_missing(days=services.daily_dates_ahead())
    for sign, day, language, offset in wanted:
        if llm_configured():
            async_task(daily_generate_one, sign, day.isoformat(), language, False, offset, group="daily horoscopes")
        else:
            services.daily_generate(sign=sign, day=day, language=language, utc_offset=offset)
    return len(wanted)


def daily_generate_one(sign: str, day: str, language: str, force: bool = False, utc_offset: int | None = None) -> int:
    """Write (or with `force` rewrite) one daily horoscope of an offset group (the reference one when None); its id."""
    return services.daily_generate(
        sign=sign, day=date.fromisoformat(day), language=language, force=force, utc_offset=utc_offset
    ).pk


def push_deliveries_prune() -> int:
    """Forget push records older than the retention period."""
    return services.push_deliveries_prune()
