"""Support staff answer a request in a real browser, and the bot delivers the answer.

The delivery task runs inline in the live server (django-q's sync mode, as in every test), right after the
answer is committed: the same task function a worker runs, without a worker process.
"""

import pytest

from support.models import Direction, Status, SupportMessage, SupportRequest
from tests.factories import TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_support_staff_answer_a_request_and_the_bot_delivers_it(page, staff, login, bot_settings):
    user = TelegramUserFactory(first_name="Вера", language="ru")
    request = SupportRequest.objects.create(user=user)
    SupportMessage.objects.create(
        request=request, direction=Direction.USER, text="Не пришёл гороскоп", telegram_message_id=5
    )
    staff("helen", "support.view_supportrequest", "support.change_supportrequest")
    login(page, "helen")

    sidebar = page.locator("#nav-sidebar-inner, nav").first.inner_text()
    assert "Обращения в поддержку" in sidebar
    page.click("text=Обращения в поддержку")
    page.click(f"text=Обращение №{request.pk}")
    assert "Не пришёл гороскоп" in page.locator("#conversation").inner_text()

    page.fill("#reply-form textarea", "Здравствуйте, Вера! Гороскоп уже в пути.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state()
    assert "Доставлено" in page.locator("#conversation").inner_text()

    sent = [c for c in bot_settings.sent_to(user.telegram_id) if "Гороскоп уже в пути" in c.params.get("text", "")]
    assert len(sent) == 1
    request.refresh_from_db()
    assert request.status == Status.ANSWERED


def test_a_double_click_on_send_delivers_once(page, staff, login, bot_settings):
    user = TelegramUserFactory(language="ru")
    request = SupportRequest.objects.create(user=user)
    SupportMessage.objects.create(request=request, direction=Direction.USER, text="Вопрос", telegram_message_id=6)
    staff("helen", "support.view_supportrequest", "support.change_supportrequest")
    login(page, "helen")
    page.goto(f"/admin/support/supportrequest/{request.pk}/change/")
    page.fill("#reply-form textarea", "Один ответ")
    # Two submits of the same rendered form, as a double click posts them. One after the other: the live server
    # shares one in-memory SQLite connection between its threads, so truly parallel writes would test that
    # arrangement rather than the form; simultaneous answers are raced in tests/support/ on a real database.
    page.evaluate(
        """async () => {
            const form = document.querySelector('#reply-form');
            const body = new FormData(form);
            await fetch(form.action, {method: 'POST', body});
            await fetch(form.action, {method: 'POST', body});
        }"""
    )
    page.reload()
    assert page.locator(".support-message[data-direction=staff]").count() == 1
    sent = [c for c in bot_settings.sent_to(user.telegram_id) if "Один ответ" in c.params.get("text", "")]
    assert len(sent) == 1
