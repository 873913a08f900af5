"""No list in the panel grows its query count with its rows: every registered changelist opened with 50 rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.models import Failure, OrmQ, Schedule, Success

from bot.models import Heartbeat, TelegramUpdate, UpdateStatus
from broadcasts.models import Broadcast
from horoscopes.daily.models import DailyHoroscope, PersonalHoroscope, PushDelivery
from horoscopes.llm.models import GenerationLog, Prompt
from horoscopes.natal.models import NatalChart
from horoscopes.tarot.models import TarotDailyCount
from payments.models import Payment, Plan, PremiumNotice
from support.models import SupportMessage, SupportRequest
from tests.factories import PaymentFactory, SubscriptionFactory, TarotReadingFactory, TelegramUserFactory
from users.models import Sign, TelegramUser

pytestmark = pytest.mark.django_db

ROWS = 50
# A changelist runs a fixed handful of queries (session, user, permissions, counts, the page, filters' choices,
# the date hierarchy); one more per row is the N+1 this test is for.
MAX_QUERIES = 12
# Seeded by migrations with fewer rows than a page (prompts, plans, tarot cards).
FEW_ROWS = {"horoscopes.Prompt", "payments.Plan", "horoscopes.TarotCard", "staff.DailyMetric"}


def seed() -> None:
    """50 rows of every model where cheap, each pointing at users, plans and prompts like real rows do."""
    today = timezone.localdate()
    users = TelegramUserFactory.create_batch(ROWS)
    TelegramUser.objects.filter(pk__in=[user.pk for user in users[1:]]).update(invited_by=users[0])
    plan = Plan.objects.first()
    prompt = Prompt.objects.first()
    for index, user in enumerate(users):
        PaymentFactory(user=user, plan=plan, status="succeeded", amount=Decimal(100))
        SubscriptionFactory(user=user, plan=Plan.objects.get(code="month-subscription"))
        TarotReadingFactory(user=user)
        PushDelivery.objects.create(user=user, local_date=today)
        PersonalHoroscope.objects.create(user=user, date=today, language="ru")
        TarotDailyCount.objects.create(user=user, local_date=today, readings=1)
        PremiumNotice.objects.create(user=user, kind="ended", premium_until=timezone.now() + timedelta(days=index))
        NatalChart.objects.create(user=user, birth_key=str(index), data={})
        GenerationLog.objects.create(kind="daily", status="ok", prompt=prompt, model="m")
        TelegramUpdate.objects.create(
            update_id=index,
            status=UpdateStatus.FAILED,
            kind="message",
            chat_id=user.telegram_id,
            started_at=timezone.now(),
        )
        Heartbeat.objects.create(name=f"process-{index}", beat_at=timezone.now())
        get_user_model().objects.create_user(f"staff{index}", is_staff=True)
        Group.objects.get_or_create(name=f"role {index}")
        Schedule.objects.create(name=f"s{index}", func="bot.tasks.heartbeat")
        request = SupportRequest.objects.create(user=user)
        SupportMessage.objects.create(request=request, direction="user", text="Здравствуйте")
        staff_member = get_user_model().objects.get(username=f"staff{index}")
        TOTPDevice.objects.create(user=staff_member, name="phone")
        LogEntry.objects.create(user=staff_member, action_flag=CHANGE, object_repr="x", change_message="changed")
        AccessAttempt.objects.create(username=f"staff{index}", ip_address="127.0.0.1", failures_since_start=1)
        AccessLog.objects.create(username=f"staff{index}", ip_address="127.0.0.1")
        AccessFailureLog.objects.create(username=f"staff{index}", ip_address="127.0.0.1")
        Broadcast.objects.create(title=f"broadcast {index}", created_by=staff_member)
    for offset in range(3):
        for sign in Sign.values:
            for language in ("ru", "en"):
                DailyHoroscope.objects.create(sign=sign, date=date.today() - timedelta(days=offset), language=language)
    for index in range(ROWS):
        common = {
            "name": f"t{index}",
            "func": "bot.tasks.heartbeat",
            "started": timezone.now(),
            "stopped": timezone.now(),
        }
        Success.objects.create(id=f"s{index:031d}", success=True, **common)
        Failure.objects.create(id=f"f{index:031d}", success=False, **common)
        OrmQ.objects.create(key="default", payload="x", lock=None)
    assert Payment.objects.count() == ROWS


@pytest.fixture
def owner(client):
    client.force_login(get_user_model().objects.create_superuser("owner", "owner@example.com", "pw"))
    return client


def test_every_changelist_runs_a_fixed_number_of_queries(owner):
    seed()
    counts = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as captured:
            response = owner.get(url)
        assert response.status_code == 200, url
        counts[model._meta.label] = len(captured)
        if "cl" not in response.context:
            continue  # the bot settings page is a form, not a list
        assert len(response.context["cl"].result_list) >= min(ROWS, response.context["cl"].list_per_page) or (
            model._meta.label in FEW_ROWS
        ), url

    too_many = {label: count for label, count in counts.items() if count > MAX_QUERIES}
    assert too_many == {}, f"{too_many} of {counts}"
