"""Buying Premium with Telegram Stars as a user would: the webhook, the real handlers, the fake Bot API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Payment, PaymentStatus, Subscription
from tests.driver import buttons, post, texts_to
from tests.factories import TelegramUserFactory
from tests.payments import CHAT, OTHER
from users.models import TelegramUser

pytestmark = pytest.mark.django_db


def _open_premium(api, chat_id: int = CHAT, language: str = "ru"):
    """Send /premium; the bot's answer."""
    post(api.make_message_update(chat_id, "/premium", language_code=language))
    return [call for call in api.sent_to(chat_id) if call.method == "sendMessage"][-1]


def _press(api, call, data: str, chat_id: int = CHAT) -> None:
    post(api.make_callback_update(chat_id, call.result["message_id"], data))


def _buy(api, plan, chat_id: int = CHAT) -> Payment:
    """Open Premium and press the plan's Stars button; the payment the invoice is for."""
    screen = _open_premium(api, chat_id)
    _press(api, screen, f"pay:s:{plan.pk}", chat_id)
    return Payment.objects.filter(user__telegram_id=chat_id).latest("created_at")


def test_premium_screen_lists_plans_and_says_there_is_no_premium_yet(bot_settings, plans):
    screen = _open_premium(bot_settings)

    text = screen.params["text"]
    assert "Премиум" in text and "У вас пока нет Премиума" in text
    labels = [button["text"] for button in buttons(screen)]
    assert labels == ["1 месяц · 150 ⭐", "12 месяцев · 1200 ⭐", "Подписка · 130 ⭐ каждые 30 дней"]
    assert "/terms" in text and "/paysupport" in text


def test_premium_screen_in_english_through_the_menu_button(bot_settings, plans):
    post(bot_settings.make_message_update(CHAT, "/premium", language_code="en"))
    post(bot_settings.make_message_update(CHAT, "💎 Premium", language_code="en"))

    first, second = texts_to(bot_settings, CHAT)
    assert first == second
    assert "You do not have Premium yet." in first


def test_buying_a_month_sends_a_stars_invoice_and_grants_on_successful_payment(bot_settings, plans):
    payment = _buy(bot_settings, plans.month)

    [invoice] = bot_settings.calls_to("sendInvoice")
    assert invoice.params["currency"] == "XTR"
    assert invoice.params["prices"] == [{"label": "Премиум, 30 дн.", "amount": 150}]
    assert not invoice.params.get("provider_token")
    assert invoice.params["payload"] == payment.public_id
    assert payment.status == PaymentStatus.PENDING

    post(bot_settings.make_pre_checkout_update(CHAT, payment.public_id))
    [answer] = bot_settings.calls_to("answerPreCheckoutQuery")
    assert answer.params["ok"] is True

    before = timezone.now()
    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id))

    user = TelegramUser.objects.get(telegram_id=CHAT)
    assert before + timedelta(days=30) <= user.premium_until <= timezone.now() + timedelta(days=30)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.provider_payment_id.startswith("stxFAKE")
    assert payment.premium_until == user.premium_until
    assert "Спасибо" in texts_to(bot_settings, CHAT)[-1]

    screen = _open_premium(bot_settings)
    assert "Премиум активен до" in screen.params["text"]


def test_a_replayed_successful_payment_changes_nothing(bot_settings, plans):
    payment = _buy(bot_settings, plans.month)
    update = bot_settings.make_successful_payment_update(CHAT, payment.public_id)
    post(update)
    first_end = TelegramUser.objects.get(telegram_id=CHAT).premium_until
    sent = len(texts_to(bot_settings, CHAT))

    # The same update again, and the same charge delivered under a new update id.
    again = {**update, "update_id": update["update_id"] + 1000}
    responses = post(update, again)

    assert [response.status_code for response in responses] == [200, 200]
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until == first_end
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1
    assert len(texts_to(bot_settings, CHAT)) == sent


def test_buying_again_extends_from_the_current_end(bot_settings, plans):
    first = _buy(bot_settings, plans.month)
    post(bot_settings.make_successful_payment_update(CHAT, first.public_id))
    end = TelegramUser.objects.get(telegram_id=CHAT).premium_until

    second = _buy(bot_settings, plans.year)
    post(bot_settings.make_successful_payment_update(CHAT, second.public_id))

    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until == end + timedelta(days=365)


def _precheckout_answer(api, chat_id: int, payload: str, **kwargs) -> dict:
    post(api.make_pre_checkout_update(chat_id, payload, **kwargs))
    return api.calls_to("answerPreCheckoutQuery")[-1].params


def test_forged_pre_checkouts_are_refused(bot_settings, plans):
    payment = _buy(bot_settings, plans.month)

    someone_else = _precheckout_answer(bot_settings, OTHER, payment.public_id)
    wrong_amount = _precheckout_answer(bot_settings, CHAT, payment.public_id, total_amount=1)
    wrong_currency = _precheckout_answer(bot_settings, CHAT, payment.public_id, currency="USD")
    unknown = _precheckout_answer(bot_settings, CHAT, "NOSUCHPAYMENT")

    for answer in (someone_else, wrong_amount, wrong_currency, unknown):
        assert answer["ok"] is False
        assert answer["error_message"]
    assert "другому человеку" in someone_else["error_message"]
    assert "Сумма не совпадает" in wrong_amount["error_message"]
    assert _precheckout_answer(bot_settings, CHAT, payment.public_id)["ok"] is True


def test_pre_checkout_of_a_paid_or_expired_invoice_is_refused(bot_settings, plans, settings):
    paid = _buy(bot_settings, plans.month)
    post(bot_settings.make_successful_payment_update(CHAT, paid.public_id))
    old = _buy(bot_settings, plans.year)
    Payment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    from payments.services import payments_expire_stale

    assert payments_expire_stale() == 1

    assert "уже оплачен" in _precheckout_answer(bot_settings, CHAT, paid.public_id)["error_message"]
    assert "устарел" in _precheckout_answer(bot_settings, CHAT, old.public_id)["error_message"]


def test_an_invoice_paid_after_it_expired_still_grants(bot_settings, plans):
    """Telegram took the Stars: whatever our bookkeeping said, the user gets what they paid for."""
    payment = _buy(bot_settings, plans.month)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CANCELED)

    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until is not None


def test_a_charge_for_an_unknown_payload_is_recorded_for_staff_and_grants_nothing(bot_settings, plans):
    post(bot_settings.make_message_update(CHAT, "/start"))
    post(bot_settings.make_successful_payment_update(CHAT, "FORGOTTEN", total_amount=150, currency="XTR"))

    payment = Payment.objects.get()
    assert payment.error.startswith("unmatched")
    assert payment.days == 0
    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until is None
    assert "не удалось сопоставить" in texts_to(bot_settings, CHAT)[-1]


def test_subscription_first_payment_and_renewals_extend_once_each(bot_settings, plans):
    screen = _open_premium(bot_settings)
    _press(bot_settings, screen, f"pay:s:{plans.subscription.pk}")

    [link_call] = bot_settings.calls_to("createInvoiceLink")
    assert link_call.params["subscription_period"] == 2592000
    assert link_call.params["currency"] == "XTR"
    offer = bot_settings.sent_to(CHAT)[-1]
    assert buttons(offer)[0]["url"] == link_call.result
    payment = Payment.objects.get(public_id=link_call.params["payload"])

    assert _precheckout_answer(bot_settings, CHAT, payment.public_id)["ok"] is True
    expires = int((timezone.now() + timedelta(days=30)).timestamp())
    post(
        bot_settings.make_successful_payment_update(
            CHAT, payment.public_id, is_recurring=True, is_first_recurring=True, subscription_expiration_date=expires
        )
    )
    subscription = Subscription.objects.get()
    first_end = TelegramUser.objects.get(telegram_id=CHAT).premium_until
    assert subscription.charge_id == Payment.objects.get(pk=payment.pk).provider_payment_id
    assert "подписку" in texts_to(bot_settings, CHAT)[-1]

    renewal = bot_settings.make_successful_payment_update(
        CHAT, payment.public_id, is_recurring=True, subscription_expiration_date=expires + 2592000
    )
    post(renewal, {**renewal, "update_id": renewal["update_id"] + 500})

    assert TelegramUser.objects.get(telegram_id=CHAT).premium_until == first_end + timedelta(days=30)
    renewals = Payment.objects.filter(is_recurring=True)
    assert renewals.count() == 1
    assert renewals.get().subscription == subscription
    subscription.refresh_from_db()
    assert subscription.renewed_at is not None
    assert "продлилась" in texts_to(bot_settings, CHAT)[-1]


def test_a_subscriber_turns_auto_renewal_off_and_on_from_the_bot(bot_settings, plans):
    payment = _buy(bot_settings, plans.subscription)
    post(
        bot_settings.make_successful_payment_update(CHAT, payment.public_id, is_recurring=True, is_first_recurring=True)
    )
    subscription = Subscription.objects.get()

    screen = _open_premium(bot_settings)
    assert "продлится сама" in screen.params["text"]
    labels = [button["text"] for button in buttons(screen)]
    assert "Отключить автопродление" in labels
    assert not any("Подписка" in label for label in labels)  # no second subscription on offer

    _press(bot_settings, screen, f"pay:u:{subscription.pk}")
    question = bot_settings.sent_to(CHAT)[-1]
    assert not bot_settings.calls_to("editUserStarSubscription")
    _press(bot_settings, question, f"pay:u:{subscription.pk}:y")

    [edit] = bot_settings.calls_to("editUserStarSubscription")
    assert edit.params == {
        "user_id": CHAT,
        "telegram_payment_charge_id": subscription.charge_id,
        "is_canceled": True,
    }
    subscription.refresh_from_db()
    assert subscription.canceled_at is not None
    assert "Автопродление отключено" in texts_to(bot_settings, CHAT)[-1]

    screen = _open_premium(bot_settings)
    _press(bot_settings, screen, f"pay:r:{subscription.pk}")
    assert bot_settings.calls_to("editUserStarSubscription")[-1].params["is_canceled"] is False
    subscription.refresh_from_db()
    assert subscription.canceled_at is None


def test_someone_elses_subscription_button_does_nothing(bot_settings, plans):
    payment = _buy(bot_settings, plans.subscription)
    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id, is_recurring=True))
    subscription = Subscription.objects.get()

    screen = _open_premium(bot_settings, OTHER)
    _press(bot_settings, screen, f"pay:u:{subscription.pk}:y", OTHER)

    assert not bot_settings.calls_to("editUserStarSubscription")
    assert Subscription.objects.get().canceled_at is None


def test_telegram_reported_refund_is_recorded_once_and_shortens_premium(bot_settings, plans):
    payment = _buy(bot_settings, plans.month)
    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id))
    payment.refresh_from_db()
    refund = bot_settings.make_message_update(
        CHAT,
        extra={
            "refunded_payment": {
                "currency": "XTR",
                "total_amount": 150,
                "invoice_payload": payment.public_id,
                "telegram_payment_charge_id": payment.provider_payment_id,
            }
        },
    )
    before = timezone.now()
    post(refund, {**refund, "update_id": refund["update_id"] + 7})

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    user = TelegramUser.objects.get(telegram_id=CHAT)
    assert before <= user.premium_until <= timezone.now()
    notices = [text for text in texts_to(bot_settings, CHAT) if "возвращён" in text]
    assert len(notices) == 1
    assert "Премиум закончился" in notices[0]


@pytest.mark.parametrize("data", ["pay:s:999999", "pay:s:abc", "pay:zz", "pay", "pay:k", "pay:u:1:y"])
def test_stale_or_odd_buttons_are_answered_with_the_current_plans(bot_settings, plans, data):
    TelegramUserFactory(telegram_id=CHAT)
    [response] = post(bot_settings.make_callback_update(CHAT, 1, data))

    assert response.json()["result"] == "processed"
    assert bot_settings.calls_to("answerCallbackQuery")
    assert "Выберите тариф" in texts_to(bot_settings, CHAT)[-1]
    assert not Payment.objects.exists()


def test_inactive_plan_button_says_so(bot_settings, plans):
    screen = _open_premium(bot_settings)
    plans.month.is_active = False
    plans.month.save()

    _press(bot_settings, screen, f"pay:s:{plans.month.pk}")

    assert bot_settings.calls_to("answerCallbackQuery")[-1].params["text"].startswith("Этот тариф")
    assert not bot_settings.calls_to("sendInvoice")


def test_invoice_refused_by_telegram_marks_the_payment_failed(bot_settings, plans):
    screen = _open_premium(bot_settings)
    bot_settings.fail_next("sendInvoice", "bad_request")

    _press(bot_settings, screen, f"pay:s:{plans.month.pk}")

    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert "Не получилось подготовить счёт" in texts_to(bot_settings, CHAT)[-1]


def test_terms_and_paysupport(bot_settings, plans):
    payment = _buy(bot_settings, plans.month)
    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id))
    post(bot_settings.make_message_update(CHAT, "/terms"), bot_settings.make_message_update(CHAT, "/paysupport"))

    terms, support, ask = texts_to(bot_settings, CHAT)[-3:]
    assert "Условия использования и оплаты" in terms
    assert "Опишите проблему с оплатой" in ask  # /paysupport then takes the message for the support inbox
    assert "ЮKassa" not in terms  # card payments are off
    assert payment.public_id in support
    assert "150 ⭐" in support


def test_english_user_buys_with_english_texts(bot_settings, plans):
    post(bot_settings.make_message_update(CHAT, "/premium", language_code="en"))
    screen = bot_settings.sent_to(CHAT)[-1]
    assert buttons(screen)[0]["text"] == "1 month · 150 ⭐"
    post(
        bot_settings.make_callback_update(
            CHAT, screen.result["message_id"], f"pay:s:{plans.month.pk}", language_code="en"
        )
    )
    payment = Payment.objects.get()
    [invoice] = bot_settings.calls_to("sendInvoice")
    assert invoice.params["title"] == "Premium: 1 month"

    post(bot_settings.make_successful_payment_update(CHAT, payment.public_id))

    assert texts_to(bot_settings, CHAT)[-1].startswith("🎉 Thank you! Premium is active until")
