"""The panel's frame in a real browser: login, the sidebar in task order, the language switch."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_superuser_logs_in_and_sees_the_sections_in_task_order(page, staff, login):
    staff("owner", superuser=True)
    login(page, "owner")
    sidebar = page.locator("#nav-sidebar-inner, nav").first.inner_text()
    order = [sidebar.find(title) for title in ("Пользователи и поддержка", "Контент", "Платежи", "Система")]
    assert -1 not in order, sidebar
    assert order == sorted(order)


def test_staff_without_permissions_sees_no_section_items(page, staff, login):
    staff("nobody")
    login(page, "nobody")
    body = page.content()
    assert "/admin/users/telegramuser/" not in body
    assert "/admin/django_q/" not in body


def test_view_only_staff_does_not_see_the_task_queue(page, staff, login):
    staff("support", "users.view_telegramuser", "django_q.view_schedule")
    login(page, "support")
    assert "/admin/users/telegramuser/" in page.content()
    assert "/admin/django_q/" not in page.content()
    response = page.goto("/admin/django_q/schedule/")
    assert response.status == 403
