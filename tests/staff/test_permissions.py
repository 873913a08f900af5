"""Every custom view, file endpoint and action checks its permission: without it 403 or no action, with it works."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from horoscopes.daily import services as daily
from horoscopes.daily.models import DailyHoroscope
from horoscopes.natal.services import natal_chart_get
from horoscopes.tarot.models import TarotCard
from horoscopes.tarot.seed import tarot_deck_seed
from staff.admin import SuperuserOnly
from tests import driver
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


def test_every_action_of_every_admin_declares_its_permissions():
    undeclared = []
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, SuperuserOnly):
            continue  # the task queue: nobody else even sees it
        for action in model_admin.actions or ():
            function = getattr(model_admin, action) if isinstance(action, str) else action
            if not getattr(function, "allowed_permissions", None):
                undeclared.append(f"{type(model_admin).__name__}.{action}")
    assert undeclared == []


def test_the_natal_wheel_needs_the_charts_view_permission(client, staff):
    chart = natal_chart_get(user_id=TelegramUserFactory(born=True).pk)
    url = reverse("admin:horoscopes_natalchart_wheel", args=[chart.pk])

    client.force_login(staff("nobody"))
    refused = client.get(url)
    client.force_login(staff("support", "horoscopes.view_natalchart"))
    allowed = client.get(url)

    assert refused.status_code == 403 and not refused.content.startswith(b"\x89PNG")
    assert allowed.status_code == 200 and allowed.content.startswith(b"\x89PNG")
    assert client.get(reverse("admin:horoscopes_natalchart_wheel", args=[chart.pk + 1000])).status_code == 404


def test_tarot_pictures_need_the_view_permission(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tarot_deck_seed()
    card = TarotCard.objects.first()
    url = reverse("admin:horoscopes_tarotcard_picture", args=[card.pk, "ru", "upright"])

    client.force_login(staff("nobody"))
    refused = client.get(url)
    client.force_login(staff("content", "horoscopes.view_tarotcard"))
    allowed = client.get(url)

    assert refused.status_code == 403
    assert allowed.status_code == 200 and allowed["Content-Type"] == "image/png"


def failed_update() -> TelegramUpdate:
    update = driver.load("message_start")
    return TelegramUpdate.objects.create(
        update_id=update["update_id"],
        status=UpdateStatus.FAILED,
        kind="message",
        chat_id=5000000001,
        payload=update,
        error="boom",
        started_at=timezone.now(),
    )


def test_view_only_staff_cannot_replay_failed_updates(client, staff, bot_settings):
    claim = failed_update()
    client.force_login(staff("viewer", "bot.view_telegramupdate"))
    listing = client.get(reverse("admin:bot_telegramupdate_changelist"))

    client.post(
        reverse("admin:bot_telegramupdate_changelist"), {"action": "replay_failed", "_selected_action": [claim.pk]}
    )

    assert listing.status_code == 200 and "replay_failed" not in listing.content.decode()
    claim.refresh_from_db()
    assert claim.status == UpdateStatus.FAILED
    assert not bot_settings.calls_to("sendPhoto")


def test_staff_with_the_replay_permission_replay_and_it_is_on_the_updates_history(client, staff, bot_settings):
    claim = failed_update()
    support = staff("support", groups=("Support",))
    client.force_login(support)
    assert "replay_failed" in client.get(reverse("admin:bot_telegramupdate_changelist")).content.decode()

    client.post(
        reverse("admin:bot_telegramupdate_changelist"), {"action": "replay_failed", "_selected_action": [claim.pk]}
    )

    claim.refresh_from_db()
    assert claim.status == UpdateStatus.DONE
    entry = LogEntry.objects.get(object_id=str(claim.pk), content_type__model="telegramupdate")
    assert entry.user == support and entry.get_change_message() == "Повторно обработан сотрудником."
    history = client.get(reverse("admin:bot_telegramupdate_history", args=[claim.pk]))
    assert "Повторно обработан сотрудником." in history.content.decode()


def test_view_only_staff_cannot_write_daily_texts_again(client, staff, settings):
    horoscope = daily.daily_generate(sign="leo", day=timezone.localdate(), language="ru")
    DailyHoroscope.objects.filter(pk=horoscope.pk).update(tip="правка редактора")
    client.force_login(staff("viewer", "horoscopes.view_dailyhoroscope"))
    listing = client.get(reverse("admin:horoscopes_dailyhoroscope_changelist"))

    for action in ("regenerate_selected", "regenerate_days"):
        client.post(
            reverse("admin:horoscopes_dailyhoroscope_changelist"),
            {"action": action, "_selected_action": [horoscope.pk]},
        )

    assert "regenerate_selected" not in listing.content.decode()
    assert "regenerate_days" not in listing.content.decode()
    horoscope.refresh_from_db()
    assert horoscope.tip == "правка редактора"
    assert DailyHoroscope.objects.count() == 1


def test_content_staff_write_texts_again_and_it_is_recorded(client, staff):
    horoscope = daily.daily_generate(sign="leo", day=timezone.localdate(), language="ru")
    DailyHoroscope.objects.filter(pk=horoscope.pk).update(tip="правка редактора")
    editor = staff("editor", groups=("Content",))
    client.force_login(editor)

    client.post(
        reverse("admin:horoscopes_dailyhoroscope_changelist"),
        {"action": "regenerate_selected", "_selected_action": [horoscope.pk]},
    )

    horoscope.refresh_from_db()
    assert horoscope.tip != "правка редактора"  # tasks run inline in tests
    entry = LogEntry.objects.get(object_id=str(horoscope.pk), content_type__model="dailyhoroscope")
    assert entry.user == editor and "заново" in entry.get_change_message()


@pytest.mark.parametrize(
    ("role", "url_name", "allowed"),
    [
        ("Support", "admin:users_telegramuser_changelist", True),
        ("Support", "admin:horoscopes_prompt_changelist", False),
        ("Content", "admin:horoscopes_prompt_changelist", True),
        ("Content", "admin:users_telegramuser_changelist", False),
        ("Marketing", "admin:users_telegramuser_changelist", False),
        ("Marketing", "admin:payments_payment_changelist", True),
        ("Owner", "admin:admin_logentry_changelist", True),
        ("Owner", "admin:django_q_schedule_changelist", False),
        ("Support", "admin:admin_logentry_changelist", False),
    ],
)
def test_each_role_opens_what_it_is_for(client, staff, role, url_name, allowed):
    client.force_login(staff(role.lower(), groups=(role,)))
    assert client.get(reverse(url_name)).status_code == (200 if allowed else 403)
