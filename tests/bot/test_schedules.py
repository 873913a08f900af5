"""Schedules live in code; syncing creates, updates and prunes them, and twice changes nothing."""

from zoneinfo import ZoneInfo

import pytest
from django_q.models import Schedule

from bot.schedules import ScheduleSpec, all_schedules, schedules_sync

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(Schedule.objects.order_by("name").values_list("name", "func", "schedule_type", "cron", "next_run"))


def test_migrate_already_synced_and_a_second_sync_changes_nothing():
    before = snapshot()
    assert [name for name, *_ in before] == sorted(spec.name for spec in all_schedules())

    counts = schedules_sync()

    assert counts == {"created": 0, "updated": 0, "deleted": 0, "unchanged": len(all_schedules())}
    assert snapshot() == before


def test_changed_spec_is_updated_and_its_next_run_recomputed():
    original = Schedule.objects.get(name="prune claimed updates")
    changed = tuple(
        ScheduleSpec(spec.name, spec.func, spec.schedule_type, cron="5 3 * * *")
        if spec.name == "prune claimed updates"
        else spec
        for spec in all_schedules()
    )

    counts = schedules_sync(changed)

    updated = Schedule.objects.get(name="prune claimed updates")
    assert counts["updated"] == 1
    assert updated.cron == "5 3 * * *"
    assert updated.next_run != original.next_run
    moscow = updated.next_run.astimezone(ZoneInfo("Europe/Moscow"))
    assert (moscow.hour, moscow.minute) == (3, 5)


def test_stale_own_schedules_are_pruned_and_foreign_ones_kept():
    Schedule.objects.create(name="old job", func="bot.tasks.gone", schedule_type=Schedule.DAILY)
    Schedule.objects.create(name="staff's own", func="math.floor", schedule_type=Schedule.DAILY)
    Schedule.objects.create(
        name="cluster heartbeat", func="bot.tasks.heartbeat", schedule_type=Schedule.MINUTES, minutes=1
    )

    counts = schedules_sync()

    names = list(Schedule.objects.values_list("name", flat=True))
    assert "old job" not in names
    assert "staff's own" in names
    assert names.count("cluster heartbeat") == 1
    assert counts["deleted"] == 2
