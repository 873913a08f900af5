"""Card payments through YooKassa: the real `yookassa` SDK against a fake YooKassa on loopback."""

import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from bot.premium import tasks as premium_tasks
from payments import tasks as payment_tasks
from payments.models import Payment, PaymentStatus, Provider
from payments.providers import CheckoutRequest, ProviderError, ReceiptLine, RefundRequest, YooKassaProvider
from payments.services import payment_check, payment_refund
from payments.views import client_address
from tests.driver import buttons, post, texts_to
from tests.payments import CHAT
from users.models import TelegramUser

pytestmark = pytest.mark.django_db

NOTIFY = "/payments/yookassa/notify/"
YOOKASSA_IP = "185.71.76.10"


def _notify(body: dict, ip: str = YOOKASSA_IP, **headers: str):
    return Client().post(NOTIFY, data=json.dumps(body), content_type="application/json", REMOTE_ADDR=ip, **headers)


def _card_payment(api, kassa, plan, email: str = "anna@example.com") -> Payment:
    """Go through the bot: open Premium, press the card button, give the e-mail; the payment opened."""
    post(api.make_message_update(CHAT, "/premium"))
    screen = api.sent_to(CHAT)[-1]
    post(api.make_callback_update(CHAT, screen.result["message_id"], f"pay:c:{plan.pk}"))
    post(api.make_message_update(CHAT, email))
    return Payment.objects.get(user__telegram_id=CHAT, provider=Provider.YOOKASSA)


def test_card_payment_opens_with_receipt_idempotence_key_and_a_pay_button(bot_settings, plans, yookassa):
    post(bot_settings.make_message_update(CHAT, "/premium"))
    screen = bot_settings.sent_to(CHAT)[-1]
    assert [button["text"] for button in buttons(screen)][:2] == ["1 месяц · 150 ⭐", "💳 299 ₽"]

    post(bot_settings.make_callback_update(CHAT, screen.result["message_id"], f"pay:c:{plans.month.pk}"))
    assert "e-mail" in texts_to(bot_settings, CHAT)[-1]
    assert TelegramUser.objects.get(telegram_id=CHAT).state == "payments:email"
    post(bot_settings.make_message_update(CHAT, "not an address"))
    assert "не похоже на адрес" in texts_to(bot_settings, CHAT)[-1]
    assert not yookassa.calls
    post(bot_settings.make_message_update(CHAT, "anna@example.com"))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING
    assert TelegramUser.objects.get(telegram_id=CHAT).state == ""
    [create] = yookassa.calls_to("POST", "/v3/payments")
    assert create.headers["idempotence-key"] == f"astrobot-{payment.public_id}" == payment.idempotence_key
    assert create.body["amount"] == {"value": "299.00", "currency": "RUB"}
    assert create.body["capture"] is True
    assert create.body["confirmation"] == {"type": "redirect", "return_url": "https://t.me/astrobot_fake_bot"}
    assert create.body["metadata"]["public_id"] == payment.public_id
    receipt = create.body["receipt"]
    assert receipt["customer"] == {"email": "anna@example.com"}
    [item] = receipt["items"]
    assert item["amount"] == {"value": "299.00", "currency": "RUB"}
    assert (item["vat_code"], item["payment_subject"], item["payment_mode"]) == (1, "service", "full_payment")

    offer = bot_settings.sent_to(CHAT)[-1]
    pay, check = buttons(offer)
    assert pay["url"] == payment.confirmation_url and pay["url"].startswith("https://yoomoney.ru/")
    assert check["callback_data"] == f"pay:k:{payment.public_id}"
    assert "anna@example.com" in offer.params["text"]


def test_the_last_receipt_email_is_offered_next_time(bot_settings, plans, yookassa):
    first = _card_payment(bot_settings, yookassa, plans.month)
    post(bot_settings.make_message_update(CHAT, "/premium"))
    screen = bot_settings.sent_to(CHAT)[-1]
    post(bot_settings.make_callback_update(CHAT, screen.result["message_id"], f"pay:c:{plans.year.pk}"))
    question = bot_settings.sent_to(CHAT)[-1]
    assert buttons(question)[0]["callback_data"] == f"pay:e:{plans.year.pk}"

    post(bot_settings.make_callback_update(CHAT, question.result["message_id"], f"pay:e:{plans.year.pk}"))

    second = Payment.objects.exclude(pk=first.pk).get()
    assert (second.receipt_email, second.amount) == ("anna@example.com", Decimal("2390.00"))


def test_confirmed_by_notification_once(bot_settings, plans, yookassa, django_capture_on_commit_callbacks):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    yookassa.pay(payment.provider_payment_id)
    body = yookassa.notification(payment.provider_payment_id)

    # Each request commits on its own, as in production: the thank-you goes out after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(body)
    with django_capture_on_commit_callbacks(execute=True):
        second = _notify(body)

    assert (first.status_code, second.status_code) == (200, 200)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    user = TelegramUser.objects.get(telegram_id=CHAT)
    assert user.premium_until > timezone.now()
    assert payment.premium_until == user.premium_until
    # The notification was only a hint: the payment was fetched from the API (once: then it was settled).
    assert len(yookassa.calls_to("GET", f"/v3/payments/{payment.provider_payment_id}")) == 1
    thanks = [text for text in texts_to(bot_settings, CHAT) if "Спасибо" in text]
    assert len(thanks) == 1


def test_confirmed_by_polling(bot_settings, plans, yookassa, django_capture_on_commit_callbacks):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    assert payment_tasks.payments_poll()["succeeded"] == 0
    yookassa.pay(payment.provider_payment_id)

    with django_capture_on_commit_callbacks(execute=True):
        counts = payment_tasks.payments_poll()
    with django_capture_on_commit_callbacks(execute=True):
        payment_tasks.payments_poll()

    assert counts["succeeded"] == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until is not None
    assert len([text for text in texts_to(bot_settings, CHAT) if "Спасибо" in text]) == 1


def test_notification_and_poll_both_report_it_and_premium_is_extended_once(bot_settings, plans, yookassa):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    yookassa.pay(payment.provider_payment_id)

    _notify(yookassa.notification(payment.provider_payment_id))
    end = TelegramUser.objects.get(telegram_id=CHAT).premium_until
    payment_tasks.payments_poll()
    premium_tasks.payment_check_and_tell(payment.pk)

    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until == end
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1


def test_forged_notifications_change_nothing(bot_settings, plans, yookassa, settings):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    forged = yookassa.notification(payment.provider_payment_id)
    forged["event"] = "payment.succeeded"
    forged["object"]["status"] = "succeeded"
    forged["object"]["paid"] = True

    from_elsewhere = _notify(forged, ip="203.0.113.9")
    from_yookassa_ip = _notify(forged)  # the right address, but the API says the payment is still pending
    unknown = _notify({"event": "payment.succeeded", "object": {"id": "no-such-payment"}})
    malformed = _notify({"event": "payment.succeeded"})
    not_json = Client().post(NOTIFY, data=b"{", content_type="application/json", REMOTE_ADDR=YOOKASSA_IP)

    assert from_elsewhere.status_code == 403
    assert from_yookassa_ip.status_code == 200
    assert unknown.status_code == 200 and unknown.json()["result"] == "unknown"
    assert (malformed.status_code, not_json.status_code) == (400, 400)
    assert Client().get(NOTIFY, REMOTE_ADDR=YOOKASSA_IP).status_code == 405
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until is None


def test_a_provider_payment_that_names_another_order_is_not_confirmed(bot_settings, plans, yookassa):
    mine = _card_payment(bot_settings, yookassa, plans.month)
    elsewhere = YooKassaProvider().create(
        CheckoutRequest(
            public_id="SOMEONEELSE1",
            amount=Decimal("299.00"),
            currency="RUB",
            description="another order",
            idempotence_key="another-order",
            return_url="https://t.me/x",
        )
    )
    yookassa.pay(elsewhere.provider_payment_id)
    # Our record pointed at a paid YooKassa payment that belongs to another order (a bug, or tampering).
    Payment.objects.filter(pk=mine.pk).update(provider_payment_id=elsewhere.provider_payment_id)

    result = payment_check(payment_id=mine.pk)

    assert result.status == "mismatch"
    assert Payment.objects.get(pk=mine.pk).status == PaymentStatus.PENDING
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until is None


def test_cancelled_payment_and_the_check_button(bot_settings, plans, yookassa):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    offer = bot_settings.sent_to(CHAT)[-1]

    post(bot_settings.make_callback_update(CHAT, offer.result["message_id"], f"pay:k:{payment.public_id}"))
    assert "пока не поступила" in texts_to(bot_settings, CHAT)[-1]

    yookassa.cancel(payment.provider_payment_id)
    post(bot_settings.make_callback_update(CHAT, offer.result["message_id"], f"pay:k:{payment.public_id}"))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED
    assert "expired_on_confirmation" in payment.error
    assert "отменён" in texts_to(bot_settings, CHAT)[-1]


def test_provider_down_when_opening_tells_the_user(bot_settings, plans, yookassa):
    yookassa.fail_next(500, times=10)

    payment = _card_payment(bot_settings, yookassa, plans.month)

    # A 5xx may pass: the payment stays "created" and is opened again with the same key on the next try.
    assert payment.status == PaymentStatus.CREATED
    assert "не ответил" in texts_to(bot_settings, CHAT)[-1]

    # An hour later nobody has a payment page for it: the poll closes it.
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(hours=2))
    payment_tasks.payments_poll()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_stalled_provider_times_out(settings, plans, yookassa):
    settings.YOOKASSA_TIMEOUT = 0.3
    yookassa.fail_next(0, times=3, delay=1.0)

    started = timezone.now()
    with pytest.raises(ProviderError) as caught:
        YooKassaProvider().fetch("whatever")

    assert caught.value.retryable
    assert (timezone.now() - started).total_seconds() < 5


def test_staff_refund_through_the_api(bot_settings, plans, yookassa, django_capture_on_commit_callbacks):
    payment = _card_payment(bot_settings, yookassa, plans.month)
    yookassa.pay(payment.provider_payment_id)
    payment_tasks.payment_check(payment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = payment_refund(payment_id=payment.pk)

    assert outcome.changed
    [refund] = yookassa.refunds
    assert refund["payment_id"] == payment.provider_payment_id
    assert refund["amount"] == {"value": "299.00", "currency": "RUB"}
    [call] = yookassa.calls_to("POST", "/v3/refunds")
    assert call.headers["idempotence-key"] == f"astrobot-refund-{payment.public_id}"
    assert "возвращён" in texts_to(bot_settings, CHAT)[-1]


def test_wrong_credentials_are_a_clear_error(settings, yookassa):
    settings.YOOKASSA_SECRET_KEY = "wrong"
    with pytest.raises(ProviderError) as caught:
        YooKassaProvider().fetch("x")
    assert not caught.value.retryable
    assert "401" in str(caught.value)


def test_card_button_is_hidden_and_terms_say_stars_only_without_yookassa(bot_settings, plans):
    post(bot_settings.make_message_update(CHAT, "/premium"))
    assert not any("₽" in button["text"] for button in buttons(bot_settings.sent_to(CHAT)[-1]))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "185.71.76.10", "", "185.71.76.10"),
        # What uvicorn hands Django for a loopback peer sending its own header: the peer is already replaced.
        (0, "185.71.76.10", "185.71.76.10", ""),
        (0, "127.0.0.1", "185.71.76.10", ""),
        (1, "10.0.0.2", "185.71.76.10", "185.71.76.10"),
        (1, "10.0.0.2", "185.71.76.10, 203.0.113.9", "203.0.113.9"),  # a client cannot put itself on the list
        (2, "10.0.0.3", "9.9.9.9, 185.71.76.10, 10.0.0.2", "185.71.76.10"),
        (2, "10.0.0.3", "185.71.76.10", ""),
    ],
)
def test_forwarded_address_behind_proxies(rf, settings, proxies, remote, forwarded, expected):
    settings.PAYMENTS_PROXY_COUNT = proxies
    request = rf.post(NOTIFY, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_notification_behind_a_proxy(bot_settings, plans, yookassa, settings):
    settings.PAYMENTS_PROXY_COUNT = 1
    payment = _card_payment(bot_settings, yookassa, plans.month)
    yookassa.pay(payment.provider_payment_id)
    body = yookassa.notification(payment.provider_payment_id)

    spoofed = _notify(body, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="185.71.76.10, 203.0.113.9")
    real = _notify(body, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="185.71.76.10")

    assert (spoofed.status_code, real.status_code) == (403, 200)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED


def test_a_forged_forwarded_address_from_loopback_is_refused_without_a_proxy(db, settings):
    settings.PAYMENTS_PROXY_COUNT = 0
    body = {"event": "payment.succeeded", "object": {"id": "forged"}}

    # uvicorn trusts 127.0.0.1 by default and puts the header's address into the peer address Django sees.
    forged = _notify(body, ip="185.71.76.10", HTTP_X_FORWARDED_FOR="185.71.76.10")
    direct = _notify(body, ip="185.71.76.10")

    assert (forged.status_code, direct.status_code) == (403, 200)


def test_notifications_are_rate_limited_per_address_and_in_total(db, settings):
    settings.YOOKASSA_NOTIFY_PER_ADDRESS = 3
    settings.YOOKASSA_NOTIFY_TOTAL = 5
    body = {"event": "payment.succeeded", "object": {"id": "unknown-payment"}}

    first = [_notify(body, ip="185.71.76.10").status_code for _ in range(4)]
    second = [_notify(body, ip="185.71.76.11").status_code for _ in range(3)]

    assert first == [200, 200, 200, 429]
    assert second == [200, 200, 429]  # 3 + 2 accepted: the total is reached
    refused = _notify(body, ip="185.71.76.12")
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")


def test_backing_out_of_the_email_question(bot_settings, plans, yookassa):
    post(bot_settings.make_message_update(CHAT, "/premium"))
    screen = bot_settings.sent_to(CHAT)[-1]
    post(bot_settings.make_callback_update(CHAT, screen.result["message_id"], f"pay:c:{plans.month.pk}"))
    question = bot_settings.sent_to(CHAT)[-1]

    post(bot_settings.make_callback_update(CHAT, question.result["message_id"], "pay:x"))

    assert TelegramUser.objects.get(telegram_id=CHAT).state == ""
    assert "Выберите тариф" in texts_to(bot_settings, CHAT)[-1]
    assert not Payment.objects.exists() and not yookassa.calls


def test_the_fake_checks_what_yookassa_checks(settings, yookassa):
    provider = YooKassaProvider()
    request = CheckoutRequest(
        public_id="ORDER1",
        amount=Decimal("299.00"),
        currency="RUB",
        description="Premium",
        idempotence_key="key-1",
        return_url="https://t.me/x",
        receipt_email="a@example.com",
        receipt_lines=(ReceiptLine("Premium", Decimal("299.00")),),
    )
    first = provider.create(request)
    assert provider.create(request).provider_payment_id == first.provider_payment_id
    with pytest.raises(ProviderError, match="Idempotence key duplicated"):
        provider.create(replace(request, amount=Decimal("300.00"), receipt_lines=()))
    with pytest.raises(ProviderError, match="do not add up"):
        provider.create(replace(request, idempotence_key="key-2", receipt_lines=(ReceiptLine("P", Decimal("1.00")),)))
    with pytest.raises(ProviderError, match="not refundable"):
        provider.refund(RefundRequest(first.provider_payment_id, Decimal("299.00"), "RUB", "refund-1"))
    assert len(yookassa.payments) == 1
