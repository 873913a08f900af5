"""Staff refunds from the admin, the admin pages, and refunds' effect on Premium."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import Currency, Payment, PaymentStatus, PremiumNotice, Provider, Subscription
from payments.providers import RefundRequest, StarsProvider
from payments.services import (
    PaymentRefused,
    RefundState,
    payment_confirm,
    payment_confirm_stars,
    payment_create,
    payment_refund,
)
from tests.driver import texts_to
from tests.factories import TelegramUserFactory
from tests.payments import CHAT
from users.models import TelegramUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return TelegramUserFactory(telegram_id=CHAT, first_name="Анна", language="ru")


def _paid_stars(user: TelegramUser, plan, charge: str = "stxCHARGE1") -> Payment:
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.STARS)
    payment_confirm_stars(
        payload=payment.public_id, user_id=user.pk, charge_id=charge, amount=int(payment.amount), currency="XTR"
    )
    payment.refresh_from_db()
    return payment


def test_staff_refund_from_the_payment_page(
    bot_settings, plans, buyer, admin_client, django_capture_on_commit_callbacks
):
    payment = _paid_stars(buyer, plans.month)
    buyer.refresh_from_db()
    assert buyer.premium_until > timezone.now() + timedelta(days=29)

    change = admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    refund_url = reverse("admin:payments_payment_refund", args=[payment.pk])
    assert refund_url in change.content.decode()
    confirm = admin_client.get(refund_url)
    assert confirm.status_code == 200
    assert "150 ⭐" in confirm.content.decode()

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(refund_url)

    assert response.status_code == 302
    [call] = bot_settings.calls_to("refundStarPayment")
    assert call.params == {"user_id": CHAT, "telegram_payment_charge_id": "stxCHARGE1"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_at is not None
    buyer.refresh_from_db()
    assert before <= buyer.premium_until <= timezone.now()
    [notice] = texts_to(bot_settings, CHAT)
    assert "возвращён" in notice and payment.public_id in notice and "Премиум закончился" in notice
    # Premium ended with the refund: the hourly job does not also send "your Premium has ended".
    assert PremiumNotice.objects.filter(user=buyer, kind="ended", premium_until=buyer.premium_until).exists()

    # A second click, and Telegram's own refunded_payment report afterwards, change nothing.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(refund_url)
    assert len(bot_settings.calls_to("refundStarPayment")) == 1
    assert len(texts_to(bot_settings, CHAT)) == 1


def test_refund_takes_back_only_the_refunded_days(bot_settings, plans, buyer):
    month = _paid_stars(buyer, plans.month, "stx1")
    _paid_stars(buyer, plans.year, "stx2")
    buyer.refresh_from_db()
    end = buyer.premium_until

    payment_refund(payment_id=month.pk)

    buyer.refresh_from_db()
    assert buyer.premium_until == end - timedelta(days=30)


def test_refund_action_on_the_list_and_unpaid_ones_are_skipped(bot_settings, plans, buyer, admin_client):
    paid = _paid_stars(buyer, plans.month)
    unpaid = payment_create(user_id=buyer.pk, plan_id=plans.year.pk, provider=Provider.STARS)

    selection = {"action": "refund_selected", "_selected_action": [paid.pk, unpaid.pk]}
    confirm = admin_client.post(reverse("admin:payments_payment_changelist"), selection)
    assert confirm.status_code == 200 and "150 ⭐" in confirm.content.decode()
    assert Payment.objects.get(pk=paid.pk).status == PaymentStatus.SUCCEEDED  # nothing happens before confirming

    response = admin_client.post(
        reverse("admin:payments_payment_changelist"), {**selection, "post": "yes", "reason": ""}, follow=True
    )

    assert response.status_code == 200
    assert Payment.objects.get(pk=paid.pk).status == PaymentStatus.REFUNDED
    assert Payment.objects.get(pk=unpaid.pk).status == PaymentStatus.CREATED
    assert len(bot_settings.calls_to("refundStarPayment")) == 1


def test_a_refused_refund_changes_nothing(bot_settings, plans, buyer):
    payment = _paid_stars(buyer, plans.month)
    bot_settings.fail_next("refundStarPayment", "bad_request")

    outcome = payment_refund(payment_id=payment.pk)

    assert outcome.state == RefundState.REFUSED and not outcome.changed
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    buyer.refresh_from_db()
    assert buyer.premium_until > timezone.now() + timedelta(days=29)


def test_a_charge_telegram_already_refunded_counts_as_refunded(bot_settings, plans, buyer):
    payment = _paid_stars(buyer, plans.month)
    # Refunded at Telegram by some other way (another tool, a lost answer): Telegram says so on our refund.
    StarsProvider().refund(
        RefundRequest(payment.provider_payment_id, payment.amount, "XTR", "k", user_telegram_id=CHAT)
    )

    outcome = payment_refund(payment_id=payment.pk)

    assert outcome.changed
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert Payment.objects.get(pk=payment.pk).raw["refund"]["already"] is True


def test_only_paid_payments_can_be_refunded(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.STARS)
    with pytest.raises(PaymentRefused):
        payment_refund(payment_id=payment.pk)


def test_payment_confirm_is_idempotent_and_checks_the_amount(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.FAKE)
    with pytest.raises(PaymentRefused):
        payment_confirm(payment_id=payment.pk, provider_payment_id="x", amount=Decimal("1.00"), currency="RUB", raw={})
    first = payment_confirm(
        payment_id=payment.pk, provider_payment_id="x", amount=Decimal("299.00"), currency="RUB", raw={}
    )
    second = payment_confirm(
        payment_id=payment.pk, provider_payment_id="x", amount=Decimal("299.00"), currency="RUB", raw={}
    )
    assert (first.granted, second.granted) == (True, False)
    buyer.refresh_from_db()
    assert buyer.premium_until == first.premium_until


def test_extension_counts_from_the_later_of_now_and_the_current_end(plans, buyer):
    later = timezone.now() + timedelta(days=10)
    TelegramUser.objects.filter(pk=buyer.pk).update(premium_until=later)
    _paid_stars(buyer, plans.month, "stxA")
    buyer.refresh_from_db()
    assert buyer.premium_until == later + timedelta(days=30)

    TelegramUser.objects.filter(pk=buyer.pk).update(premium_until=timezone.now() - timedelta(days=100))
    before = timezone.now()
    _paid_stars(buyer, plans.month, "stxB")
    buyer.refresh_from_db()
    assert before + timedelta(days=30) <= buyer.premium_until <= timezone.now() + timedelta(days=30)


def test_plan_admin_and_validation(admin_client, plans):
    from django.core.exceptions import ValidationError

    plans.subscription.days = 31
    with pytest.raises(ValidationError):
        plans.subscription.full_clean()
    plans.month.price_stars = None
    plans.month.price_rub = None
    with pytest.raises(ValidationError):
        plans.month.full_clean()

    listing = admin_client.get(reverse("admin:payments_plan_changelist"))
    assert listing.status_code == 200
    assert "12 months" in listing.content.decode()


def test_payment_admin_pages_filters_and_search(admin_client, plans, buyer):
    payment = _paid_stars(buyer, plans.month)
    for query in ("", "?status__exact=succeeded", "?provider__exact=stars", f"?q={payment.public_id}", f"?q={CHAT}"):
        response = admin_client.get(reverse("admin:payments_payment_changelist") + query)
        assert response.status_code == 200
        assert payment.public_id in response.content.decode()
    page = admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    assert "stxCHARGE1" in page.content.decode()  # the raw provider data is shown
    assert admin_client.get(reverse("admin:payments_payment_add")).status_code == 403


def test_staff_cancel_a_subscription_from_admin(bot_settings, admin_client, plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.subscription.pk, provider=Provider.STARS)
    payment_confirm_stars(
        payload=payment.public_id, user_id=buyer.pk, charge_id="stxSUB", amount=130, currency="XTR", is_recurring=True
    )
    subscription = Subscription.objects.get()

    admin_client.post(
        reverse("admin:payments_subscription_changelist"),
        {"action": "cancel_renewal", "_selected_action": [subscription.pk]},
    )

    [call] = bot_settings.calls_to("editUserStarSubscription")
    assert call.params["is_canceled"] is True and call.params["telegram_payment_charge_id"] == "stxSUB"
    assert Subscription.objects.get().canceled_at is not None


def test_payment_inline_for_the_user_page(rf, admin_user, plans, buyer):
    from django.contrib import admin as django_admin

    from payments.admin import PaymentInline

    _paid_stars(buyer, plans.month)
    inline = PaymentInline(TelegramUser, django_admin.site)
    request = rf.get("/")
    request.user = admin_user
    assert list(inline.get_queryset(request).filter(user=buyer))
    assert not inline.has_add_permission(request, buyer)


def test_amount_display():
    assert Payment(amount=Decimal("150"), currency=Currency.XTR).amount_display() == "150 ⭐"
    assert Payment(amount=Decimal("299.00"), currency=Currency.RUB).amount_display() == "299 ₽"
    assert Payment(amount=Decimal("299.50"), currency=Currency.RUB).amount_display() == "299.50 ₽"
