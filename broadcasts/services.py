"""Writes about broadcasts: scheduling (one recipient row per user), pause, resume, cancel, per-row progress.

The rows make sending exactly once: a row goes pending -> sending (a conditional update right before the
request) -> sent/blocked/failed; a row left "sending" by a worker that died may have reached Telegram and is
never sent again (uncertain).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from broadcasts.models import (
    Broadcast,
    BroadcastStatus,
    BroadcastVariant,
    ButtonKind,
    MissingVariant,
    Recipient,
    RecipientStatus,
    StaffChat,
    Timing,
)
from broadcasts.selectors import broadcast_audience, broadcast_languages
from horoscopes import markup
from users.audit import audit_record

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
PHOTO_MAX_BYTES = 5 * 1024 * 1024
CHUNK = 2000
# The sending lives with Telegram, in bot (this app never imports it): tasks are named, not imported.
RUN_TASK = "bot.broadcast.tasks.broadcast_run"
TEST_TASK = "bot.broadcast.tasks.broadcast_test_send"


class BroadcastError(ValueError):
    """A broadcast cannot do what was asked; the message says why, in the staff member's language."""


def variant_problems(*, text: str, has_photo: bool) -> list[str]:
    """What is wrong with one text: HTML Telegram would refuse, or a length over its limits."""
    if not text.strip():
        return [_("The text is empty.")]
    try:
        markup.parse(text)
    except markup.MarkupError as error:
        return [_("Telegram would refuse this HTML: %(error)s") % {"error": error.telegram_description()}]
    length = markup.visible_length(text)
    if has_photo and length > CAPTION_LIMIT:
        return [
            _("With a picture the text may have at most %(limit)s characters (it has %(length)s).")
            % {"limit": CAPTION_LIMIT, "length": length}
        ]
    if length > TEXT_LIMIT:
        return [
            _("The text may have at most %(limit)s characters (it has %(length)s).")
            % {"limit": TEXT_LIMIT, "length": length}
        ]
    return []


def broadcast_problems(broadcast: Broadcast, *, now: datetime | None = None) -> list[str]:
    """Everything that keeps a broadcast from being scheduled."""
    now = now or timezone.now()
    problems: list[str] = []
    variants = {variant.language: variant for variant in broadcast.variants.all()}
    if broadcast.default_language not in variants:
        problems.append(_("Write a text in the default language."))
    for variant in variants.values():
        problems += [
            f"{variant.get_language_display()}: {p}"
            for p in variant_problems(text=variant.text, has_photo=bool(broadcast.photo))
        ]
        if broadcast.button_kind and not variant.button_text.strip():
            problems.append(_("%(language)s: the button needs a label.") % {"language": variant.get_language_display()})
    if broadcast.button_kind == ButtonKind.URL and not broadcast.button_url:
        problems.append(_("The button needs a link."))
    if broadcast.button_kind == ButtonKind.ACTION and not broadcast.button_action:
        problems.append(_("The button needs an action."))
    if broadcast.timing == Timing.MOMENT and broadcast.send_at and broadcast.send_at < now - timedelta(minutes=5):
        problems.append(_("The moment to send is in the past."))
    if broadcast.timing == Timing.LOCAL and broadcast.local_time is None:
        problems.append(_("Choose the local time to send at."))
    return problems


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Moscow")


def local_due(*, zone_name: str, at: time, now: datetime) -> datetime:
    """The next moment (from now on, within a day) when the user's clock shows `at`."""
    zone = _zone(zone_name)
    local_now = now.astimezone(zone)
    candidate = datetime.combine(local_now.date(), at, tzinfo=zone)
    if candidate < local_now - timedelta(minutes=1):
        candidate = datetime.combine(local_now.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate


@transaction.atomic
def broadcast_schedule(*, broadcast_id: int, staff_id: int | None, now: datetime | None = None) -> int:
    """Freeze the audience into recipient rows and hand the broadcast to the sender; the number of rows.

    Idempotent: a broadcast already scheduled keeps its rows (a double click adds nothing).
    """
    now = now or timezone.now()
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast_id)
    if broadcast.status != BroadcastStatus.DRAFT:
        return broadcast.recipients.count()
    problems = broadcast_problems(broadcast, now=now)
    if problems:
        raise BroadcastError(" ".join(problems))
    languages = broadcast_languages(broadcast)
    skip_missing = broadcast.missing_variant == MissingVariant.SKIP
    moment = broadcast.send_at or now
    rows: list[Recipient] = []
    created = 0
    users = broadcast_audience(broadcast, now=now).order_by("pk").values_list("pk", "language", "current_tz")
    for user_id, language, zone_name in users.iterator(chunk_size=CHUNK):
        if language not in languages and skip_missing:
            continue
        if broadcast.timing == Timing.LOCAL and broadcast.local_time is not None:
            due = local_due(zone_name=zone_name, at=broadcast.local_time, now=now)
        else:
            due = moment
        variant = language if language in languages else broadcast.default_language
        rows.append(Recipient(broadcast_id=broadcast.pk, user_id=user_id, language=variant, due_at=due))
        if len(rows) >= CHUNK:
            created += len(Recipient.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    if rows:
        created += len(Recipient.objects.bulk_create(rows, ignore_conflicts=True))
    broadcast.status = BroadcastStatus.SCHEDULED
    broadcast.scheduled_at = now
    broadcast.save(update_fields=["status", "scheduled_at"])
    if staff_id is not None:
        audit_record(staff_id=staff_id, obj=broadcast, message=f"Scheduled the broadcast to {created} users")
    if moment <= now and broadcast.timing == Timing.MOMENT:
        transaction.on_commit(lambda: async_task(RUN_TASK, broadcast_id, group="broadcasts"))
    return created


def _set_status(
    *, broadcast_id: int, staff_id: int | None, allowed: set[BroadcastStatus], to: str, message: str
) -> bool:
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().get(pk=broadcast_id)
        if broadcast.status not in allowed:
            return False
        broadcast.status = to
        fields = ["status"]
        if to in (BroadcastStatus.CANCELED, BroadcastStatus.DONE):
            broadcast.finished_at = timezone.now()
            fields.append("finished_at")
        broadcast.save(update_fields=fields)
        if to == BroadcastStatus.CANCELED:
            broadcast.recipients.filter(status=RecipientStatus.PENDING).update(
                status=RecipientStatus.SKIPPED, error="canceled"
            )
        if staff_id is not None:
            audit_record(staff_id=staff_id, obj=broadcast, message=message)
    return True


def broadcast_pause(*, broadcast_id: int, staff_id: int | None) -> bool:
    """Stop sending after the messages already in flight; False when it was not being sent."""
    active = {BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING}
    return _set_status(
        broadcast_id=broadcast_id, staff_id=staff_id, allowed=active, to=BroadcastStatus.PAUSED, message="Paused"
    )


def broadcast_resume(*, broadcast_id: int, staff_id: int | None) -> bool:
    """Go on where the broadcast stopped; False when it was not paused."""
    resumed = _set_status(
        broadcast_id=broadcast_id,
        staff_id=staff_id,
        allowed={BroadcastStatus.PAUSED},
        to=BroadcastStatus.RUNNING,
        message="Resumed",
    )
    if resumed:
        async_task(RUN_TASK, broadcast_id, group="broadcasts")
    return resumed


def broadcast_cancel(*, broadcast_id: int, staff_id: int | None) -> bool:
    """Send nothing more; the rows not sent yet are skipped."""
    active = {BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING, BroadcastStatus.PAUSED}
    return _set_status(
        broadcast_id=broadcast_id, staff_id=staff_id, allowed=active, to=BroadcastStatus.CANCELED, message="Canceled"
    )


def broadcast_sending(*, broadcast_id: int) -> bool:
    """Whether the broadcast may send now (scheduled or running); a scheduled one becomes running."""
    Broadcast.objects.filter(pk=broadcast_id, status=BroadcastStatus.SCHEDULED).update(status=BroadcastStatus.RUNNING)
    return Broadcast.objects.filter(pk=broadcast_id, status=BroadcastStatus.RUNNING).exists()


def recipients_due(*, broadcast_id: int, now_fn=timezone.now, chunk: int = 100) -> Iterator[Recipient]:
    """Pending rows due now, chunk by chunk, while the broadcast is running (a pause stops it within a chunk)."""
    last = 0
    while broadcast_sending(broadcast_id=broadcast_id):
        rows = list(
            Recipient.objects.filter(
                broadcast_id=broadcast_id, status=RecipientStatus.PENDING, due_at__lte=now_fn(), pk__gt=last
            )
            .select_related("user")
            .order_by("pk")[:chunk]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].pk


def recipient_start(*, recipient_id: int, now: datetime | None = None) -> bool:
    """Claim one row right before its request: False when another worker took it, the broadcast stopped, or
    the user blocked the bot since it was scheduled (the row then says so)."""
    now = now or timezone.now()
    claimed = Recipient.objects.filter(
        pk=recipient_id,
        status=RecipientStatus.PENDING,
        broadcast__status=BroadcastStatus.RUNNING,
        user__blocked_at__isnull=True,
    ).update(status=RecipientStatus.SENDING, started_at=now)
    if claimed:
        return True
    Recipient.objects.filter(pk=recipient_id, status=RecipientStatus.PENDING, user__blocked_at__isnull=False).update(
        status=RecipientStatus.BLOCKED, sent_at=now, error="blocked the bot before sending"
    )
    return False


def recipient_finish(*, recipient_id: int, status: str, message_id: int | None = None, error: str = "") -> None:
    """Record what became of one row."""
    Recipient.objects.filter(pk=recipient_id, status=RecipientStatus.SENDING).update(
        status=status, message_id=message_id, error=error[:300], sent_at=timezone.now()
    )


def recipients_sending_expire(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Rows a killed worker left "sending": maybe delivered, so never sent again."""
    now = now or timezone.now()
    return Recipient.objects.filter(status=RecipientStatus.SENDING, started_at__lt=now - older_than).update(
        status=RecipientStatus.UNCERTAIN, sent_at=now, error="the worker stopped while sending: maybe delivered"
    )


def broadcast_finish_if_done(*, broadcast_id: int) -> bool:
    """A running broadcast with nothing pending or in flight is finished."""
    open_rows = Recipient.objects.filter(
        broadcast_id=broadcast_id, status__in=[RecipientStatus.PENDING, RecipientStatus.SENDING]
    )
    if open_rows.exists():
        return False
    return bool(
        Broadcast.objects.filter(
            pk=broadcast_id, status__in=[BroadcastStatus.RUNNING, BroadcastStatus.SCHEDULED]
        ).update(status=BroadcastStatus.DONE, finished_at=timezone.now())
    )


def broadcast_photo_remember(*, broadcast_id: int, file_id: str) -> None:
    """Keep Telegram's id of the uploaded picture: later messages send the id, not the bytes."""
    if file_id:
        Broadcast.objects.filter(pk=broadcast_id, photo_file_id="").update(photo_file_id=file_id)


@dataclass(frozen=True)
class Click:
    """A press of a broadcast's button: the action to run (empty for none) and whether it was the first."""

    action: str
    first: bool


def broadcast_click(*, broadcast_id: int, telegram_id: int, now: datetime | None = None) -> Click:
    """Count a press of the broadcast's button once per user; the action the button stands for."""
    action = Broadcast.objects.filter(pk=broadcast_id).values_list("button_action", flat=True).first() or ""
    first = Recipient.objects.filter(
        broadcast_id=broadcast_id, user__telegram_id=telegram_id, clicked_at__isnull=True
    ).update(clicked_at=now or timezone.now())
    return Click(action=action, first=bool(first))


@transaction.atomic
def broadcast_test_send(*, broadcast_id: int, staff_id: int, telegram_id: int) -> None:
    """Link the staff member's Telegram account (once) and queue every language variant to it."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    problems = broadcast_problems(broadcast)
    if problems:
        raise BroadcastError(" ".join(problems))
    staff_chat_link(staff_id=staff_id, telegram_id=telegram_id)
    audit_record(staff_id=staff_id, obj=broadcast, message=f"Test-sent to Telegram id {telegram_id}")
    transaction.on_commit(lambda: async_task(TEST_TASK, broadcast_id, telegram_id, group="broadcasts"))


CLICK_SALT = "broadcasts.click"


def click_token(*, recipient_id: int) -> str:
    """A signed token for a link button's redirect: which recipient pressed it."""
    return signing.dumps(recipient_id, salt=CLICK_SALT, compress=True)


def link_click(*, token: str, now: datetime | None = None) -> str | None:
    """Count a press of a link button (once per recipient); the address to go on to, None for a bad token."""
    try:
        recipient_id = int(signing.loads(token, salt=CLICK_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    row = Recipient.objects.filter(pk=recipient_id).select_related("broadcast").first()
    if row is None or not row.broadcast.button_url:
        return None
    Recipient.objects.filter(pk=recipient_id, clicked_at__isnull=True).update(clicked_at=now or timezone.now())
    return row.broadcast.button_url


def staff_chat_link(*, staff_id: int, telegram_id: int) -> StaffChat:
    """Link a staff member's Telegram account for test sends (replacing an earlier one)."""
    chat, _created = StaffChat.objects.update_or_create(user_id=staff_id, defaults={"telegram_id": telegram_id})
    return chat


def variant_for(broadcast: Broadcast, language: str) -> BroadcastVariant | None:
    """The text for a language, or the default language's text."""
    variants = {variant.language: variant for variant in broadcast.variants.all()}
    return variants.get(language) or variants.get(broadcast.default_language)
