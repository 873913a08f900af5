"""The broadcast pages as marketing staff use them: compose with validation, count, test-send, schedule, control."""

import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from broadcasts.models import Broadcast, BroadcastStatus, Recipient, StaffChat
from tests.broadcasts.conftest import make_broadcast
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(client):
    user = User.objects.create_user("marketer", "m@example.com", "a-long-staff-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Marketing"))
    client.force_login(user)
    return user


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "gold").save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(ru: str, en: str, **extra: object) -> dict:
    data = {
        "title": "Sale",
        "default_language": "ru",
        "missing_variant": "fallback",
        "button_kind": "action",
        "button_url": "",
        "button_action": "premium",
        "language": "",
        "premium": "",
        "source": "",
        "invited": "unknown",
        "onboarded": "unknown",
        "notifications_on": "unknown",
        "timing": "moment",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "2",
        "variants-0-language": "ru",
        "variants-0-text": ru,
        "variants-0-button_text": "Купить",
        "variants-1-language": "en",
        "variants-1-text": en,
        "variants-1-button_text": "Buy",
    }
    data.update(extra)
    return data


def test_marketing_composes_in_two_languages_with_a_picture_and_broken_html_is_refused(client, marketer):
    url = reverse("admin:broadcasts_broadcast_add")
    refused = client.post(url, form_data("<b>Скидка", "<b>Sale</b>"))
    assert refused.status_code == 200 and Broadcast.objects.count() == 0
    assert "end tag" in refused.content.decode()

    picture = SimpleUploadedFile("moon.png", png(), content_type="image/png")
    saved = client.post(url, form_data("<b>Скидка</b>", "<b>Sale</b>", picture=picture))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    broadcast = Broadcast.objects.get()
    assert bytes(broadcast.photo) == png() and broadcast.created_by == marketer
    assert sorted(broadcast.variants.values_list("language", flat=True)) == ["en", "ru"]


def test_a_non_picture_upload_is_refused(client, marketer):
    fake = SimpleUploadedFile("moon.png", b"not a picture", content_type="text/plain")
    response = client.post(reverse("admin:broadcasts_broadcast_add"), form_data("Да", "Yes", picture=fake))
    assert response.status_code == 200 and Broadcast.objects.count() == 0


def test_the_page_shows_the_count_and_the_stars_before_sending(client, marketer):
    TelegramUserFactory.create_batch(3)
    broadcast = make_broadcast(paid=True)
    page = client.get(reverse("admin:broadcasts_broadcast_change", args=[broadcast.pk])).content.decode()
    assert "3" in page and "0.3" in page.replace(",", ".")


def test_test_send_schedule_pause_resume_cancel(client, marketer, settings, django_capture_on_commit_callbacks):
    settings.TELEGRAM_BOT_TOKEN = ""  # queued tasks run inline and find no bot: nothing is sent here
    TelegramUserFactory.create_batch(2)
    broadcast = make_broadcast()
    base = reverse("admin:broadcasts_broadcast_change", args=[broadcast.pk])

    def act(name: str, data: dict | None = None):
        return client.post(reverse(f"admin:broadcasts_broadcast_{name}", args=[broadcast.pk]), data or {})

    assert act("test", {"telegram_id": "abc"}).status_code == 302
    assert not StaffChat.objects.exists()
    act("test", {"telegram_id": "4242"})
    assert StaffChat.objects.get(user=marketer).telegram_id == 4242
    assert 'value="4242"' in client.get(base).content.decode()  # linked once, offered next time

    act("schedule")
    act("schedule")  # a double click
    assert Recipient.objects.filter(broadcast=broadcast).count() == 2
    act("pause")
    assert Broadcast.objects.get().status == BroadcastStatus.PAUSED
    act("resume")
    assert Broadcast.objects.get().status == BroadcastStatus.RUNNING
    act("cancel")
    assert Broadcast.objects.get().status == BroadcastStatus.CANCELED
    assert client.get(reverse("admin:broadcasts_broadcast_pause", args=[broadcast.pk])).status_code == 403  # only POST


def test_only_staff_allowed_to_send_may_schedule(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_broadcast"))
    client.force_login(viewer)
    broadcast = make_broadcast()
    response = client.post(reverse("admin:broadcasts_broadcast_schedule", args=[broadcast.pk]))
    assert response.status_code == 403
    assert Broadcast.objects.get().status == BroadcastStatus.DRAFT
