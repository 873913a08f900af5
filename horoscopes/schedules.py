"""django-q2 schedules of the horoscopes app (cron in Europe/Moscow), synced by `manage.py sync_schedules`."""

from django_q.models import Schedule

from bot.schedules import ScheduleSpec
from horoscopes.tarot_schedules import SCHEDULES as TAROT_SCHEDULES

SCHEDULES: tuple[ScheduleSpec, ...] = (
    # Today's and tomorrow's texts for every sign and language, for readers in every time zone.
    ScheduleSpec("daily horoscopes", "horoscopes.tasks.daily_generate_ahead", Schedule.CRON, cron="0 6,18 * * *"),
    # Each run sends what is due and stops within PUSH_RUN_SECONDS; one run at a time (a lease).
    ScheduleSpec("daily push", "horoscopes.tasks.push_due", Schedule.MINUTES, minutes=1),
    ScheduleSpec("prune push deliveries", "horoscopes.tasks.push_deliveries_prune", Schedule.CRON, cron="23 4 * * *"),
    *TAROT_SCHEDULES,
)
