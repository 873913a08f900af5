"""Writes of the staff panel: the role groups kept in line with staff/roles.py, staff members' second factor.

The dashboard's rollup: raw events of a range of days become DailyMetric rows, one number per day and key.

Days are calendar days in settings.TIME_ZONE (Moscow), whatever the user's own zone: an event at 01:00 in
Vladivostok (18:00 the day before in Moscow) counts on the Moscow day. The one exception is the daily push,
which is kept per user's local date and counted on that date.

Recomputing a day replaces its rows (an upsert, then rows of that day not written by this run are deleted),
so a run may be repeated or overlap another. Numbers whose raw rows are pruned after a while (claimed updates,
push deliveries, the generation log) are only recomputed while those rows are kept; older days keep the
numbers they were given.

Activity: Telegram updates are kept a few days, and a user row keeps only its last visit. So a day's DAU is
the distinct private chats whose updates arrived that day (exact while the updates are kept), and WAU and MAU
are taken from `last_seen_at` (users seen since the window opened) only for today and yesterday, which is
exact for the window ending when the nightly run looks. Retention is rolling: a user of a weekly cohort is
retained at DN when they were seen N days or more after their first visit.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Avg, BooleanField, Count, Exists, ExpressionWrapper, F, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.tasks import async_task

from bot.models import Lease, TelegramUpdate, UpdateStatus
from broadcasts.models import Recipient, RecipientStatus
from horoscopes.daily.models import DailyHoroscope, PersonalHoroscope, PushDelivery
from horoscopes.llm.models import GenerationLog, GenerationStatus
from horoscopes.tarot.models import TarotReading
from payments.models import Payment, PaymentStatus, Subscription
from staff.models import DailyMetric
from staff.roles import OWNER_EXCLUDED_APPS, OWNER_EXCLUDED_CODENAMES, ROLES, Role
from users.audit import audit_record
from users.models import TelegramUser


@dataclass
class RoleSync:
    """What one sync did: groups created, permissions added or removed, codenames not (yet) defined."""

    created: list[str] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _key(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _wanted(role: Role, known: dict[str, Permission], result: RoleSync) -> set[str]:
    if role.everything:
        return {
            name
            for name, permission in known.items()
            if permission.content_type.app_label not in OWNER_EXCLUDED_APPS
            and permission.codename not in OWNER_EXCLUDED_CODENAMES
        }
    wanted = set()
    for name in (*role.permissions, *role.pending):
        if name in known:
            wanted.add(name)
        elif name not in result.missing:
            result.missing.append(name)
    return wanted


def roles_sync(*, prune: bool = False, using: str = "default") -> RoleSync:
    """Create the role groups and add their permissions; with prune, also remove permissions not listed."""
    with transaction.atomic(using=using):
        result = _sync(prune=prune, using=using)
    return result


def _sync(*, prune: bool, using: str) -> RoleSync:
    result = RoleSync()
    known = {_key(p): p for p in Permission.objects.using(using).select_related("content_type")}
    for role in ROLES:
        group, created = Group.objects.using(using).get_or_create(name=role.name)
        if created:
            result.created.append(role.name)
        wanted = _wanted(role, known, result)
        current = {_key(p): p for p in group.permissions.select_related("content_type")}
        to_add = sorted(wanted - current.keys())
        if to_add:
            group.permissions.add(*(known[name] for name in to_add))
            result.added[role.name] = to_add
        if prune:
            to_remove = sorted(current.keys() - wanted)
            if to_remove:
                group.permissions.remove(*(current[name] for name in to_remove))
                result.removed[role.name] = to_remove
    return result


def otp_device_start(*, user: User) -> TOTPDevice:
    """The staff member's authenticator being set up: unconfirmed until they enter a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=gettext("Authenticator app"), confirmed=False)


@transaction.atomic
def otp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the device being set up with a code from it; the older ones go. None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(staff_id=user.pk, obj=user, message=gettext("Set up a second factor (authenticator app)."))
    return device


@transaction.atomic
def otp_device_remove(*, user: User, by: User) -> int:
    """Remove a staff member's authenticators (theirs, or an owner for a lost phone); how many went."""
    count, _details = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit_record(staff_id=by.pk, obj=user, message=gettext("Removed the second factor (authenticator app)."))
    return count


PAID = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
INVITE = "@invite"  # the source dimension of users who came by a friend's invite and no campaign
RETENTION_DAYS = (1, 7, 30)

USER_KEYS = (
    "users_new",
    "users_total",
    "users_invited",
    "source_users",
    "source_paying",
    "funnel_started",
    "funnel_birth_date",
    "funnel_reading",
    "funnel_paid",
    "paying_new",
    "paying_total",
    "paying_users",
    "payments",
    "revenue",
    "refunds",
    "refunds_amount",
    "renewals",
    "subs_active",
    "subs_new",
    "subs_ended",
    "horoscopes_written",
)
UPDATE_KEYS = ("dau", "updates_total", "updates_failed", "webhook_p50_ms", "webhook_p99_ms")
PUSH_KEYS = ("pushes",)
BROADCAST_KEYS = ("broadcast_sent", "broadcast_blocked", "broadcast_clicks")
LLM_KEYS = ("llm_cost", "llm_calls", "llm_latency_ms")
SNAPSHOT_KEYS = ("wau", "mau")
RETENTION_KEYS = ("cohort_size", *(f"retained_d{n}" for n in RETENTION_DAYS))


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), local_zone()).date()


def day_start(day: date) -> datetime:
    """Midnight starting `day` in settings.TIME_ZONE, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return values[max(0, math.ceil(share * len(values)) - 1)]


@dataclass
class _Rollup:
    rows: dict[tuple[date, str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    # (keys, first day, last day): what this run owns and may replace.
    areas: list[tuple[tuple[str, ...], date, date]] = field(default_factory=list)

    def add(self, day: date, key: str, value: object, dimension: str = "") -> None:
        self.rows[(day, key, dimension)] += Decimal(str(value or 0))


def _by_day(queryset, field_name: str):
    return queryset.annotate(day=TruncDate(field_name, tzinfo=local_zone())).values("day")


def _users(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    users = TelegramUser.objects.filter(first_seen_at__gte=since, first_seen_at__lt=until)
    paid = Payment.objects.filter(user=OuterRef("pk"), status__in=PAID)
    read = TarotReading.objects.filter(user=OuterRef("pk"))
    personal = PersonalHoroscope.objects.filter(user=OuterRef("pk"))
    for row in _by_day(users, "first_seen_at").annotate(
        new=Count("id"),
        by_invite=Count("id", filter=Q(invited_by__isnull=False)),
        birth=Count("id", filter=Q(birth_date__isnull=False)),
        reading=Count("id", filter=Q(Exists(read)) | Q(Exists(personal))),
        paying=Count("id", filter=Q(Exists(paid))),
    ):
        day = row["day"]
        result.add(day, "users_new", row["new"])
        result.add(day, "users_invited", row["by_invite"])
        result.add(day, "funnel_started", row["new"])
        result.add(day, "funnel_birth_date", row["birth"])
        result.add(day, "funnel_reading", row["reading"])
        result.add(day, "funnel_paid", row["paying"])
    by_source = (
        users.annotate(
            day=TruncDate("first_seen_at", tzinfo=local_zone()),
            came_invited=ExpressionWrapper(Q(invited_by__isnull=False), output_field=BooleanField()),
        )
        .values("day", "source", "came_invited")
        .annotate(total=Count("id"), paying=Count("id", filter=Q(Exists(paid))))
    )
    for row in by_source:
        dimension = row["source"] or (INVITE if row["came_invited"] else "")
        result.add(row["day"], "source_users", row["total"], dimension)
        result.add(row["day"], "source_paying", row["paying"], dimension)

    # Running totals: everyone before the range, then each day's newcomers.
    total = TelegramUser.objects.filter(first_seen_at__lt=since).count()
    first_payments = (
        Payment.objects.filter(status__in=PAID, user__isnull=False, paid_at__isnull=False)
        .values("user_id")
        .annotate(first=Min("paid_at"))
        .values_list("first", flat=True)
    )
    zone = local_zone()
    payers_before = 0
    payers_on: dict[date, int] = defaultdict(int)
    for first in first_payments:
        first_day = timezone.localtime(first, zone).date()
        if first_day < start:
            payers_before += 1
        elif first_day <= end:
            payers_on[first_day] += 1
    paying = payers_before
    for day in _days(start, end):
        total += int(result.rows.get((day, "users_new", ""), 0))
        paying += payers_on.get(day, 0)
        result.add(day, "users_total", total)
        result.add(day, "paying_new", payers_on.get(day, 0))
        result.add(day, "paying_total", paying)


def _payments(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    paid = Payment.objects.filter(status__in=PAID, paid_at__gte=since, paid_at__lt=until)
    for row in _by_day(paid, "paid_at").annotate(payers=Count("user_id", distinct=True)).values("day", "payers"):
        result.add(row["day"], "paying_users", row["payers"])
    for row in (
        _by_day(paid, "paid_at")
        .values("day", "currency", "provider", "plan__code")
        .annotate(count=Count("id"), amount=Sum("amount"), renewals=Count("id", filter=Q(is_recurring=True)))
    ):
        dimension = f"{row['currency']}:{row['provider']}:{row['plan__code'] or ''}"
        result.add(row["day"], "payments", row["count"], dimension)
        result.add(row["day"], "revenue", row["amount"], dimension)
        result.add(row["day"], "renewals", row["renewals"])
    refunded = Payment.objects.filter(status=PaymentStatus.REFUNDED, refunded_at__gte=since, refunded_at__lt=until)
    for row in (
        _by_day(refunded, "refunded_at")
        .values("day", "currency", "provider", "plan__code")
        .annotate(count=Count("id"), amount=Sum("amount"))
    ):
        dimension = f"{row['currency']}:{row['provider']}:{row['plan__code'] or ''}"
        result.add(row["day"], "refunds", row["count"], dimension)
        result.add(row["day"], "refunds_amount", row["amount"], dimension)


def _subscriptions(result: _Rollup, start: date, end: date, now: datetime) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    subscriptions: list[tuple[datetime, datetime]] = [
        (created, expires)
        for created, expires in Subscription.objects.filter(created_at__lt=until, expires_at__gte=since).values_list(
            "created_at", "expires_at"
        )
        if expires is not None
    ]
    zone = local_zone()
    for day in _days(start, end):
        closes = day_start(day + timedelta(days=1))
        result.add(day, "subs_active", len([1 for created, expires in subscriptions if created < closes < expires]))
        result.add(day, "subs_new", 0)
        result.add(day, "subs_ended", 0)
    for created, expires in subscriptions:
        if since <= created < until:
            result.add(timezone.localtime(created, zone).date(), "subs_new", 1)
        # An expiry that has passed was not renewed: the subscription ended that day (churn).
        if since <= expires < until and expires <= now:
            result.add(timezone.localtime(expires, zone).date(), "subs_ended", 1)


def _texts(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    for model, field_name, dimension in (
        (DailyHoroscope, "created_at", "daily"),
        (PersonalHoroscope, "ready_at", "personal"),
        (TarotReading, "interpreted_at", "tarot"),
    ):
        written = model.objects.filter(**{f"{field_name}__gte": since, f"{field_name}__lt": until})
        for row in _by_day(written, field_name).annotate(count=Count("id")):
            result.add(row["day"], "horoscopes_written", row["count"], dimension)


def _llm(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    calls = GenerationLog.objects.filter(created_at__gte=since, created_at__lt=until).exclude(
        status=GenerationStatus.OFFLINE
    )
    for row in _by_day(calls, "created_at").annotate(
        cost=Sum("cost"), count=Count("id"), latency=Avg("latency_ms", filter=Q(status=GenerationStatus.OK))
    ):
        result.add(row["day"], "llm_cost", row["cost"])
        result.add(row["day"], "llm_calls", row["count"])
        result.add(row["day"], "llm_latency_ms", round(row["latency"] or 0))


def _pushes(result: _Rollup, start: date, end: date) -> None:
    rows = (
        PushDelivery.objects.filter(local_date__gte=start, local_date__lte=end)
        .values("local_date", "status")
        .annotate(count=Count("id"))
    )
    for row in rows:
        result.add(row["local_date"], "pushes", row["count"], row["status"])


def _broadcasts(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    rows = Recipient.objects.filter(sent_at__gte=since, sent_at__lt=until)
    for row in _by_day(rows, "sent_at").annotate(
        sent=Count("id", filter=Q(status=RecipientStatus.SENT)),
        blocked=Count("id", filter=Q(status=RecipientStatus.BLOCKED)),
    ):
        result.add(row["day"], "broadcast_sent", row["sent"])
        result.add(row["day"], "broadcast_blocked", row["blocked"])
    clicks = Recipient.objects.filter(clicked_at__gte=since, clicked_at__lt=until)
    for row in _by_day(clicks, "clicked_at").annotate(count=Count("id")):
        result.add(row["day"], "broadcast_clicks", row["count"])


def _updates(result: _Rollup, start: date, end: date) -> None:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    updates = TelegramUpdate.objects.filter(received_at__gte=since, received_at__lt=until)
    for row in _by_day(updates, "received_at").annotate(
        total=Count("id"),
        failed=Count("id", filter=Q(status=UpdateStatus.FAILED)),
        chats=Count("chat_id", filter=Q(chat_id__gt=0), distinct=True),
    ):
        result.add(row["day"], "updates_total", row["total"])
        result.add(row["day"], "updates_failed", row["failed"])
        result.add(row["day"], "dau", row["chats"])
    durations: dict[date, list[float]] = defaultdict(list)
    zone = local_zone()
    finished = (
        updates.filter(finished_at__isnull=False).values_list("received_at", "finished_at").iterator(chunk_size=10_000)
    )
    for received, done in finished:
        if done is None:
            continue
        durations[timezone.localtime(received, zone).date()].append((done - received).total_seconds() * 1000)
    for day, values in durations.items():
        values.sort()
        result.add(day, "webhook_p50_ms", round(_percentile(values, 0.5), 1))
        result.add(day, "webhook_p99_ms", round(_percentile(values, 0.99), 1))


def _snapshots(result: _Rollup, days: list[date]) -> None:
    for day in days:
        closes = day_start(day + timedelta(days=1))
        seen = TelegramUser.objects.filter(first_seen_at__lt=closes)
        result.add(day, "wau", seen.filter(last_seen_at__gte=day_start(day - timedelta(days=6))).count())
        result.add(day, "mau", seen.filter(last_seen_at__gte=day_start(day - timedelta(days=29))).count())


def _retention(result: _Rollup, first_week: date, last_week: date) -> None:
    since, until = day_start(first_week), day_start(last_week + timedelta(days=7))
    users = TelegramUser.objects.filter(first_seen_at__gte=since, first_seen_at__lt=until)
    counts = {
        f"d{n}": Count("id", filter=Q(last_seen_at__gte=F("first_seen_at") + timedelta(days=n))) for n in RETENTION_DAYS
    }
    for row in _by_day(users, "first_seen_at").annotate(size=Count("id"), **counts):
        cohort = week_start(row["day"])
        result.add(cohort, "cohort_size", row["size"])
        for n in RETENTION_DAYS:
            result.add(cohort, f"retained_d{n}", row[f"d{n}"])


def metrics_rollup(*, start: date, end: date, now: datetime | None = None) -> int:
    """Recompute the dashboard's rows of the days start..end (settings.TIME_ZONE days); returns rows written."""
    if end < start:
        raise ValueError("the range ends before it starts")
    now = now or timezone.now()
    today = local_today(now)
    end = min(end, today)
    result = _Rollup()
    stamp = timezone.now()

    _users(result, start, end)
    _payments(result, start, end)
    _subscriptions(result, start, end, now)
    _texts(result, start, end)
    result.areas.append((USER_KEYS, start, end))
    _broadcasts(result, start, end)
    result.areas.append((BROADCAST_KEYS, start, end))

    # Raw rows that are pruned: only the days they still cover.
    for keys, keep_days, compute in (
        (UPDATE_KEYS, settings.TELEGRAM_CLAIM_KEEP_DAYS, _updates),
        (PUSH_KEYS, settings.PUSH_DELIVERIES_KEEP_DAYS, _pushes),
        (LLM_KEYS, settings.GENERATIONS_KEEP_DAYS, _llm),
    ):
        kept_from = max(start, today - timedelta(days=keep_days - 1))
        if kept_from <= end:
            compute(result, kept_from, end)
            result.areas.append((keys, kept_from, end))

    snapshot_days = [day for day in _days(max(start, today - timedelta(days=1)), end)]
    if snapshot_days:
        _snapshots(result, snapshot_days)
        result.areas.append((SNAPSHOT_KEYS, snapshot_days[0], snapshot_days[-1]))

    first_week, last_week = week_start(start), week_start(end)
    _retention(result, first_week, last_week)
    result.areas.append((RETENTION_KEYS, first_week, last_week))
    for week in _days(first_week, last_week)[::7]:
        result.add(week, "cohort_size", 0)

    # In one order, so that two runs writing the same rows at once wait for each other instead of deadlocking.
    rows = [
        DailyMetric(day=day, key=key, dimension=dimension, value=value, computed_at=stamp)
        for (day, key, dimension), value in sorted(result.rows.items())
    ]
    with transaction.atomic():
        DailyMetric.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["day", "key", "dimension"],
            update_fields=["value", "computed_at"],
        )
        for owned, first, last in result.areas:
            DailyMetric.objects.filter(key__in=owned, day__gte=first, day__lte=last, computed_at__lt=stamp).delete()
    return len(rows)


REFRESH_LEASE_SECONDS = 60


@transaction.atomic
def dashboard_refresh_request(*, start: date, end: date) -> bool:
    """Queue the rollup of start..end unless the same range was queued within the last minute (double clicks)."""
    now = timezone.now()
    name = f"dashboard-refresh:{start.isoformat()}:{end.isoformat()}"
    # One lease per range ever clicked would pile up: the lapsed ones go.
    Lease.objects.filter(name__startswith="dashboard-refresh:", expires_at__lt=now).exclude(name=name).delete()
    lease, created = Lease.objects.select_for_update().get_or_create(
        name=name, defaults={"holder": "dashboard", "expires_at": now + timedelta(seconds=REFRESH_LEASE_SECONDS)}
    )
    if not created:
        if lease.expires_at > now:
            return False
        lease.expires_at = now + timedelta(seconds=REFRESH_LEASE_SECONDS)
        lease.save(update_fields=["expires_at"])
    transaction.on_commit(lambda: async_task("staff.tasks.dashboard_rollup", start.isoformat(), end.isoformat()))
    return True
