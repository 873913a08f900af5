"""Tables that grow with use are pruned on a schedule: task results, the generation log, push records."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Task

from bot import tasks as bot_tasks
from bot.schedules import SCHEDULES
from horoscopes.daily import tasks as daily_tasks
from horoscopes.daily.models import DailyHoroscope, PushDelivery, PushStatus
from horoscopes.llm import tasks as llm_tasks
from horoscopes.llm.models import GenerationLog
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


def task(*, days_ago: float, success: bool) -> Task:
    stopped = timezone.now() - timedelta(days=days_ago)
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=uuid.uuid4().hex[:20],
        func="bot.tasks.heartbeat",
        started=stopped,
        stopped=stopped,
        success=success,
        args=(),
        kwargs={},
    )


def test_every_growing_table_has_a_daily_prune_schedule():
    funcs = {spec.func for spec in SCHEDULES}
    assert {
        "bot.tasks.updates_prune",
        "bot.tasks.task_results_prune",
        "horoscopes.daily.tasks.push_deliveries_prune",
        "horoscopes.llm.tasks.generations_prune",
    } <= funcs


def test_task_results_past_retention_or_beyond_save_limit_are_deleted(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "save_limit": 3}
    old_failure, recent_failure = task(days_ago=20, success=False), task(days_ago=1, success=False)
    successes = [task(days_ago=days / 10, success=True) for days in range(5)]

    assert bot_tasks.task_results_prune() == 3

    left = set(Task.objects.values_list("pk", flat=True))
    assert old_failure.pk not in left and recent_failure.pk in left
    assert left & {t.pk for t in successes} == {t.pk for t in successes[:3]}  # the newest three


def test_old_generation_log_entries_go_and_the_texts_stay(settings):
    settings.GENERATIONS_KEEP_DAYS = 90
    old = GenerationLog.objects.create(
        kind="daily", status="offline", model="offline", created_at=timezone.now() - timedelta(days=91)
    )
    recent = GenerationLog.objects.create(kind="daily", status="offline", model="offline")
    text = DailyHoroscope.objects.create(sign="leo", date=timezone.now().date(), language="ru", generation=old)

    assert llm_tasks.generations_prune(chunk=1) == 1

    assert list(GenerationLog.objects.values_list("pk", flat=True)) == [recent.pk]
    text.refresh_from_db()
    assert text.generation is None


def test_push_records_past_retention_are_deleted(settings):
    settings.PUSH_DELIVERIES_KEEP_DAYS = 30
    today = timezone.now().date()
    users = TelegramUserFactory.create_batch(3)
    for user, days_ago in zip(users, (40, 31, 2), strict=True):
        PushDelivery.objects.create(user=user, local_date=today - timedelta(days=days_ago), status=PushStatus.SENT)

    assert daily_tasks.push_deliveries_prune() == 2

    assert list(PushDelivery.objects.values_list("user_id", flat=True)) == [users[2].pk]
