"""Refunds in a real browser: support selects payments, reads the totals, confirms with a reason, sees the
outcome; a view-only account is offered no refund at all."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import LogEntry

from payments.models import Payment, PaymentStatus, Plan, Provider
from payments.services import payment_confirm_stars, payment_create
from tests.factories import TelegramUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

plans_seed = importlib.import_module("payments.migrations.0002_seed_plans").plans_seed


def _paid(user, plan: Plan, charge: str) -> Payment:
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.STARS)
    payment_confirm_stars(
        payload=payment.public_id, user_id=user.pk, charge_id=charge, amount=int(payment.amount), currency="XTR"
    )
    return Payment.objects.get(provider_payment_id=charge)


@pytest.fixture
def paid(db):
    plans_seed(django_apps, None)
    month, year = Plan.objects.get(code="month"), Plan.objects.get(code="year")
    anna = TelegramUserFactory(telegram_id=5300000101, first_name="Анна", language="ru")
    boris = TelegramUserFactory(telegram_id=5300000102, first_name="Борис", language="ru")
    return [_paid(anna, month, "stxBROWSER1"), _paid(boris, year, "stxBROWSER2")]


def test_support_refunds_two_payments_after_reading_the_totals(page, staff, login, bot_settings, paid):
    member = staff("support", "payments.view_payment", "payments.change_payment")
    login(page, "support")
    page.goto("/admin/payments/payment/")

    for payment in paid:
        page.locator(f"input.action-select[value='{payment.pk}']").check()
    page.select_option("select[name=action]", "refund_selected")
    page.click("button[name=index]")

    confirmation = page.locator("#refund-confirmation")
    confirmation.wait_for()
    text = confirmation.inner_text()
    assert "2 оплаченных платежа" in text
    assert "1350 ⭐" in text  # 150 + 1200 Stars
    assert "395 дней Премиума" in text  # 30 + 365 days taken back
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 2  # nothing happened yet

    page.fill("input[name=reason]", "пользователь передумал")
    page.click("#refund-confirm")
    page.wait_for_load_state()

    assert "2 платежа возвращены" in page.content()
    assert Payment.objects.filter(status=PaymentStatus.REFUNDED).count() == 2
    assert len(bot_settings.calls_to("refundStarPayment")) == 2
    entries = LogEntry.objects.filter(content_type__model="payment", user=member)
    assert entries.count() == 2 and all("пользователь передумал" in entry.change_message for entry in entries)

    page.goto(f"/admin/payments/payment/{paid[0].pk}/history/")
    assert "пользователь передумал" in page.content()


def test_a_view_only_account_has_no_refund_action(page, staff, login, paid):
    staff("viewer", "payments.view_payment")
    login(page, "viewer")
    page.goto("/admin/payments/payment/")
    assert paid[0].public_id in page.content()
    assert page.locator("option[value=refund_selected]").count() == 0

    page.goto(f"/admin/payments/payment/{paid[0].pk}/change/")
    assert f"/admin/payments/payment/{paid[0].pk}/refund/" not in page.content()
    response = page.goto(f"/admin/payments/payment/{paid[0].pk}/refund/")
    assert response.status == 403
