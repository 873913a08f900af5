"""Reads about broadcasts: the audience, progress and results."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from broadcasts.models import (
    Broadcast,
    BroadcastStatus,
    MissingVariant,
    PremiumFilter,
    Recipient,
    RecipientStatus,
    StaffChat,
)
from payments.models import Payment, PaymentStatus
from users.models import TelegramUser

# Telegram's price of one message sent with allow_paid_broadcast.
STARS_PER_PAID_MESSAGE = Decimal("0.1")
# A purchase counts for a broadcast when it comes within this time of the message.
CONVERSION_WINDOW = timedelta(days=7)
# Progress rate is measured over the last minute.
RATE_WINDOW = timedelta(seconds=60)


def broadcast_audience(broadcast: Broadcast, *, now: datetime | None = None) -> QuerySet[TelegramUser]:
    """The users the broadcast's segment selects; those who blocked the bot are never in it."""
    now = now or timezone.now()
    users = TelegramUser.objects.filter(blocked_at__isnull=True)
    if broadcast.signs:
        users = users.filter(sign__in=broadcast.signs)
    if broadcast.language:
        users = users.filter(language=broadcast.language)
    if broadcast.premium == PremiumFilter.PREMIUM:
        users = users.filter(premium_until__gt=now)
    elif broadcast.premium == PremiumFilter.FREE:
        users = users.filter(Q(premium_until__isnull=True) | Q(premium_until__lte=now))
    if broadcast.active_days:
        users = users.filter(last_seen_at__gte=now - timedelta(days=broadcast.active_days))
    if broadcast.source:
        users = users.filter(source=broadcast.source)
    if broadcast.invited is not None:
        users = users.filter(invited_by__isnull=not broadcast.invited)
    if broadcast.onboarded is not None:
        users = users.filter(onboarded_at__isnull=not broadcast.onboarded)
    if broadcast.notifications_on is not None:
        users = users.filter(notify_enabled=broadcast.notifications_on)
    return users


def broadcast_languages(broadcast: Broadcast) -> set[str]:
    """Languages that have a text."""
    return set(broadcast.variants.exclude(text="").values_list("language", flat=True))


@dataclass(frozen=True)
class AudienceCount:
    """Who the segment selects and how many of them get the message (a missing language may skip some)."""

    selected: int
    receiving: int
    stars: Decimal  # the price of a paid broadcast to them (0 when not paid)


def broadcast_audience_count(broadcast: Broadcast) -> AudienceCount:
    """The counts shown before sending."""
    users = broadcast_audience(broadcast)
    selected = users.count()
    receiving = selected
    if broadcast.missing_variant == MissingVariant.SKIP:
        receiving = users.filter(language__in=broadcast_languages(broadcast)).count()
    stars = receiving * STARS_PER_PAID_MESSAGE if broadcast.paid else Decimal(0)
    return AudienceCount(selected=selected, receiving=receiving, stars=stars)


@dataclass(frozen=True)
class Progress:
    """Where a broadcast stands."""

    total: int
    sent: int
    failed: int
    blocked: int
    skipped: int
    sending: int
    remaining: int
    rate: float  # messages per second over the last minute
    eta: datetime | None
    clicks: int
    premium: int

    @property
    def done(self) -> int:
        """Recipients whose message is settled one way or another."""
        return self.total - self.remaining - self.sending


def broadcast_progress(broadcast: Broadcast, *, now: datetime | None = None) -> Progress:
    """Counts per state, the recent rate and the estimated finish, clicks and Premium bought within 7 days."""
    now = now or timezone.now()
    rows = Recipient.objects.filter(broadcast=broadcast)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    recent = rows.filter(sent_at__gte=now - RATE_WINDOW).exclude(status=RecipientStatus.SKIPPED).count()
    rate = recent / RATE_WINDOW.total_seconds()
    remaining = counts.get(RecipientStatus.PENDING, 0)
    eta = None
    if remaining and rate > 0 and broadcast.status == BroadcastStatus.RUNNING:
        eta = now + timedelta(seconds=remaining / rate)
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(RecipientStatus.SENT, 0),
        failed=counts.get(RecipientStatus.FAILED, 0) + counts.get(RecipientStatus.UNCERTAIN, 0),
        blocked=counts.get(RecipientStatus.BLOCKED, 0),
        skipped=counts.get(RecipientStatus.SKIPPED, 0),
        sending=counts.get(RecipientStatus.SENDING, 0),
        remaining=remaining,
        rate=round(rate, 1),
        eta=eta,
        clicks=rows.filter(clicked_at__isnull=False).count(),
        premium=broadcast_premium_bought(broadcast_id=broadcast.pk),
    )


def broadcast_premium_bought(*, broadcast_id: int) -> int:
    """Recipients who paid for Premium within 7 days after their message was delivered."""
    paid = Payment.objects.filter(
        user_id=OuterRef("user_id"),
        status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDING, PaymentStatus.REFUNDED],
        paid_at__gte=OuterRef("sent_at"),
        paid_at__lte=OuterRef("sent_at") + CONVERSION_WINDOW,
    )
    return Recipient.objects.filter(broadcast_id=broadcast_id, status=RecipientStatus.SENT).filter(Exists(paid)).count()


def broadcasts_due(*, now: datetime | None = None) -> list[int]:
    """Broadcasts with recipients due now (scheduled or sending, not paused or canceled)."""
    now = now or timezone.now()
    due = Recipient.objects.filter(broadcast=OuterRef("pk"), status=RecipientStatus.PENDING, due_at__lte=now)
    active = Broadcast.objects.filter(status__in=[BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING])
    return list(active.filter(Exists(due)).order_by("pk").values_list("pk", flat=True))


def staff_chat_id(*, user_id: int) -> int | None:
    """The Telegram account a staff member linked for test sends."""
    return StaffChat.objects.filter(user_id=user_id).values_list("telegram_id", flat=True).first()
