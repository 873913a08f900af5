"""Races that must end in exactly one extension of Premium (PostgreSQL: SQLite has no row locks)."""

import json
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from bot.premium import tasks
from payments import tasks as payment_tasks
from payments.models import Payment, PaymentStatus, Provider
from payments.services import payment_confirm, payment_confirm_stars, payment_create, payment_refund
from tests import concurrency
from tests.factories import TelegramUserFactory
from tests.payments import CHAT

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 16
race = partial(concurrency.race, threads=THREADS)


@pytest.fixture
def buyer(db):
    return TelegramUserFactory(telegram_id=CHAT, language="ru")


def test_concurrent_confirmations_of_one_payment_extend_once(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.FAKE)
    before = timezone.now()

    results = race(
        lambda i: (
            payment_confirm(
                payment_id=payment.pk, provider_payment_id="fake-1", amount=Decimal("299.00"), currency="RUB", raw={}
            ).granted
        )
    )

    assert results.count(True) == 1 and results.count(False) == THREADS - 1
    buyer.refresh_from_db()
    assert before + timedelta(days=30) <= buyer.premium_until <= timezone.now() + timedelta(days=30)


def test_concurrent_deliveries_of_one_stars_charge_extend_once(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.STARS)

    results = race(
        lambda i: (
            payment_confirm_stars(
                payload=payment.public_id, user_id=buyer.pk, charge_id="stxSAME", amount=150, currency="XTR"
            ).granted
        )
    )

    assert results.count(True) == 1, results
    assert Payment.objects.filter(provider_payment_id="stxSAME").count() == 1
    buyer.refresh_from_db()
    assert buyer.premium_until <= timezone.now() + timedelta(days=30)


def test_concurrent_renewals_with_distinct_charges_each_extend_once(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.subscription.pk, provider=Provider.STARS)
    payment_confirm_stars(
        payload=payment.public_id, user_id=buyer.pk, charge_id="stx0", amount=130, currency="XTR", is_recurring=True
    )
    buyer.refresh_from_db()
    end = buyer.premium_until

    # Eight renewals, each delivered twice at the same moment.
    results = race(
        lambda i: (
            payment_confirm_stars(
                payload=payment.public_id,
                user_id=buyer.pk,
                charge_id=f"stx-renewal-{i // 2}",
                amount=130,
                currency="XTR",
                is_recurring=True,
            ).granted
        )
    )

    assert results.count(True) == THREADS // 2, results
    buyer.refresh_from_db()
    assert buyer.premium_until == end + timedelta(days=30 * THREADS // 2)


def test_different_payments_of_one_user_at_once_lose_no_days(plans, buyer):
    payments = [payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.FAKE) for _ in range(8)]
    before = timezone.now()

    race(
        lambda i: payment_confirm(
            payment_id=payments[i].pk, provider_payment_id=f"fake-{i}", amount=Decimal("299.00"), currency="RUB", raw={}
        ),
        threads=8,
    )

    buyer.refresh_from_db()
    assert buyer.premium_until >= before + timedelta(days=240)


def test_notification_and_poll_at_the_same_moment_extend_once(bot_settings, plans, buyer, yookassa):
    payment = payment_create(
        user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.YOOKASSA, receipt_email="a@example.com"
    )
    tasks.checkout_open(payment.pk, "https://t.me/astrobot_fake_bot")
    payment.refresh_from_db()
    yookassa.pay(payment.provider_payment_id)
    body = json.dumps(yookassa.notification(payment.provider_payment_id))

    def work(index: int) -> object:
        if index % 2:
            return (
                Client()
                .post(
                    "/payments/yookassa/notify/", data=body, content_type="application/json", REMOTE_ADDR="185.71.76.10"
                )
                .status_code
            )
        return payment_tasks.payment_check(payment.pk)

    results = race(work)

    assert not [result for result in results if isinstance(result, Exception)], results
    buyer.refresh_from_db()
    assert buyer.premium_until <= timezone.now() + timedelta(days=30)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    thanks = [call for call in bot_settings.sent_to(CHAT) if "Спасибо" in call.params.get("text", "")]
    assert len(thanks) == 1


def test_two_staff_refund_clicks_at_once_refund_once(bot_settings, plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.STARS)
    payment_confirm_stars(payload=payment.public_id, user_id=buyer.pk, charge_id="stxR", amount=150, currency="XTR")

    results = race(lambda i: payment_refund(payment_id=payment.pk).changed, threads=4)

    assert results.count(True) == 1, results
    assert len(bot_settings.calls_to("refundStarPayment")) == 1
