"""Support work on users in a real browser: find someone by a lower-case Cyrillic name, grant Premium with a
reason and read it in their history; select all 300 users of a filtered list and grant them Premium at once."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_user_by_a_lower_case_cyrillic_name_and_grant_premium_with_a_reason(page, staff, login):
    anna = TelegramUserFactory(first_name="Анна", last_name="Иванова", username="anna_iv")
    TelegramUserFactory(first_name="Борис")
    staff("support", "users.view_telegramuser", "users.change_telegramuser")
    login(page, "support")

    page.goto("/admin/users/telegramuser/")
    page.fill("input[name=q]", "анна")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="anna_iv").click()
    page.wait_for_url(re.compile(rf"/admin/users/telegramuser/{anna.pk}/change/"))

    page.get_by_role("link", name=re.compile("Выдать Премиум")).click()
    page.fill("input[name=days]", "14")
    page.fill("input[name=reason]", "компенсация за сбой")
    page.get_by_role("button", name="Выдать Премиум").click()
    page.wait_for_url(re.compile(rf"/admin/users/telegramuser/{anna.pk}/change/"))
    assert "Премиум продлён на 14 дн." in page.content()

    page.goto(f"/admin/users/telegramuser/{anna.pk}/history/")
    assert "компенсация за сбой" in page.locator("body").inner_text()
    anna.refresh_from_db()
    assert anna.premium_until > timezone.now()


def test_select_all_300_users_across_pages_and_grant(page, staff, login):
    TelegramUserFactory.create_batch(300, source="promo")
    TelegramUserFactory.create_batch(3, source="other")
    staff("owner", superuser=True)
    login(page, "owner")

    page.goto("/admin/users/telegramuser/?source=promo")
    page.locator("#action-toggle").check()
    page.get_by_role("link", name=re.compile("Выбрать всё: 300")).click()
    page.select_option("select[name=action]", "premium_extend_action")
    page.locator("#changelist-actions button[name=index]").click()
    page.wait_for_load_state()
    assert "300" in page.locator("body").inner_text()

    page.fill("input[name=days]", "7")
    page.fill("input[name=reason]", "акция для промо")
    page.get_by_role("button", name="Выдать Премиум").click()
    page.wait_for_load_state()

    assert "для 300 пользователей" in page.content()
    assert TelegramUser.objects.filter(source="promo", premium_until__gt=timezone.now()).count() == 300
    assert not TelegramUser.objects.filter(source="other", premium_until__isnull=False).exists()
    assert LogEntry.objects.filter(change_message="Premium granted for 7 days. Reason: акция для промо").count() == 300
