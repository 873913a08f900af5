"""Claiming updates: exactly once, also when the same update arrives twice at the same moment."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from bot.services import (
    ClaimState,
    UpdateClaim,
    update_claim,
    update_fail,
    update_finish,
    update_lease_renew,
    update_reclaim_failed,
    updates_prune,
)
from tests import driver
from tests.concurrency import race


@pytest.mark.django_db
def test_claim_once_then_busy_while_processing_then_finished(settings):
    settings.TELEGRAM_CLAIM_LEASE_SECONDS = 20
    update = driver.load("message_start")
    assert update_claim(update_id=update["update_id"], payload=update) == UpdateClaim(ClaimState.CLAIMED, 1)
    busy = update_claim(update_id=update["update_id"], payload=update)
    assert (busy.state, busy.attempt) == (ClaimState.BUSY, 1)
    assert 19 <= busy.retry_after <= 20
    update_finish(update_id=update["update_id"])
    assert update_claim(update_id=update["update_id"], payload=update).state == ClaimState.FINISHED
    claim = TelegramUpdate.objects.get()
    assert (claim.status, claim.kind, claim.chat_id, claim.payload) == (UpdateStatus.DONE, "message", 5000000001, None)
    assert claim.lease_until is None


@pytest.mark.django_db
def test_a_lapsed_lease_is_taken_over_and_the_old_holder_can_no_longer_renew(settings):
    settings.TELEGRAM_CLAIM_LEASE_SECONDS = 20
    update = driver.load("message_start")
    update_claim(update_id=update["update_id"], payload=update)
    assert update_lease_renew(update_id=update["update_id"], attempt=1) is True
    TelegramUpdate.objects.update(lease_until=timezone.now() - timedelta(seconds=1))

    assert update_claim(update_id=update["update_id"], payload=update) == UpdateClaim(ClaimState.CLAIMED, 2)
    assert update_lease_renew(update_id=update["update_id"], attempt=1) is False
    assert update_lease_renew(update_id=update["update_id"], attempt=2) is True
    assert update_claim(update_id=update["update_id"], payload=update).state == ClaimState.BUSY


@pytest.mark.django_db
def test_a_claim_from_before_leases_keeps_the_old_90_seconds():
    update = driver.load("message_start")
    TelegramUpdate.objects.create(
        update_id=update["update_id"], status=UpdateStatus.PROCESSING, started_at=timezone.now() - timedelta(seconds=60)
    )
    assert update_claim(update_id=update["update_id"], payload=update).state == ClaimState.BUSY
    TelegramUpdate.objects.update(started_at=timezone.now() - timedelta(seconds=91))
    assert update_claim(update_id=update["update_id"], payload=update).state == ClaimState.CLAIMED


@pytest.mark.django_db
def test_failed_update_keeps_payload_and_can_be_reclaimed_once():
    update = driver.load("callback_query")
    update_claim(update_id=update["update_id"], payload=update)
    update_fail(update_id=update["update_id"], error="Traceback: boom")
    assert update_claim(update_id=update["update_id"], payload=update).state == ClaimState.FINISHED

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
    results = race(lambda i: update_claim(update_id=update["update_id"], payload=update).state == ClaimState.CLAIMED, 8)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sorted(results) == [False] * 7 + [True]
    assert TelegramUpdate.objects.count() == 1
