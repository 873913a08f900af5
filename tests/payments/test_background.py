"""Background jobs: Stars reconciliation, Premium reminders and ends; privacy hooks; plans seed; schedules."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from bot.premium import tasks
from bot.privacy.person import person_erase, person_export
from bot.schedules import all_schedules
from payments.models import Payment, PaymentStatus, Plan, PremiumNotice, Provider, StarsLedgerCursor, Subscription
from payments.providers import RefundRequest, StarsProvider
from payments.services import payment_confirm_stars, payment_create, payment_mark_invoiced
from tests.driver import texts_to
from tests.factories import SubscriptionFactory, TelegramUserFactory
from tests.payments import CHAT, OTHER
from users.models import TelegramUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return TelegramUserFactory(telegram_id=CHAT, first_name="Анна", username="anna", language="ru")


def _invoiced(user: TelegramUser, plan) -> Payment:
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.STARS)
    payment_mark_invoiced(payment_id=payment.pk)
    return payment


# --- Stars reconciliation -----------------------------------------------------------------------------------


def test_reconciliation_grants_a_payment_whose_update_was_lost(
    bot_settings, plans, buyer, django_capture_on_commit_callbacks
):
    payment = _invoiced(buyer, plans.month)
    # Telegram took the Stars, but the successful_payment update never reached us (an outage).
    bot_settings.make_successful_payment_update(CHAT, payment.public_id, total_amount=150, currency="XTR")

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.stars_reconcile()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.stars_reconcile()

    assert (first["granted"], second["granted"]) == (1, 0)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert "reconciled" in payment.raw["paid"]
    buyer.refresh_from_db()
    assert buyer.premium_until > timezone.now() + timedelta(days=29)
    assert len([text for text in texts_to(bot_settings, CHAT) if "Спасибо" in text]) == 1


def test_reconciliation_records_a_refund_nobody_told_us_about(
    bot_settings, plans, buyer, django_capture_on_commit_callbacks
):
    payment = _invoiced(buyer, plans.month)
    update = bot_settings.make_successful_payment_update(CHAT, payment.public_id)
    charge = update["message"]["successful_payment"]["telegram_payment_charge_id"]
    payment_confirm_stars(payload=payment.public_id, user_id=buyer.pk, charge_id=charge, amount=150, currency="XTR")
    StarsProvider().refund(RefundRequest(charge, payment.amount, "XTR", "k", user_telegram_id=CHAT))

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.stars_reconcile()

    assert report["refunds"] == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert any("возвращён" in text for text in texts_to(bot_settings, CHAT))


def test_reconciliation_reports_differences_to_staff(bot_settings, plans, buyer, settings):
    settings.PAYMENTS_STAFF_CHAT_ID = -1001234567890
    stranger = {"id": OTHER, "is_bot": False, "first_name": "X"}
    bot_settings.add_star_transaction(
        {"source": {"type": "user", "transaction_type": "invoice_payment", "user": stranger, "invoice_payload": "Z"}}
    )
    bot_settings.add_star_transaction(
        {
            "amount": 99,
            "source": {
                "type": "user",
                "transaction_type": "invoice_payment",
                "user": {"id": CHAT, "is_bot": False, "first_name": "Анна"},
                "invoice_payload": "NOTOURS",
            },
        }
    )

    report = tasks.stars_reconcile()

    assert report["problems"] == 2 and report["granted"] == 0
    [staff] = [call for call in bot_settings.calls_to("sendMessage") if call.params["chat_id"] == -1001234567890]
    assert "unknown user" in staff.params["text"] and "NOTOURS" in staff.params["text"]
    buyer.refresh_from_db()
    assert buyer.premium_until is None


def test_reconciliation_pages_through_and_remembers_where_it_stopped(bot_settings, plans, buyer):
    user = {"id": CHAT, "is_bot": False, "first_name": "Анна"}
    for number in range(230):
        bot_settings.add_star_transaction(
            {"id": f"other-{number}", "source": {"type": "fragment"}}
            if number % 2
            else {"receiver": {"type": "user", "transaction_type": "invoice_payment", "user": user}}
        )

    first = tasks.stars_reconcile()
    second = tasks.stars_reconcile()

    assert first["read"] == 230
    assert StarsLedgerCursor.objects.get().offset == 230
    assert second["read"] == 100  # only the overlap is read again


# --- Premium reminders and ends -----------------------------------------------------------------------------


def test_reminders_go_out_once_each(bot_settings, plans, settings):
    three = TelegramUserFactory(telegram_id=1001, premium_for=timedelta(days=2, hours=20))
    one = TelegramUserFactory(telegram_id=1002, premium_for=timedelta(hours=20), language="en")
    later = TelegramUserFactory(telegram_id=1003, premium_for=timedelta(days=10))
    ended = TelegramUserFactory(telegram_id=1004, premium_for=-timedelta(hours=3))
    long_ago = TelegramUserFactory(telegram_id=1005, premium_for=-timedelta(days=30))
    blocked = TelegramUserFactory(telegram_id=1006, premium_for=timedelta(days=2), blocked_at=timezone.now())
    subscriber = TelegramUserFactory(telegram_id=1007, premium_for=timedelta(days=1))
    SubscriptionFactory(
        user=subscriber, plan=plans.subscription, charge_id="stxS", expires_at=timezone.now() + timedelta(days=1)
    )

    first = tasks.premium_notices()
    second = tasks.premium_notices()

    assert (first["reminded"], first["ended"]) == (2, 1)
    assert (second["reminded"], second["ended"]) == (0, 0)
    [to_three] = texts_to(bot_settings, three.telegram_id)
    assert "через 3 дня" in to_three
    [to_one] = texts_to(bot_settings, one.telegram_id)
    assert "in 1 day" in to_one
    [to_ended] = texts_to(bot_settings, ended.telegram_id)
    assert "закончился" in to_ended
    for quiet in (later, long_ago, blocked, subscriber):
        assert not texts_to(bot_settings, quiet.telegram_id)
    renew = bot_settings.sent_to(three.telegram_id)[0].params["reply_markup"]["inline_keyboard"][0][0]
    assert renew["callback_data"] == "pay:m"
    assert renew["text"] == "💎 Продлить Премиум"
    renew_en = bot_settings.sent_to(one.telegram_id)[0].params["reply_markup"]["inline_keyboard"][0][0]
    assert renew_en["text"] == "💎 Renew Premium"


def test_the_one_day_reminder_follows_the_three_day_one_and_a_renewal_starts_afresh(bot_settings, plans):
    user = TelegramUserFactory(telegram_id=1010, premium_for=timedelta(days=2, hours=12))
    tasks.premium_notices()
    TelegramUser.objects.filter(pk=user.pk).update(premium_until=timezone.now() + timedelta(hours=12))
    tasks.premium_notices()
    assert len(texts_to(bot_settings, user.telegram_id)) == 2

    # Bought again: a new end date gets its own reminders.
    TelegramUser.objects.filter(pk=user.pk).update(premium_until=timezone.now() + timedelta(days=2, hours=23))
    tasks.premium_notices()
    assert len(texts_to(bot_settings, user.telegram_id)) == 3
    assert PremiumNotice.objects.filter(user=user).count() == 3


def test_a_blocked_user_is_marked_and_not_retried(bot_settings, plans):
    user = TelegramUserFactory(telegram_id=1020, premium_for=timedelta(hours=5))
    bot_settings.block_chat(user.telegram_id)

    tasks.premium_notices()
    tasks.premium_notices()

    assert len(bot_settings.sent_to(user.telegram_id)) == 1
    assert PremiumNotice.objects.get(user=user).status == "blocked"
    assert TelegramUser.objects.get(pk=user.pk).blocked_at is not None


# --- Privacy --------------------------------------------------------------------------------------------------


def test_export_lists_payments_and_erase_keeps_them_pseudonymised(
    bot_settings, plans, buyer, django_capture_on_commit_callbacks
):
    one_off = _invoiced(buyer, plans.month)
    payment_confirm_stars(
        payload=one_off.public_id,
        user_id=buyer.pk,
        charge_id="stx1",
        amount=150,
        currency="XTR",
        raw={"from": {"first_name": "Анна", "username": "anna"}, "telegram_payment_charge_id": "stx1"},
    )
    subscription = _invoiced(buyer, plans.subscription)
    payment_confirm_stars(
        payload=subscription.public_id,
        user_id=buyer.pk,
        charge_id="stxSUB",
        amount=130,
        currency="XTR",
        is_recurring=True,
    )

    exported = person_export(user_id=buyer.pk)
    assert {row["id"] for row in exported["payments"]} == {one_off.public_id, subscription.public_id}

    with django_capture_on_commit_callbacks(execute=True):
        assert person_erase(user_id=buyer.pk)

    kept = Payment.objects.get(pk=one_off.pk)
    assert kept.user is None and kept.payer_ref and kept.status == PaymentStatus.SUCCEEDED
    assert "Анна" not in str(kept.raw) and kept.raw["ids"]["telegram_payment_charge_id"] == "stx1"
    assert Subscription.objects.get().user is None
    [stop] = bot_settings.calls_to("editUserStarSubscription")
    assert stop.params == {"user_id": CHAT, "telegram_payment_charge_id": "stxSUB", "is_canceled": True}


# --- Plans seed and schedules ---------------------------------------------------------------------------------


def test_plans_seed_creates_the_defaults_once_and_keeps_staff_edits():
    seed = importlib.import_module("payments.migrations.0002_seed_plans").plans_seed
    Plan.objects.all().delete()

    seed(apps, None)
    Plan.objects.filter(code="month").update(price_stars=99)
    seed(apps, None)

    assert Plan.objects.count() == 3
    assert Plan.objects.get(code="month").price_stars == 99
    for plan in Plan.objects.all():
        plan.full_clean()


def test_payment_schedules_are_registered():
    names = {spec.func for spec in all_schedules()}
    wanted = {"payments.tasks.payments_poll", "bot.premium.tasks.stars_reconcile", "bot.premium.tasks.premium_notices"}
    assert wanted <= names
