"""A staff member in Vladivostok reads times in Vladivostok time, with no setting to change."""

from datetime import UTC, datetime

import pytest

from tests.browser.conftest import PASSWORD
from tests.factories import TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_zone_is_used_from_the_next_page_on(browser, live_server, staff):
    staff("far", superuser=True)
    TelegramUserFactory(first_seen_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Asia/Vladivostok")
    page = context.new_page()
    try:
        page.goto("/admin/login/?next=/admin/users/telegramuser/")
        page.fill("input[name=username]", "far")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto("/admin/users/telegramuser/")
        assert "2026-03-02 19:30" in page.content()
    finally:
        context.close()
