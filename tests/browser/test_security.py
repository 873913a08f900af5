"""Signing in and permissions in a real browser: lockout, a view-only account, the second factor."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bot.models import TelegramUpdate, UpdateStatus
from horoscopes.natal.services import natal_chart_get
from tests.browser.conftest import PASSWORD
from tests.factories import TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_login(page, username: str, password: str, code: str = "") -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    if code:
        page.fill("input[name=otp_token]", code)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()


def test_staff_log_in_and_out(page, staff):
    staff("owner", groups=("Owner",))
    submit_login(page, "owner", PASSWORD)
    assert page.url.endswith("/admin/")
    assert "Журнал действий" in page.content()


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(page, staff):
    staff("anna", "users.view_telegramuser")
    for _ in range(5):
        submit_login(page, "anna", "not-the-password")

    submit_login(page, "anna", PASSWORD)

    text = page.inner_text("body")
    assert "Вход заблокирован" in text and "15 минут" in text
    assert "/admin/login/" in page.url
    assert page.goto("/admin/").url.endswith("/admin/login/?next=/admin/")


def test_a_view_only_account_sees_no_actions_it_cannot_run_and_no_natal_wheel(page, staff, login):
    chart = natal_chart_get(user_id=TelegramUserFactory(born=True).pk)
    TelegramUpdate.objects.create(
        update_id=77,
        status=UpdateStatus.FAILED,
        kind="message",
        payload={"update_id": 77},
        started_at="2026-01-01T00:00Z",
    )
    staff("viewer", "bot.view_telegramupdate", "horoscopes.view_dailyhoroscope", "users.view_telegramuser")
    login(page, "viewer")

    page.goto("/admin/bot/telegramupdate/")
    updates = page.content()
    page.goto("/admin/horoscopes/dailyhoroscope/")
    horoscopes = page.content()
    wheel = page.goto(f"/admin/horoscopes/natalchart/{chart.pk}/wheel.png")

    assert "77" in updates and "replay_failed" not in updates
    assert "regenerate_selected" not in horoscopes and "regenerate_days" not in horoscopes
    assert wheel.status == 403
    assert wheel.headers["content-type"].startswith("text/html")


def test_an_account_with_an_authenticator_must_enter_its_code(page, staff):
    user = staff("otp", "users.view_telegramuser")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    submit_login(page, "otp", PASSWORD)
    asked = page.inner_text("body")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    submit_login(page, "otp", PASSWORD, code=f"{totp.token():06d}")

    assert "Введите код из приложения-аутентификатора" in asked
    assert page.url.endswith("/admin/")
    assert "/admin/users/telegramuser/" in page.content()


def test_a_staff_member_sets_up_the_second_factor_by_the_key_shown(page, staff, login):
    import base64

    staff("setup", "users.view_telegramuser")
    login(page, "setup")
    page.goto("/admin/otp_totp/totpdevice/setup/")
    assert page.locator("#otp-qr svg").count() == 1
    secret = page.inner_text("#otp-secret").strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()

    page.fill("input[name=otp_token]", f"{totp.token():06d}")
    page.click("button[value=confirm]")
    page.wait_for_load_state()

    assert "Второй фактор подключён" in page.inner_text("body")
    assert TOTPDevice.objects.get(user__username="setup").confirmed
