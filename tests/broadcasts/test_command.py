"""`manage.py broadcast` uses the same services as the admin."""

import io

import pytest
from django.core.management import CommandError, call_command

from broadcasts.models import BroadcastStatus, Recipient
from tests.broadcasts.conftest import make_broadcast
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


def run(*args: object) -> str:
    out = io.StringIO()
    call_command("broadcast", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_list_show_schedule_pause_cancel(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    TelegramUserFactory.create_batch(2)
    broadcast = make_broadcast(paid=True)

    assert f"{broadcast.pk}\tdraft\tFull moon" in run("list")
    assert "2 selected, 2 receiving" in run("show", broadcast.pk) and "0.2 Stars" in run("show", broadcast.pk)
    assert "Scheduled for 2 users." in run("schedule", broadcast.pk)
    assert Recipient.objects.count() == 2
    run("pause", broadcast.pk)
    assert "Nothing to pause" in run("pause", broadcast.pk)
    run("cancel", broadcast.pk)
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.CANCELED


def test_bad_input_is_a_clear_error():
    with pytest.raises(CommandError, match="no broadcast 999"):
        run("show", 999)
    with pytest.raises(CommandError, match="id"):
        run("schedule")
    broadcast = make_broadcast(variants={"ru": "<b>broken"})
    with pytest.raises(CommandError, match="HTML"):
        run("schedule", broadcast.pk)
    with pytest.raises(CommandError, match="--to"):
        run("test", broadcast.pk)
