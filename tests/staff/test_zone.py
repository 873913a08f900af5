"""Times in the panel are in the staff member's own zone (the browser reports it), UTC on hover."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db

SEEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _users_page(admin_client, cookie: str | None) -> str:
    TelegramUserFactory(first_seen_at=SEEN, last_seen_at=SEEN)
    if cookie is not None:
        admin_client.cookies["staff_tz"] = cookie
    return admin_client.get(reverse("admin:users_telegramuser_changelist")).content.decode()


def test_times_follow_the_zone_the_browser_reports(admin_client):
    body = _users_page(admin_client, "Asia/Vladivostok")
    assert "2026-03-02 19:30" in body  # UTC+10
    assert "2026-03-02 09:30:00 UTC" in body  # on hover


def test_without_a_zone_the_project_zone_is_used(admin_client):
    assert "2026-03-02 12:30" in _users_page(admin_client, None)  # Moscow, UTC+3


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../../etc/passwd", "x" * 300, ""])
def test_a_zone_nobody_knows_is_ignored(admin_client, bad):
    assert "2026-03-02 12:30" in _users_page(admin_client, bad)
