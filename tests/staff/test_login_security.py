"""Signing in to the panel: lockout after wrong passwords, idle sessions end, an optional second factor,
and a generated staff password that never reaches the logs."""

import io
import logging
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.security import LAST_SEEN_KEY, SIGNED_IN_KEY, client_ip
from tests.staff.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username: str, password: str = PASSWORD, code: str = "", address: str = "203.0.113.7"):
    data = {"username": username, "password": password, "otp_token": code}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_five_wrong_passwords_lock_the_username_from_that_address(client, staff):
    staff("anna", "users.view_telegramuser")
    for _ in range(4):
        assert sign_in(client, "anna", "wrong-password").status_code == 200
    fifth = sign_in(client, "anna", "wrong-password")

    locked = sign_in(client, "anna")
    elsewhere = sign_in(client, "anna", address="198.51.100.9")

    assert fifth.status_code == locked.status_code == 429
    body = locked.content.decode()
    assert "Вход заблокирован" in body and "15 минут" in body
    assert "_auth_user_id" not in client.session or elsewhere.status_code == 302
    assert elsewhere.status_code == 302  # another address is not locked out by these failures


def test_a_right_password_resets_the_count(client, staff):
    staff("boris")
    for _ in range(4):
        sign_in(client, "boris", "wrong-password")
    assert sign_in(client, "boris").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "boris", "wrong-password")
    assert sign_in(client, "boris").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "peer", "expected"),
    [
        (0, "", "203.0.113.7", "203.0.113.7"),
        (0, "1.2.3.4", "203.0.113.7", "203.0.113.7"),  # no proxy configured: the header is the client's own words
        (1, "1.2.3.4, 198.51.100.9", "10.0.0.1", "198.51.100.9"),  # the entry our router wrote, not the forged one
        (2, "1.2.3.4, 198.51.100.9, 10.0.0.2", "10.0.0.1", "198.51.100.9"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_behind_proxies(settings, proxies, forwarded, peer, expected):
    settings.STAFF_PROXY_COUNT = proxies
    request = RequestFactory().get("/admin/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=peer)
    assert client_ip(request) == expected


def test_an_idle_session_ends(client, staff, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(staff("idle", "users.view_telegramuser"))
    assert client.get("/admin/").status_code == 200

    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/admin/")

    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_used_session_lasts_at_most_session_cookie_age(client, staff, settings):
    client.force_login(staff("busy", "users.view_telegramuser"))
    client.get("/admin/")
    session = client.session
    session[SIGNED_IN_KEY] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()

    assert client.get("/admin/").status_code == 302


@pytest.fixture
def no_throttle(settings):
    """django_otp makes a device wait after a wrong code (1 s, then 2, 4...); these tests try again at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_an_account_with_an_authenticator_must_enter_its_code(client, staff, no_throttle):
    user = staff("otp", "users.view_telegramuser")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    without = sign_in(client, "otp")
    wrong = sign_in(client, "otp", code="000000" if current_code(device) != "000000" else "111111")
    right = sign_in(client, "otp", code=current_code(device))

    assert without.status_code == 200 and "Введите код из приложения" in without.content.decode()
    assert wrong.status_code == 200 and "Код неверный" in wrong.content.decode()
    assert right.status_code == 302
    page = client.get("/admin/")
    assert page.status_code == 200 and page.wsgi_request.user.is_verified()


def test_wrong_codes_count_towards_the_lockout(client, staff, no_throttle):
    user = staff("guesser")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    for _ in range(5):
        sign_in(client, "guesser", code=wrong)

    assert sign_in(client, "guesser", code=current_code(device)).status_code == 429


def test_staff_set_up_their_authenticator_from_a_qr_code_and_can_remove_it(client, staff, no_throttle):
    user = staff("setup")
    client.force_login(user)
    url = reverse("admin:staff_otp_setup")

    page = client.get(url)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(url, {"action": "confirm", "otp_token": "12345x"})
    still_off = not TOTPDevice.objects.filter(confirmed=True).exists()
    confirmed = client.post(url, {"action": "confirm", "otp_token": current_code(device)})

    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert wrong.status_code == 200 and still_off
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Второй фактор подключён" in client.get(url).content.decode()
    assert user.logentry_set.filter(change_message__icontains="второй фактор").exists()

    device.last_t = -1  # the same code may be used once only; take the next step's
    device.save()
    removed = client.post(url, {"action": "remove", "otp_token": current_code(device)})
    assert removed.status_code == 302 and not TOTPDevice.objects.filter(user=user).exists()


def test_when_required_staff_without_a_second_factor_are_sent_to_set_it_up(client, staff, settings):
    settings.STAFF_OTP_REQUIRED = True
    client.force_login(staff("required", "users.view_telegramuser"))

    response = client.get(reverse("admin:users_telegramuser_changelist"))

    assert response.status_code == 302 and response["Location"] == reverse("admin:staff_otp_setup")
    assert client.get(reverse("admin:staff_otp_setup")).status_code == 200


def test_the_generated_staff_password_never_reaches_logs_or_a_pipe(settings, caplog, monkeypatch):
    settings.ADMIN_PASSWORD = ""
    out, err = io.StringIO(), io.StringIO()  # not a terminal, as under a platform's log collector
    caplog.set_level(logging.DEBUG)

    call_command("ensure_admin", stdout=out, stderr=err)

    admin = get_user_model().objects.get(is_superuser=True)
    written = " ".join([out.getvalue(), err.getvalue(), caplog.text])
    words = set(re.findall(r"[A-Za-z0-9_\-]{8,}", written))
    assert words and not any(admin.check_password(word) for word in words)
    assert "changepassword" in out.getvalue()


def test_when_required_a_session_signed_in_without_the_code_must_sign_in_again(client, staff, settings):
    settings.STAFF_OTP_REQUIRED = True
    user = staff("earlier", "users.view_telegramuser")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # as if signed in with the password alone, before the setting was on

    response = client.get(reverse("admin:users_telegramuser_changelist"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
