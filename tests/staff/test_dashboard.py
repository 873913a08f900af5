"""The dashboard: the rollup's numbers on a hand-made week, its idempotence, and the page and CSV behind their
permission."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from horoscopes.daily.models import PushDelivery, PushStatus
from horoscopes.llm.models import GenerationLog, GenerationStatus
from payments.models import PaymentStatus, Plan, Subscription
from staff.models import DailyMetric
from staff.services import metrics_rollup
from tests.factories import PaymentFactory, TarotReadingFactory, TelegramUserFactory

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=MSK)
START, END = date(2026, 3, 2), date(2026, 3, 6)


def at(day: int, hour: int = 12, minute: int = 0, zone: ZoneInfo = MSK) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=zone)


def week() -> dict[str, object]:
    """Four users, two currencies, a refund, a renewal, a lapsed subscription, pushes, updates, LLM calls."""
    old = TelegramUserFactory(
        first_seen_at=datetime(2026, 2, 1, 12, tzinfo=MSK), last_seen_at=datetime(2026, 2, 10, tzinfo=MSK)
    )
    first = TelegramUserFactory(
        first_seen_at=at(2, 10), last_seen_at=at(5, 10), source="vk", birth_date=date(1990, 1, 1)
    )
    # 01:00 on the 3rd in Vladivostok is 18:00 on the 2nd in Moscow: the rollup counts Moscow days.
    far = TelegramUserFactory(
        first_seen_at=at(3, 1, zone=VLADIVOSTOK),
        last_seen_at=at(3, 1, zone=VLADIVOSTOK),
        invited_by=first,
        current_tz="Asia/Vladivostok",
    )
    third = TelegramUserFactory(first_seen_at=at(3, 9), last_seen_at=at(3, 9))
    TarotReadingFactory(user=first)
    month, subscription_plan = Plan.objects.get(code="month"), Plan.objects.get(code="month-subscription")
    PaymentFactory(
        user=first,
        plan=month,
        amount=150,
        currency="XTR",
        provider="stars",
        status=PaymentStatus.REFUNDED,
        paid_at=at(2, 12),
        refunded_at=at(4, 15),
    )
    PaymentFactory(
        user=far,
        plan=month,
        amount=Decimal("299.00"),
        currency="RUB",
        provider="yookassa",
        status=PaymentStatus.SUCCEEDED,
        paid_at=at(3, 12),
    )
    PaymentFactory(
        user=far, plan=month, amount=Decimal("299.00"), currency="RUB", provider="yookassa", status=PaymentStatus.FAILED
    )
    live = Subscription.objects.create(
        user=third,
        plan=subscription_plan,
        charge_id="c-live",
        created_at=at(3, 10),
        expires_at=at(3, 10) + timedelta(days=30),
    )
    PaymentFactory(
        user=third,
        plan=subscription_plan,
        subscription=live,
        amount=130,
        currency="XTR",
        provider="stars",
        status=PaymentStatus.SUCCEEDED,
        paid_at=at(3, 10),
    )
    PaymentFactory(
        user=third,
        plan=subscription_plan,
        subscription=live,
        amount=130,
        currency="XTR",
        provider="stars",
        status=PaymentStatus.SUCCEEDED,
        paid_at=at(5, 10),
        is_recurring=True,
    )
    Subscription.objects.create(
        user=old,
        plan=subscription_plan,
        charge_id="c-lapsed",
        created_at=datetime(2026, 2, 1, tzinfo=MSK),
        expires_at=at(3, 12),
    )
    for update_id, (user, status, took_ms) in enumerate(
        [(first, UpdateStatus.DONE, 100), (first, UpdateStatus.DONE, 300), (far, UpdateStatus.FAILED, None)]
    ):
        received = at(5, 10, update_id)
        update = TelegramUpdate.objects.create(
            update_id=update_id + 1, status=status, chat_id=user.telegram_id, started_at=received
        )
        finished = received + timedelta(milliseconds=took_ms) if took_ms else None
        TelegramUpdate.objects.filter(pk=update.pk).update(received_at=received, finished_at=finished)
    PushDelivery.objects.create(user=first, local_date=date(2026, 3, 5), status=PushStatus.SENT)
    PushDelivery.objects.create(user=far, local_date=date(2026, 3, 5), status=PushStatus.BLOCKED)
    for cost, latency, status in (
        (Decimal("0.01"), 500, GenerationStatus.OK),
        (Decimal("0.02"), 1500, GenerationStatus.OK),
        (None, 5, GenerationStatus.OFFLINE),
    ):
        GenerationLog.objects.create(
            kind="daily", status=status, model="m", cost=cost, latency_ms=latency, created_at=at(5, 8)
        )
    return {"first": first, "far": far, "third": third, "old": old}


def values() -> dict[tuple[str, str, str], Decimal]:
    return {(m.day.isoformat(), m.key, m.dimension): m.value for m in DailyMetric.objects.all()}


def test_rollup_of_a_hand_made_week():
    week()
    metrics_rollup(start=START, end=END, now=NOW)
    got = values()

    def value(day: int, key: str, dimension: str = "") -> Decimal:
        return got.get((f"2026-03-0{day}", key, dimension), Decimal(0))

    # New users by Moscow day: the Vladivostok newcomer is on the 2nd.
    assert [value(d, "users_new") for d in (2, 3, 4)] == [2, 1, 0]
    assert [value(d, "users_total") for d in (2, 3, 6)] == [3, 4, 4]
    assert value(2, "source_users", "vk") == 1 and value(2, "source_users", "@invite") == 1
    assert value(2, "source_paying", "vk") == 1 and value(3, "source_users", "") == 1
    assert [value(2, f"funnel_{step}") for step in ("started", "birth_date", "reading", "paid")] == [2, 1, 1, 2]
    # Stars and roubles apart, by plan and provider; the failed attempt counts nowhere.
    assert value(2, "revenue", "XTR:stars:month") == 150
    assert value(3, "revenue", "RUB:yookassa:month") == Decimal("299")
    assert value(3, "revenue", "XTR:stars:month-subscription") == 130
    assert value(5, "revenue", "XTR:stars:month-subscription") == 130
    assert value(4, "refunds", "XTR:stars:month") == 1 and value(4, "refunds_amount", "XTR:stars:month") == 150
    assert [value(d, "renewals") for d in (3, 5)] == [0, 1]
    assert [value(d, "paying_total") for d in (2, 3, 6)] == [1, 3, 3]
    assert value(5, "paying_users") == 1
    # The lapsed subscription ended on the 3rd (churn); the new one is active from then on.
    assert [value(d, "subs_active") for d in (2, 3, 6)] == [1, 1, 1]
    assert value(3, "subs_new") == 1 and value(3, "subs_ended") == 1
    assert value(5, "dau") == 2 and value(5, "updates_total") == 3 and value(5, "updates_failed") == 1
    assert value(5, "webhook_p50_ms") == 100 and value(5, "webhook_p99_ms") == 300
    assert value(5, "pushes", "sent") == 1 and value(5, "pushes", "blocked") == 1
    assert value(5, "llm_cost") == Decimal("0.03") and value(5, "llm_calls") == 2 and value(5, "llm_latency_ms") == 1000
    # WAU/MAU are snapshots of today and yesterday only.
    assert value(6, "wau") == 3 and value(6, "mau") == 4 and ("2026-03-04", "wau", "") not in got
    # The cohort of the week of the 2nd: three users, one came back a day or more later.
    assert value(2, "cohort_size") == 3 and value(2, "retained_d1") == 1 and value(2, "retained_d7") == 0


def test_rollup_twice_gives_the_same_rows_and_replaces_stale_ones():
    week()
    metrics_rollup(start=START, end=END, now=NOW)
    first = values()
    DailyMetric.objects.create(day=date(2026, 3, 3), key="revenue", dimension="XTR:stars:gone", value=1)
    # Older than the kept updates: a recompute leaves the DAU it once had.
    DailyMetric.objects.create(day=date(2026, 1, 5), key="dau", value=42)
    metrics_rollup(start=START, end=END, now=NOW)
    metrics_rollup(start=date(2026, 1, 5), end=date(2026, 1, 5), now=NOW)
    second = values()
    assert ("2026-01-05", "dau", "") in second and second.pop(("2026-01-05", "dau", "")) == 42
    assert {k: v for k, v in second.items() if k[0] >= "2026-03"} == first


def test_rollup_task_defaults_to_recent_days():
    from staff.tasks import dashboard_rollup

    TelegramUserFactory()
    assert dashboard_rollup() > 0
    today = timezone.localdate()
    assert DailyMetric.objects.get(day=today, key="users_new").value == 1


@pytest.fixture
def owner(client, django_user_model):
    user = django_user_model.objects.create_user("owner", password="pw", is_staff=True)
    for codename in ("view_dashboard", "refresh_dashboard"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


def test_page_reads_only_rollup_rows_in_a_handful_of_queries(owner, django_assert_max_num_queries):
    week()
    metrics_rollup(start=START, end=END, now=NOW)
    # Session, staff member, two permission reads, the rollup rows, plan names, the support inbox's badge,
    # the second factor's check and the idle-session stamp: nothing grows with users or events.
    with django_assert_max_num_queries(10):
        response = owner.get(reverse("admin:index"), {"start": "2026-03-02", "end": "2026-03-06"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="dashboard-cards"' in body and "chart" in body
    assert "vk" in body


def test_bad_dates_get_a_message_not_an_error(owner):
    for params in (
        {"start": "2026-13-01"},
        {"start": "2026-03-06", "end": "2026-03-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
    ):
        response = owner.get(reverse("admin:index"), params)
        assert response.status_code == 200
        assert 'id="dashboard-error"' in response.content.decode()
    response = owner.get(reverse("admin:staff_dashboard_csv", args=["users"]), {"start": "yesterday"})
    assert response.status_code == 400
    assert owner.get(reverse("admin:staff_dashboard_csv", args=["nope"])).status_code == 404


def test_csv_opens_in_russian_excel(owner):
    week()
    metrics_rollup(start=START, end=END, now=NOW)
    response = owner.get(
        reverse("admin:staff_dashboard_csv", args=["revenue_stars"]),
        {"start": "2026-03-02", "end": "2026-03-04"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[0] == "дата"
    assert "1 месяц · Telegram Stars" in lines[0] and "stars:month" not in lines[0]
    assert [line.split(";")[0] for line in lines[1:]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert "150" in lines[1].split(";")
    sources = owner.get(
        reverse("admin:staff_dashboard_csv", args=["sources"]), {"start": "2026-03-02", "end": "2026-03-06"}
    )
    assert "vk;1;1;100,0\xa0%" in sources.content.decode() or "vk;1;1;100,0 %" in sources.content.decode()


def test_view_only_staff_see_no_dashboard_and_get_no_csv(client, django_user_model):
    support = django_user_model.objects.create_user("support", password="pw", is_staff=True)
    support.user_permissions.add(Permission.objects.get(codename="view_telegramuser"))
    client.force_login(support)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and 'id="dashboard' not in response.content.decode()
    assert client.get(reverse("admin:staff_dashboard_csv", args=["users"])).status_code == 403
    assert (
        client.post(reverse("admin:staff_dashboard_refresh"), {"start": "2026-03-02", "end": "2026-03-06"}).status_code
        == 403
    )


def test_recompute_button_queues_once_per_double_click(owner, django_capture_on_commit_callbacks):
    TelegramUserFactory()
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = owner.post(reverse("admin:staff_dashboard_refresh"), {"start": today, "end": today})
        second = owner.post(reverse("admin:staff_dashboard_refresh"), {"start": today, "end": today})
    assert first.status_code == second.status_code == 302
    assert len(callbacks) == 1
    assert DailyMetric.objects.filter(key="users_new", value=1).exists()
    assert owner.get(reverse("admin:staff_dashboard_refresh")).status_code == 405
