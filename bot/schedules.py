"""Every django-q2 schedule of the project, kept in code and synced into the database by name."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

logger = logging.getLogger(__name__)

# Schedules whose function lives in one of these modules are ours: sync may remove them when dropped.
OWN_PREFIXES = ("bot.", "users.", "horoscopes.", "payments.", "staff.")


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None
    cron: str | None = None  # in settings.TIME_ZONE (Europe/Moscow)
    kwargs: dict = field(default_factory=dict)


# Every schedule of the project, in one list (cron in settings.TIME_ZONE, Europe/Moscow).
SCHEDULES: tuple[ScheduleSpec, ...] = (
    ScheduleSpec("cluster heartbeat", "bot.tasks.heartbeat", Schedule.MINUTES, minutes=1),
    ScheduleSpec("prune claimed updates", "bot.tasks.updates_prune", Schedule.CRON, cron="17 4 * * *"),
    # Today's and tomorrow's texts for every sign and language, for readers in every time zone.
    ScheduleSpec("daily horoscopes", "horoscopes.daily.tasks.daily_generate_ahead", Schedule.CRON, cron="0 6,18 * * *"),
    # Each run sends what is due and stops within PUSH_RUN_SECONDS; one run at a time (a lease).
    ScheduleSpec("daily push", "bot.horoscope.tasks.push_due", Schedule.MINUTES, minutes=1),
    # Broadcasts with recipients due: one run each (a lease), sending within BROADCAST_RUN_SECONDS.
    ScheduleSpec("broadcasts", "bot.broadcast.tasks.broadcasts_send_due", Schedule.MINUTES, minutes=1),
    ScheduleSpec(
        "prune push deliveries", "horoscopes.daily.tasks.push_deliveries_prune", Schedule.CRON, cron="23 4 * * *"
    ),
    # Tables that grow with use stay bounded: task results and the generation log (claims and pushes above).
    ScheduleSpec("prune task results", "bot.tasks.task_results_prune", Schedule.CRON, cron="29 4 * * *"),
    ScheduleSpec("prune generation log", "horoscopes.llm.tasks.generations_prune", Schedule.CRON, cron="31 4 * * *"),
    # Interpretations whose handler or worker died mid-way: queued again, sent at most once (the task claims).
    ScheduleSpec(
        "tarot interpretations sweep", "bot.tarot.tasks.tarot_interpretations_sweep", Schedule.MINUTES, minutes=5
    ),
    # Pending card payments: the same check as a YooKassa notification, for the ones that never came.
    ScheduleSpec("payments: check pending card payments", "payments.tasks.payments_poll", Schedule.MINUTES, minutes=5),
    # Once a day, against Telegram's own list: grant what was paid but never reached us.
    ScheduleSpec(
        "payments: reconcile Telegram Stars", "bot.premium.tasks.stars_reconcile", Schedule.CRON, cron="40 4 * * *"
    ),
    # Hourly, so that "3 days before" is close to three days wherever the user lives.
    ScheduleSpec(
        "payments: Premium reminders and ends", "bot.premium.tasks.premium_notices", Schedule.CRON, cron="7 * * * *"
    ),
    # Just after midnight: yesterday's numbers final, recent days' funnels and retention brought up to date.
    ScheduleSpec("dashboard rollup", "staff.tasks.dashboard_rollup", Schedule.CRON, cron="10 0 * * *"),
)


def all_schedules() -> tuple[ScheduleSpec, ...]:
    """Every schedule, checked for duplicate names."""
    names = [spec.name for spec in SCHEDULES]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"schedule names used twice: {sorted(duplicates)}")
    return SCHEDULES


def _fields(spec: ScheduleSpec) -> dict:
    return {
        "func": spec.func,
        "schedule_type": spec.schedule_type,
        "minutes": spec.minutes,
        "cron": spec.cron,
        "kwargs": repr(spec.kwargs) if spec.kwargs else None,
        "args": None,
        "repeats": -1,
    }


def _next_run(schedule: Schedule) -> datetime:
    if schedule.schedule_type == Schedule.CRON:
        return schedule.calculate_next_run()
    return timezone.now()


@transaction.atomic
def schedules_sync(specs: tuple[ScheduleSpec, ...] | None = None) -> dict[str, int]:
    """Create, update and prune schedules to match the specs (all apps' by default); counts of each change."""
    specs = all_schedules() if specs is None else specs
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    for spec in specs:
        wanted = _fields(spec)
        existing = list(Schedule.objects.filter(name=spec.name).order_by("id"))
        # The name is not unique in the database: keep the oldest row and drop copies.
        for duplicate in existing[1:]:
            duplicate.delete()
            counts["deleted"] += 1
        schedule = existing[0] if existing else Schedule(name=spec.name)
        changed = [key for key, value in wanted.items() if getattr(schedule, key) != value]
        if schedule.pk and not changed:
            counts["unchanged"] += 1
            continue
        for key, value in wanted.items():
            setattr(schedule, key, value)
        # next_run moves only for a new or changed schedule, so a redeploy never skips or repeats a run.
        schedule.next_run = _next_run(schedule)
        counts["updated" if schedule.pk else "created"] += 1
        schedule.save()
    names = {spec.name for spec in specs}
    for stale in Schedule.objects.exclude(name__in=names):
        if stale.func.startswith(OWN_PREFIXES):
            stale.delete()
            counts["deleted"] += 1
    return counts
