"""The owner's dashboard in a real browser: the seeded numbers on the cards, a chart drawn, a date range."""

from datetime import timedelta

import pytest
from django.utils import timezone

from staff.services import local_today, metrics_rollup
from tests.factories import TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_sees_the_seeded_numbers_and_a_range_changes_them(page, staff, login):
    now = timezone.now()
    for days_ago in (1, 2, 2):
        TelegramUserFactory(first_seen_at=now - timedelta(days=days_ago))
    for days_ago in (45, 50):
        TelegramUserFactory(first_seen_at=now - timedelta(days=days_ago), source="vk")
    today = local_today()
    metrics_rollup(start=today - timedelta(days=60), end=today)
    staff("owner", "staff.view_dashboard", "staff.refresh_dashboard")
    login(page, "owner")

    cards = page.locator("#dashboard-cards")
    assert "Новые пользователи" in cards.inner_text()
    assert page.locator("#dashboard-cards .dashboard-value").first.inner_text().strip() == "3"
    # Chart.js drew the series on its canvases.
    page.wait_for_function(
        "Object.keys(Chart.instances).length > 5 && Object.keys(Chart.instances).length"
        " === document.querySelectorAll('canvas.chart').length"
    )

    page.fill("#dashboard-start", (today - timedelta(days=60)).isoformat())
    page.click("#dashboard-range button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#dashboard-cards .dashboard-value").first.inner_text().strip() == "5"
    assert "vk" in page.locator("#dashboard-sources").inner_text()

    page.evaluate("document.querySelector('#dashboard-start').type = 'text'")
    page.fill("#dashboard-start", "31.02.2026")
    page.click("#dashboard-range button[type=submit]")
    page.wait_for_load_state()
    assert "ГГГГ-ММ-ДД" in page.locator("#dashboard-error").inner_text()


def test_support_staff_see_no_dashboard(page, staff, login):
    staff("support", "users.view_telegramuser")
    login(page, "support")
    assert page.locator("#dashboard").count() == 0
    assert page.goto("/admin/staff/dailymetric/csv/users/").status == 403
