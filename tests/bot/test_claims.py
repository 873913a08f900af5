"""Claiming updates: exactly once, also when the same update arrives twice at the same moment."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from bot.services import update_claim, update_fail, update_finish, update_reclaim_failed, updates_prune
from tests import driver


@pytest.mark.django_db
def test_claim_once_then_duplicates_are_refused():
    update = driver.load("message_start")
    assert update_claim(update_id=update["update_id"], payload=update) is True
    assert update_claim(update_id=update["update_id"], payload=update) is False
    update_finish(update_id=update["update_id"])
    assert update_claim(update_id=update["update_id"], payload=update) is False
    claim = TelegramUpdate.objects.get()
    assert (claim.status, claim.kind, claim.chat_id, claim.payload) == (UpdateStatus.DONE, "message", 5000000001, None)


@pytest.mark.django_db
def test_failed_update_keeps_payload_and_can_be_reclaimed_once():
    update = driver.load("callback_query")
    update_claim(update_id=update["update_id"], payload=update)
    update_fail(update_id=update["update_id"], error="Traceback: boom")
    assert update_claim(update_id=update["update_id"], payload=update) is False

    assert update_reclaim_failed(update_id=update["update_id"]) == update
    assert update_reclaim_failed(update_id=update["update_id"]) is None
    claim = TelegramUpdate.objects.get()
    assert (claim.status, claim.attempts, claim.kind) == (UpdateStatus.PROCESSING, 2, "callback_query")


@pytest.mark.django_db
def test_prune_removes_only_old_claims():
    old = TelegramUpdate.objects.create(update_id=1, status=UpdateStatus.DONE, started_at=timezone.now())
    TelegramUpdate.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=8))
    TelegramUpdate.objects.create(update_id=2, status=UpdateStatus.DONE, started_at=timezone.now())

    assert updates_prune() == 1
    assert list(TelegramUpdate.objects.values_list("update_id", flat=True)) == [2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_are_claimed_exactly_once():
    update = driver.load("message_start")
    barrier = threading.Barrier(8)
    results: list[bool] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            results.append(update_claim(update_id=update["update_id"], payload=update))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(results) == [False] * 7 + [True]
    assert TelegramUpdate.objects.count() == 1
