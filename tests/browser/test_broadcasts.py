"""Marketing staff send a broadcast in a real browser: compose in two languages with a picture and a button,
test-send to themselves, schedule at the users' local time, pause and resume, watch it go out, see results.

Tasks queued by the panel run inline in the live server (django-q's sync mode); the minute schedule that a
worker runs is called here when the users' local time comes.
"""

import io
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from bot.broadcast.tasks import broadcasts_send_due
from broadcasts.models import Broadcast, BroadcastStatus, Recipient
from broadcasts.services import broadcast_click
from payments.models import PaymentStatus
from tests.factories import PaymentFactory, TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_CHAT = 5_550_001


def worker_minute() -> None:
    try:
        broadcasts_send_due()
    finally:
        connection.close()


def picture(tmp_path) -> str:
    path = tmp_path / "moon.png"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "midnightblue").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_marketing_composes_tests_schedules_pauses_resumes_and_sees_results(page, staff, login, bot_settings, tmp_path):
    russian = TelegramUserFactory.create_batch(2, language="ru", current_tz="Europe/Moscow")
    english = TelegramUserFactory(language="en", current_tz="Europe/Moscow")
    TelegramUserFactory(language="ru", blocked_at=timezone.now())  # never in the audience
    staff("mila", groups=("Marketing",))
    login(page, "mila")

    sidebar = page.locator("#nav-sidebar-inner, nav").first
    assert "Рассылки" in sidebar.inner_text()
    sidebar.locator("a[href='/admin/broadcasts/broadcast/']").click()
    page.click("a[href$='/broadcasts/broadcast/add/']")
    page.fill("input[name=title]", "Полнолуние")
    page.set_input_files("input[name=picture]", picture(tmp_path))
    page.select_option("select[name=button_kind]", "action")
    page.select_option("select[name=button_action]", "premium")
    page.select_option("select[name=timing]", "local")
    later = (timezone.now() + timedelta(hours=2)).astimezone(ZoneInfo("Europe/Moscow"))
    page.fill("input[name=local_time]", later.strftime("%H:%M"))
    page.select_option("select[name='variants-0-language']", "ru")
    page.fill("textarea[name='variants-0-text']", "<b>Полнолуние</b> сегодня ночью")
    page.fill("input[name='variants-0-button_text']", "Купить Премиум")
    page.select_option("select[name='variants-1-language']", "en")
    page.fill("textarea[name='variants-1-text']", "<b>Full moon</b> tonight")
    page.fill("input[name='variants-1-button_text']", "Buy Premium")
    page.click("button[name=_continue], input[name=_continue]")
    page.wait_for_load_state()

    broadcast = Broadcast.objects.get()
    assert broadcast.photo and broadcast.variants.count() == 2
    audience = page.locator("#audience").inner_text()
    assert "3" in audience  # the blocked user is not counted

    page.fill("#test-form input[name=telegram_id]", str(STAFF_CHAT))
    page.click("#test-form button[type=submit]")
    page.wait_for_load_state()
    tests = [c for c in bot_settings.sent_to(STAFF_CHAT) if c.status == 200]
    captions = " ".join(c.params.get("caption", "") for c in tests)
    assert len(tests) == 2 and "Полнолуние" in captions and "Full moon" in captions
    assert all(c.method == "sendPhoto" for c in tests)
    assert not any(bot_settings.sent_to(user.telegram_id) for user in [*russian, english])

    page.click("#schedule-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#remaining").inner_text().strip() == "3"
    page.click("#pause-form button[type=submit]")
    page.wait_for_load_state()
    assert Broadcast.objects.get().status == BroadcastStatus.PAUSED
    page.click("#resume-form button[type=submit]")
    page.wait_for_load_state()
    assert Broadcast.objects.get().status == BroadcastStatus.RUNNING

    # Their local time comes: the worker's minute schedule sends it.
    Recipient.objects.update(due_at=timezone.now())
    worker = threading.Thread(target=worker_minute)  # this thread runs the browser's event loop
    worker.start()
    worker.join()
    for user, word in [(russian[0], "Полнолуние"), (russian[1], "Полнолуние"), (english, "Full moon")]:
        [call] = [c for c in bot_settings.sent_to(user.telegram_id) if c.status == 200]
        assert word in call.params["caption"]
    broadcast_click(broadcast_id=broadcast.pk, telegram_id=russian[0].telegram_id)
    PaymentFactory(user=russian[0], status=PaymentStatus.SUCCEEDED, paid_at=timezone.now() + timedelta(days=1))

    page.reload()
    assert page.locator("#sent").inner_text().strip() == "3"
    assert page.locator("#remaining").inner_text().strip() == "0"
    assert page.locator("#clicks").inner_text().strip() == "1"
    assert page.locator("#premium").inner_text().strip() == "1"
    assert "завершена" in page.locator("#status").inner_text().lower()
