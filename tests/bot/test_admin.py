"""Staff see claimed updates, inspect failed ones and process them again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from tests import driver

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw")
    client.force_login(user)
    return client


def failed_update() -> TelegramUpdate:
    update = driver.load("message_start")
    return TelegramUpdate.objects.create(
        update_id=update["update_id"],
        status=UpdateStatus.FAILED,
        kind="message",
        chat_id=5000000001,
        payload=update,
        error="Traceback ...\ntelegram.error.BadRequest: boom",
        started_at=timezone.now(),
    )


def test_list_filters_and_shows_the_raw_failed_update(staff_client):
    claim = failed_update()
    TelegramUpdate.objects.create(update_id=987654, status=UpdateStatus.DONE, started_at=timezone.now())

    listing = staff_client.get(reverse("admin:bot_telegramupdate_changelist") + "?status__exact=failed")
    detail = staff_client.get(reverse("admin:bot_telegramupdate_change", args=[claim.pk]))

    assert listing.status_code == 200
    assert str(claim.update_id) in listing.content.decode()
    assert "987654" not in listing.content.decode()
    assert detail.status_code == 200
    assert "anna_iv" in detail.content.decode()
    assert "BadRequest: boom" in detail.content.decode()


def test_replay_processes_failed_updates_again(staff_client, bot_settings):
    claim = failed_update()

    response = staff_client.post(
        reverse("admin:bot_telegramupdate_changelist"),
        {"action": "replay_failed", "_selected_action": [claim.pk]},
        follow=True,
    )

    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.attempts) == (UpdateStatus.DONE, 2)
    assert "Анна" in bot_settings.calls_to("sendPhoto")[0].params["caption"]
