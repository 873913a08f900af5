"""Broadcast services: audience segments, validation, exactly-once rows, schedule, pause/cancel, results."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.utils import timezone, translation

from broadcasts.models import BroadcastStatus, MissingVariant, PremiumFilter, Recipient, RecipientStatus, Timing
from broadcasts.selectors import broadcast_audience, broadcast_audience_count, broadcast_progress, broadcasts_due
from broadcasts.services import (
    BroadcastError,
    broadcast_cancel,
    broadcast_click,
    broadcast_pause,
    broadcast_problems,
    broadcast_resume,
    broadcast_schedule,
    click_token,
    link_click,
    local_due,
    recipient_finish,
    recipient_start,
    recipients_sending_expire,
    variant_problems,
)
from payments.models import PaymentStatus
from tests.factories import PaymentFactory, TelegramUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_segments_combine_and_blocked_users_are_never_in_the_audience(broadcast_factory):
    now = timezone.now()
    leo_ru = TelegramUserFactory(sign="leo", language="ru", onboarded=True)
    TelegramUserFactory(sign="leo", language="ru", onboarded=True, blocked_at=now)
    TelegramUserFactory(sign="virgo", language="ru", onboarded=True)
    leo_en_premium = TelegramUserFactory(sign="leo", language="en", onboarded=True, premium=True)
    TelegramUserFactory(sign="leo", language="ru")  # onboarding not finished
    TelegramUserFactory(sign="leo", language="ru", onboarded=True, last_seen_at=now - timedelta(days=40))

    broadcast = broadcast_factory(signs=["leo"], onboarded=True, active_days=30)
    assert set(broadcast_audience(broadcast)) == {leo_ru, leo_en_premium}
    broadcast.premium = PremiumFilter.FREE
    assert set(broadcast_audience(broadcast)) == {leo_ru}
    broadcast.premium, broadcast.language = PremiumFilter.PREMIUM, "en"
    assert set(broadcast_audience(broadcast)) == {leo_en_premium}
    broadcast.premium, broadcast.language, broadcast.notifications_on = "", "", False
    assert list(broadcast_audience(broadcast)) == []


def test_source_and_invitation_segments(broadcast_factory):
    inviter = TelegramUserFactory(source="ads")
    invited = TelegramUserFactory(invited_by=inviter)
    broadcast = broadcast_factory(source="ads")
    assert list(broadcast_audience(broadcast)) == [inviter]
    broadcast.source, broadcast.invited = "", True
    assert list(broadcast_audience(broadcast)) == [invited]


def test_count_before_sending_skips_missing_languages_when_asked_and_prices_a_paid_broadcast(broadcast_factory):
    TelegramUserFactory.create_batch(3, language="ru")
    TelegramUserFactory.create_batch(2, language="en")
    broadcast = broadcast_factory(variants={"ru": "Привет"}, missing_variant=MissingVariant.SKIP, paid=True)

    count = broadcast_audience_count(broadcast)

    assert (count.selected, count.receiving) == (5, 3)
    assert count.stars == Decimal("0.3")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>unclosed", "end tag"),
        ("<div>no</div>", "Unsupported"),
        ("   ", "empty"),
        ("x" * 4097, "4096"),
    ],
)
def test_html_telegram_would_refuse_is_caught(text, problem):
    assert problem in " ".join(variant_problems(text=text, has_photo=False))


def test_a_caption_is_limited_with_a_picture(broadcast_factory):
    assert variant_problems(text="x" * 1025, has_photo=True)
    broadcast = broadcast_factory(variants={"ru": "x" * 1025})
    broadcast.photo = b"\x89PNG"
    broadcast.save()
    assert any("1024" in problem for problem in broadcast_problems(broadcast))


def test_schedule_needs_the_default_language_and_a_button_label(broadcast_factory):
    broadcast = broadcast_factory(variants={"en": "Hi"}, default_language="ru", button_kind="url")
    with pytest.raises(BroadcastError) as error:
        broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    assert "default language" in str(error.value) and "link" in str(error.value)
    assert broadcast.recipients.count() == 0


def test_schedule_makes_one_row_per_user_once_and_picks_or_falls_back_the_language(broadcast_factory):
    staff = User.objects.create_user("marketing", is_staff=True)
    ru, en, de = (TelegramUserFactory(language=language) for language in ("ru", "en", "ru"))
    de.language = "en"
    de.save()
    broadcast = broadcast_factory(variants={"ru": "Привет"}, send_at=timezone.now() + timedelta(hours=1))

    assert broadcast_schedule(broadcast_id=broadcast.pk, staff_id=staff.pk) == 3
    assert broadcast_schedule(broadcast_id=broadcast.pk, staff_id=staff.pk) == 3  # a double click adds nothing

    rows = {row.user_id: row for row in Recipient.objects.filter(broadcast=broadcast)}
    assert set(rows) == {ru.pk, en.pk, de.pk}
    assert {row.language for row in rows.values()} == {"ru"}  # English users fall back to the default
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SCHEDULED
    assert LogEntry.objects.filter(user=staff, object_id=str(broadcast.pk)).count() == 1
    assert broadcasts_due() == []  # an hour from now
    assert broadcasts_due(now=timezone.now() + timedelta(hours=2)) == [broadcast.pk]


def test_local_time_is_each_users_own_clock(broadcast_factory):
    now = datetime(2026, 3, 1, 6, 0, tzinfo=ZoneInfo("UTC"))
    assert local_due(zone_name="Asia/Vladivostok", at=time(10, 0), now=now) == datetime(
        2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Vladivostok")
    )  # 16:00 there already: tomorrow
    assert local_due(zone_name="Europe/Moscow", at=time(10, 0), now=now) == datetime(
        2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")
    )
    assert local_due(zone_name="Not/AZone", at=time(10, 0), now=now).tzinfo is not None

    TelegramUserFactory(current_tz="Asia/Vladivostok")
    TelegramUserFactory(current_tz="Europe/London")
    broadcast = broadcast_factory(timing=Timing.LOCAL, local_time=time(10, 0))
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None, now=now)
    dues = sorted(Recipient.objects.values_list("due_at", flat=True))
    assert dues == [
        datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")),
        datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Vladivostok")),
    ]


def test_a_row_is_claimed_once_and_not_while_paused(broadcast_factory):
    TelegramUserFactory()
    broadcast = broadcast_factory()
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    row = Recipient.objects.get()

    assert recipient_start(recipient_id=row.pk) is False  # scheduled, not running yet
    broadcast.status = BroadcastStatus.RUNNING
    broadcast.save()
    assert broadcast_pause(broadcast_id=broadcast.pk, staff_id=None)
    assert recipient_start(recipient_id=row.pk) is False
    assert broadcast_pause(broadcast_id=broadcast.pk, staff_id=None) is False  # already paused
    broadcast.status = BroadcastStatus.RUNNING
    broadcast.save()
    assert recipient_start(recipient_id=row.pk) is True
    assert recipient_start(recipient_id=row.pk) is False  # a second worker gets nothing
    recipient_finish(recipient_id=row.pk, status=RecipientStatus.SENT, message_id=7)
    recipient_finish(recipient_id=row.pk, status=RecipientStatus.FAILED)  # a late duplicate changes nothing
    row.refresh_from_db()
    assert (row.status, row.message_id) == (RecipientStatus.SENT, 7)


def test_a_row_left_sending_by_a_dead_worker_is_never_sent_again(broadcast_factory):
    TelegramUserFactory()
    broadcast = broadcast_factory(status=BroadcastStatus.RUNNING)
    row = Recipient.objects.create(
        broadcast=broadcast, user=TelegramUserFactory(), language="ru", due_at=timezone.now()
    )
    assert recipient_start(recipient_id=row.pk)
    assert recipients_sending_expire(older_than=timedelta(minutes=2)) == 0
    assert recipients_sending_expire(older_than=timedelta(minutes=2), now=timezone.now() + timedelta(minutes=3)) == 1
    row.refresh_from_db()
    assert row.status == RecipientStatus.UNCERTAIN


def test_a_user_who_blocked_after_scheduling_is_not_sent(broadcast_factory):
    user = TelegramUserFactory()
    broadcast = broadcast_factory()
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    broadcast.status = BroadcastStatus.RUNNING
    broadcast.save()
    user.blocked_at = timezone.now()
    user.save()
    row = Recipient.objects.get()
    assert recipient_start(recipient_id=row.pk) is False
    row.refresh_from_db()
    assert row.status == RecipientStatus.BLOCKED


def test_cancel_skips_the_rest_and_resume_only_after_pause(broadcast_factory, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    TelegramUserFactory.create_batch(2)
    broadcast = broadcast_factory(send_at=timezone.now() + timedelta(hours=1))
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    assert broadcast_resume(broadcast_id=broadcast.pk, staff_id=None) is False
    assert broadcast_cancel(broadcast_id=broadcast.pk, staff_id=None)
    assert broadcast_cancel(broadcast_id=broadcast.pk, staff_id=None) is False
    assert set(Recipient.objects.values_list("status", flat=True)) == {RecipientStatus.SKIPPED}
    progress = broadcast_progress(broadcast)
    assert (progress.total, progress.skipped, progress.remaining) == (2, 2, 0)


def test_progress_rate_eta_clicks_and_premium_within_seven_days(broadcast_factory):
    now = timezone.now()
    broadcast = broadcast_factory(status=BroadcastStatus.RUNNING, button_kind="action", button_action="premium")
    users = TelegramUserFactory.create_batch(4)
    for user in users[:3]:
        Recipient.objects.create(
            broadcast=broadcast, user=user, language="ru", due_at=now, status=RecipientStatus.SENT,
            sent_at=now - timedelta(seconds=10),
        )  # fmt: skip
    Recipient.objects.create(broadcast=broadcast, user=users[3], language="ru", due_at=now)
    PaymentFactory(user=users[0], status=PaymentStatus.SUCCEEDED, paid_at=now + timedelta(days=2))
    PaymentFactory(user=users[1], status=PaymentStatus.SUCCEEDED, paid_at=now + timedelta(days=8))
    PaymentFactory(user=users[2], status=PaymentStatus.FAILED, paid_at=None)

    click = broadcast_click(broadcast_id=broadcast.pk, telegram_id=users[0].telegram_id)
    assert (click.action, click.first) == ("premium", True)
    assert broadcast_click(broadcast_id=broadcast.pk, telegram_id=users[0].telegram_id).first is False

    progress = broadcast_progress(broadcast, now=now)
    assert (progress.sent, progress.remaining, progress.clicks, progress.premium) == (3, 1, 1, 1)
    assert progress.rate == 0.1  # 3 in the last minute (rounded)
    assert progress.eta is not None and progress.eta > now


def test_link_button_press_counts_once_and_bad_tokens_are_refused(broadcast_factory):
    broadcast = broadcast_factory(button_kind="url", button_url="https://example.com/sale")
    row = Recipient.objects.create(
        broadcast=broadcast, user=TelegramUserFactory(), language="ru", due_at=timezone.now()
    )
    token = click_token(recipient_id=row.pk)
    assert link_click(token=token) == "https://example.com/sale"
    first = Recipient.objects.get().clicked_at
    assert link_click(token=token) == "https://example.com/sale"
    assert Recipient.objects.get().clicked_at == first
    assert link_click(token="forged") is None


def test_click_redirect_view(client, broadcast_factory):
    broadcast = broadcast_factory(button_kind="url", button_url="https://example.com/sale")
    row = Recipient.objects.create(
        broadcast=broadcast, user=TelegramUserFactory(), language="ru", due_at=timezone.now()
    )
    response = client.get(f"/b/{click_token(recipient_id=row.pk)}")
    assert response.status_code == 302 and response["Location"] == "https://example.com/sale"
    assert client.get("/b/nonsense").status_code == 404


def test_the_dashboard_rollup_counts_deliveries_blocks_and_presses_per_day(broadcast_factory, admin_client):
    from staff.models import DailyMetric
    from staff.services import local_today, metrics_rollup

    now = timezone.now()
    broadcast = broadcast_factory(status=BroadcastStatus.DONE)
    for index, status in enumerate([RecipientStatus.SENT, RecipientStatus.SENT, RecipientStatus.BLOCKED]):
        Recipient.objects.create(
            broadcast=broadcast, user=TelegramUserFactory(), language="ru", due_at=now, status=status, sent_at=now,
            clicked_at=now if index == 0 else None,
        )  # fmt: skip
    today = local_today(now)

    metrics_rollup(start=today, end=today, now=now)

    values = dict(DailyMetric.objects.filter(key__startswith="broadcast_").values_list("key", "value"))
    assert values == {"broadcast_sent": 2, "broadcast_blocked": 1, "broadcast_clicks": 1}
    page = admin_client.get("/admin/").content.decode()
    assert "broadcasts" in page.lower() or "рассылки" in page.lower()
