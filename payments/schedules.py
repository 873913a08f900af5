"""The payments app's schedules (synced by `manage.py sync_schedules`; cron in Europe/Moscow)."""

from django_q.models import Schedule

from bot.schedules import ScheduleSpec

MINUTES, CRON = Schedule.MINUTES, Schedule.CRON

SCHEDULES: tuple[ScheduleSpec, ...] = (
    # Pending card payments: the same check as a YooKassa notification, for the ones that never came.
    ScheduleSpec("payments: check pending card payments", "payments.tasks.payments_poll", MINUTES, minutes=5),
    # Once a day, against Telegram's own list: grant what was paid but never reached us.
    ScheduleSpec("payments: reconcile Telegram Stars", "payments.tasks.stars_reconcile", CRON, cron="40 4 * * *"),
    # Hourly, so that "3 days before" is close to three days wherever the user lives.
    ScheduleSpec("payments: Premium reminders and ends", "payments.tasks.premium_notices", CRON, cron="7 * * * *"),
)
