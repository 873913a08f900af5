"""Tarot's django-q2 schedules (horoscopes.schedules lists them with the app's others)."""

from django_q.models import Schedule

from bot.schedules import ScheduleSpec

SCHEDULES: tuple[ScheduleSpec, ...] = (
    # Interpretations whose handler or worker died mid-way: queued again, sent at most once (the task claims).
    ScheduleSpec(
        "tarot interpretations sweep", "horoscopes.tarot_tasks.tarot_interpretations_sweep", Schedule.MINUTES, minutes=5
    ),
)
