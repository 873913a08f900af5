"""Refunds that hold no lock while a provider answers, settle after a timeout, end subscriptions, reach
erased users, speak the staff member's language and leave a trace in the payment's history."""

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from bot.privacy.person import person_erase
from payments import tasks
from payments.errors import PROVIDER_ERRORS, provider_error_text
from payments.models import Currency, Payment, PaymentStatus, Plan, Provider, Subscription
from payments.providers import FakeProvider, ProviderError, StarsProvider, fake
from payments.services import (
    RefundState,
    payment_check,
    payment_checkout_open,
    payment_confirm_stars,
    payment_create,
    payment_refund,
)
from tests.driver import texts_to
from tests.factories import TelegramUserFactory
from tests.payments import CHAT
from users.models import TelegramUser

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:payments_payment_changelist"


@pytest.fixture
def buyer(db):
    return TelegramUserFactory(telegram_id=CHAT, first_name="Анна", language="ru")


def _paid_stars(user: TelegramUser, plan: Plan, charge: str = "stxSAFE1") -> Payment:
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.STARS)
    payment_confirm_stars(
        payload=payment.public_id,
        user_id=user.pk,
        charge_id=charge,
        amount=int(payment.amount),
        currency="XTR",
        is_recurring=plan.is_subscription,
    )
    return Payment.objects.get(provider_payment_id=charge)


def _paid_card(user: TelegramUser, plan: Plan) -> Payment:
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.FAKE)
    payment = payment_checkout_open(payment_id=payment.pk, return_url="https://t.me/astrobot_fake_bot")
    fake.pay(payment.provider_payment_id)
    payment_check(payment_id=payment.pk)
    return Payment.objects.get(pk=payment.pk)


def _support(username: str = "support", *codenames: str) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    for codename in codenames or ("view_payment", "change_payment"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="payments", codename=codename))
    return user


# --- No lock while the provider answers -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_called_with_no_transaction_open(bot_settings, plans, monkeypatch):
    buyer = TelegramUserFactory(telegram_id=CHAT, language="ru")
    seen: list[tuple[str, bool]] = []
    refund, cancel = StarsProvider.refund, StarsProvider.subscription_set_canceled

    def watched_refund(self, request):
        seen.append(("refund", connection.in_atomic_block))
        return refund(self, request)

    def watched_cancel(self, **kwargs):
        seen.append(("cancel", connection.in_atomic_block))
        return cancel(self, **kwargs)

    monkeypatch.setattr(StarsProvider, "refund", watched_refund)
    monkeypatch.setattr(StarsProvider, "subscription_set_canceled", watched_cancel)
    payment = _paid_stars(buyer, plans.subscription, "stxNOLOCK")

    outcome = payment_refund(payment_id=payment.pk)

    assert outcome.state == RefundState.REFUNDED
    assert seen == [("cancel", False), ("refund", False)]


@pytest.mark.django_db(transaction=True)
def test_a_card_refund_is_made_with_no_transaction_open(bot_settings, plans, monkeypatch):
    buyer = TelegramUserFactory(telegram_id=CHAT, language="ru")
    seen: list[bool] = []
    refund = FakeProvider.refund
    monkeypatch.setattr(
        FakeProvider, "refund", lambda self, request: seen.append(connection.in_atomic_block) or refund(self, request)
    )
    payment = _paid_card(buyer, plans.month)

    assert payment_refund(payment_id=payment.pk).state == RefundState.REFUNDED
    assert seen == [False]


# --- A timeout is "unknown", settled by the background check ------------------------------------------------


def _wait_for_calls(api, method: str, count: int, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while len(api.calls_to(method)) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_timeout_leaves_the_refund_pending_and_the_background_check_finishes_it(
    bot_settings, settings, plans, buyer, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_TELEGRAM_TIMEOUT = 0.3
    staff = _support()
    payment = _paid_stars(buyer, plans.month)
    buyer.refresh_from_db()
    paid_until = buyer.premium_until
    # Telegram makes the refund but its answer comes too late: the outcome is unknown to us.
    bot_settings.fail_next("refundStarPayment", "slow", delay=1.0)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = payment_refund(payment_id=payment.pk, staff_id=staff.pk, reason="asked in support")

    assert outcome.state == RefundState.PENDING and not outcome.changed
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDING and payment.refund_error == "network"
    buyer.refresh_from_db()
    assert buyer.premium_until == paid_until  # nothing taken back while we do not know
    assert not any("возвращён" in text for text in texts_to(bot_settings, CHAT))

    # A click meanwhile does not ask Telegram again.
    assert payment_refund(payment_id=payment.pk).state == RefundState.ALREADY
    _wait_for_calls(bot_settings, "refundStarPayment", 1)
    time.sleep(0.8)  # the slow answer has gone out (and been dropped)
    # Too fresh for the background check: it leaves a refund that may still be under way alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.payments_poll().get("refunds_refunded") is None

    Payment.objects.filter(pk=payment.pk).update(refund_started_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.payments_poll()

    assert counts["refunds_refunded"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.raw["refund"]["already"] is True
    buyer.refresh_from_db()
    assert buyer.premium_until <= timezone.now()
    assert len(bot_settings.calls_to("refundStarPayment")) == 2  # the second answered CHARGE_ALREADY_REFUNDED
    assert sum("возвращён" in text for text in texts_to(bot_settings, CHAT)) == 1
    entry = LogEntry.objects.get(object_id=str(payment.pk), content_type__model="payment")
    assert entry.user_id == staff.pk and "asked in support" in entry.change_message
    # Nothing left to settle.
    assert tasks.payments_poll().get("refunds_refunded") is None


def test_a_card_provider_outage_is_pending_and_settled_later(bot_settings, plans, buyer):
    payment = _paid_card(buyer, plans.month)
    fake.fail_next(retryable=True)

    assert payment_refund(payment_id=payment.pk).state == RefundState.PENDING
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDING

    Payment.objects.filter(pk=payment.pk).update(refund_started_at=timezone.now() - timedelta(minutes=5))
    tasks.payments_poll()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED


def test_a_refusal_gives_the_payment_back_as_paid_with_the_providers_code(plans, buyer):
    payment = _paid_card(buyer, plans.month)
    fake.fail_next(retryable=False)

    outcome = payment_refund(payment_id=payment.pk)

    assert outcome.state == RefundState.REFUSED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.refund_error == "fake"
    # Staff may try again once the cause is fixed.
    assert payment_refund(payment_id=payment.pk).state == RefundState.REFUNDED


def test_two_confirmations_of_one_refund_page_refund_once(
    bot_settings, plans, buyer, admin_client, django_capture_on_commit_callbacks
):
    payment = _paid_stars(buyer, plans.month)
    url = reverse("admin:payments_payment_refund", args=[payment.pk])

    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(url, {"reason": "double click"})
        second = admin_client.post(url, {"reason": "double click"})

    assert first.status_code == second.status_code == 302
    assert len(bot_settings.calls_to("refundStarPayment")) == 1
    assert sum("возвращён" in text for text in texts_to(bot_settings, CHAT)) == 1
    assert LogEntry.objects.filter(object_id=str(payment.pk), content_type__model="payment").count() == 1


# --- Subscriptions -----------------------------------------------------------------------------------------


def test_refunding_a_subscription_charge_ends_the_subscription(
    bot_settings, plans, buyer, admin_client, django_capture_on_commit_callbacks
):
    payment = _paid_stars(buyer, plans.subscription, "stxSUBR")
    subscription = Subscription.objects.get()
    assert subscription.renews()

    confirm = admin_client.post(reverse(CHANGELIST), {"action": "refund_selected", "_selected_action": [payment.pk]})
    page = confirm.content.decode()
    assert "130 ⭐" in page and "подписк" in page.lower() and "не будет" in page

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse(CHANGELIST), {"action": "refund_selected", "_selected_action": [payment.pk], "post": "yes"}
        )

    calls = [
        call.method for call in bot_settings.calls if call.method in ("editUserStarSubscription", "refundStarPayment")
    ]
    assert calls == ["editUserStarSubscription", "refundStarPayment"]
    assert bot_settings.calls_to("editUserStarSubscription")[0].params["is_canceled"] is True
    subscription.refresh_from_db()
    assert subscription.canceled_at is not None and not subscription.renews()
    buyer.refresh_from_db()
    assert buyer.premium_until <= timezone.now()
    [notice] = [text for text in texts_to(bot_settings, CHAT) if "возвращён" in text]
    assert "подписк" in notice.lower()


# --- Erased users --------------------------------------------------------------------------------------------


def test_an_erased_users_payment_is_found_by_its_charge_id_and_refunded(
    bot_settings, plans, buyer, admin_client, django_capture_on_commit_callbacks
):
    payment = _paid_stars(buyer, plans.month, "stxERASED")
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user_id=buyer.pk)
    payment.refresh_from_db()
    assert payment.user_id is None
    assert payment.payer_telegram_id == CHAT and payment.provider_payment_id == "stxERASED"

    for query in ("stxERASED", str(CHAT)):
        listing = admin_client.get(reverse(CHANGELIST), {"q": query})
        assert payment.public_id in listing.content.decode(), query

    outcome = payment_refund(payment_id=payment.pk)

    assert outcome.state == RefundState.REFUNDED
    [call] = bot_settings.calls_to("refundStarPayment")
    assert call.params == {"user_id": CHAT, "telegram_payment_charge_id": "stxERASED"}


def test_unpaid_payments_of_erased_users_keep_no_telegram_id(plans, buyer):
    payment = payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.STARS)
    person_erase(user_id=buyer.pk)
    assert Payment.objects.get(pk=payment.pk).payer_telegram_id is None


def test_privacy_policy_says_what_is_kept_for_refunds(bot_settings):
    from bot.privacy import texts

    with translation.override("ru"):
        policy = str(texts.POLICY)
    assert "возврат" in policy and "Telegram" in policy


# --- Bulk refunds ---------------------------------------------------------------------------------------------


def _many_paid(user: TelegramUser, plan: Plan, count: int, prefix: str = "stxMANY") -> list[Payment]:
    return Payment.objects.bulk_create(
        Payment(
            user=user,
            plan=plan,
            provider=Provider.STARS,
            amount=plan.price_stars,
            currency=Currency.XTR,
            days=plan.days,
            status=PaymentStatus.SUCCEEDED,
            provider_payment_id=f"{prefix}{number}",
            paid_at=timezone.now(),
            premium_until=timezone.now() + timedelta(days=plan.days),
        )
        for number in range(count)
    )


def test_select_all_works_on_the_filtered_list_and_shows_totals_per_currency(bot_settings, plans, buyer, admin_client):
    stars = _many_paid(buyer, plans.month, 3)
    card = _paid_card(buyer, plans.month)
    payment_create(user_id=buyer.pk, plan_id=plans.month.pk, provider=Provider.STARS)  # unpaid: left alone

    everything = admin_client.post(
        reverse(CHANGELIST), {"action": "refund_selected", "select_across": "1", "_selected_action": [stars[0].pk]}
    )
    page = everything.content.decode()
    assert "450 ⭐" in page and "299 ₽" in page
    assert "1 выбранный платёж не оплачен или уже возвращён" in page
    assert page.count('name="_selected_action"') == 4  # the paid ones only, never the whole list's ids

    only_stars = admin_client.post(
        reverse(CHANGELIST) + "?provider__exact=stars",
        {"action": "refund_selected", "select_across": "1", "_selected_action": [stars[0].pk]},
    )
    page = only_stars.content.decode()
    assert "450 ⭐" in page and "₽" not in page.split('id="refund-totals"')[1].split("</ul>")[0]
    assert card.public_id not in page
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 4


def test_more_than_fifty_at_once_is_refused_with_a_message_and_no_field_limit_is_hit(
    bot_settings, settings, plans, buyer, admin_client
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    payments = _many_paid(buyer, plans.month, 51)

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "refund_selected", "select_across": "1", "_selected_action": [payments[0].pk]},
        follow=True,
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "51" in text and "50" in text
    assert not bot_settings.calls_to("refundStarPayment")
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 51


def test_a_bulk_refund_records_who_why_and_the_result_on_each_payment(
    bot_settings, plans, buyer, admin_client, admin_user, django_capture_on_commit_callbacks
):
    first = _paid_stars(buyer, plans.month, "stxA1")
    second = _paid_stars(buyer, plans.year, "stxA2")
    selection = {"action": "refund_selected", "_selected_action": [first.pk, second.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST), {**selection, "post": "yes", "reason": "дубль оплаты"}, follow=True
        )

    assert "2 платежа возвращены" in response.content.decode()
    for payment in (first, second):
        [entry] = LogEntry.objects.filter(object_id=str(payment.pk), content_type__model="payment")
        assert entry.user_id == admin_user.pk and "дубль оплаты" in entry.change_message
        history = admin_client.get(reverse("admin:payments_payment_history", args=[payment.pk])).content.decode()
        assert "дубль оплаты" in history


def test_a_refused_refund_is_explained_in_russian_with_the_code_on_hover(bot_settings, plans, buyer, admin_client):
    payment = _paid_card(buyer, plans.month)
    fake.fail_next(retryable=False)

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "refund_selected", "_selected_action": [payment.pk], "post": "yes"},
        follow=True,
        headers={"accept-language": "ru"},
    )

    page = response.content.decode()
    assert "отказал" in page and 'title="fake: fake provider failure"' in page
    assert "fake provider failure</" not in page  # the English text only on hover


def test_view_only_staff_has_no_refund_action(client, plans, buyer):
    payment = _paid_stars(buyer, plans.month)
    viewer = _support("viewer", "view_payment")
    client.force_login(viewer)

    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200 and "refund_selected" not in listing.content.decode()
    client.post(reverse(CHANGELIST), {"action": "refund_selected", "_selected_action": [payment.pk], "post": "yes"})
    assert client.get(reverse("admin:payments_payment_refund", args=[payment.pk])).status_code == 403
    assert client.post(reverse("admin:payments_payment_refund", args=[payment.pk])).status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED


def test_a_bad_refund_url_is_a_404_not_a_500(admin_client):
    assert admin_client.get("/admin/payments/payment/nonsense/refund/").status_code == 404
    assert admin_client.get("/admin/payments/payment/999999/refund/").status_code == 404


# --- Provider errors in the staff member's language -------------------------------------------------------------


def test_every_known_provider_error_has_a_russian_sentence():
    for code, message in PROVIDER_ERRORS.items():
        with translation.override("en"):
            english = str(message)
        with translation.override("ru"):
            russian = str(message)
        words = re.findall(r"[A-Za-z]+", russian)
        assert russian != english and set(words) <= {"Telegram", "id", "ЮKassa", "ЮMoney", "Kassa", "Money"}, code
    with translation.override("ru"):
        assert "уже" in provider_error_text(ProviderError("Charge already refunded", code="CHARGE_ALREADY_REFUNDED"))
        assert "CHARGE_SOMETHING_NEW" in provider_error_text(ProviderError("x", code="CHARGE_SOMETHING_NEW"))
        assert "не ответил" in provider_error_text(ProviderError("boom", retryable=True))


# --- Prices and odd data --------------------------------------------------------------------------------------------


def test_a_price_beyond_telegrams_limit_is_refused_in_the_admin(admin_client, plans):
    url = reverse("admin:payments_plan_change", args=[plans.month.pk])
    form = {
        "code": "month",
        "name_ru": "1 месяц",
        "name_en": "1 month",
        "days": 30,
        "price_stars": 99_999_999_999,
        "price_rub": "299.00",
        "is_active": "on",
        "position": 0,
    }
    response = admin_client.post(url, form, headers={"accept-language": "ru"})

    assert response.status_code == 200
    assert "10000" in response.content.decode() or "10 000" in response.content.decode()
    assert Plan.objects.get(pk=plans.month.pk).price_stars == 150

    form["price_stars"] = 150
    form["price_rub"] = "0.50"
    assert admin_client.post(url, form).status_code == 200
    form["price_rub"] = "299.00"
    assert admin_client.post(url, form).status_code == 302


def test_the_plan_list_edit_refuses_a_huge_price_without_a_500(admin_client, plans):
    listing = admin_client.get(reverse("admin:payments_plan_changelist"))
    assert listing.status_code == 200
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "_save": "1"}
    data.update(
        {
            "form-0-id": plans.month.pk,
            "form-0-price_stars": "99999999999",
            "form-0-price_rub": "299.00",
            "form-0-is_active": "on",
            "form-0-position": "0",
        }
    )
    response = admin_client.post(reverse("admin:payments_plan_changelist"), data)
    assert response.status_code == 200
    assert Plan.objects.get(pk=plans.month.pk).price_stars == 150


@pytest.mark.parametrize("field, value", [("price_stars", 10_001), ("price_rub", Decimal("100000.01"))])
def test_the_database_refuses_out_of_range_prices(plans, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plans.month.pk).update(**{field: value})


def test_the_payments_list_survives_odd_rows(admin_client, plans, buyer):
    odd = [
        Payment.objects.create(user=buyer, provider="stars", amount=Decimal("0.50"), currency="XTR", days=1),
        Payment.objects.create(user=buyer, provider="gone", amount=Decimal("9999999999.99"), currency="EUR", days=0),
        Payment.objects.create(user=None, provider="fake", amount=Decimal("1"), currency="RUB", days=0, status="odd"),
    ]

    response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    page = response.content.decode()
    assert all(payment.public_id in page for payment in odd)
    assert "9999999999.99 EUR" in page
    for payment in odd:
        assert admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk])).status_code == 200


def test_times_are_labelled_with_their_zone_and_utc_on_hover(admin_client, plans, buyer):
    payment = _paid_stars(buyer, plans.month)
    Payment.objects.filter(pk=payment.pk).update(created_at=datetime(2026, 3, 1, 21, 30, tzinfo=UTC))

    page = admin_client.get(reverse(CHANGELIST)).content.decode()

    assert "Europe/Moscow" in page
    assert 'title="2026-03-01 21:30:00 UTC"' in page and "02.03.2026 00:30" in page


def test_the_daily_stars_reconciliation_also_settles_a_pending_refund(bot_settings, settings, plans, buyer):
    from payments.services import stars_reconcile

    settings.PAYMENTS_TELEGRAM_TIMEOUT = 0.3
    payment = _paid_stars(buyer, plans.subscription, "stxLEDGER")
    bot_settings.fail_next("refundStarPayment", "slow", delay=0.8)
    assert payment_refund(payment_id=payment.pk).state == RefundState.PENDING
    _wait_for_calls(bot_settings, "refundStarPayment", 1)

    report = stars_reconcile()

    assert payment.public_id in report.refunds_recorded
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    assert not Subscription.objects.get().renews()
    assert len(bot_settings.calls_to("refundStarPayment")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_bot_can_write_while_a_provider_takes_its_time(bot_settings, plans, monkeypatch):
    """On SQLite a transaction open during the call would hold the write lock: the bot's writes would wait."""
    buyer = TelegramUserFactory(telegram_id=CHAT, language="ru")
    payment = _paid_card(buyer, plans.month)
    waited: list[float] = []

    def bot_writes() -> None:
        started = time.monotonic()
        TelegramUser.objects.filter(pk=buyer.pk).update(last_seen_at=timezone.now())
        waited.append(time.monotonic() - started)
        connection.close()

    refund = FakeProvider.refund

    def slow_refund(self, request):
        writer = threading.Thread(target=bot_writes)
        writer.start()
        writer.join(timeout=5)
        return refund(self, request)

    monkeypatch.setattr(FakeProvider, "refund", slow_refund)

    assert payment_refund(payment_id=payment.pk).state == RefundState.REFUNDED
    assert len(waited) == 1 and waited[0] < 1.0, waited
