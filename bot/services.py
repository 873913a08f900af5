"""Writes of the bot app: claiming Telegram updates and recording heartbeats."""

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_q.tasks import async_task

from bot.models import Heartbeat, TelegramUpdate, UpdateStatus
from users.services import user_message_record

if TYPE_CHECKING:
    from users.models import TelegramUser

UPDATE_KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "pre_checkout_query",
    "my_chat_member",
    "shipping_query",
    "inline_query",
    "channel_post",
    "chat_member",
)


@dataclass(frozen=True)
class UpdateMeta:
    kind: str
    chat_id: int | None


def update_describe(data: dict) -> UpdateMeta:
    """Which kind of update this is and which chat it belongs to, read defensively from raw JSON."""
    for kind in UPDATE_KINDS:
        body = data.get(kind)
        if isinstance(body, dict):
            chat = body.get("chat")
            if not isinstance(chat, dict):
                message = body.get("message")
                chat = message.get("chat") if isinstance(message, dict) else None
            if not isinstance(chat, dict):
                chat = body.get("from")
            chat_id = chat.get("id") if isinstance(chat, dict) else None
            return UpdateMeta(kind=kind, chat_id=chat_id if _is_int(chat_id) else None)
    return UpdateMeta(kind="unknown", chat_id=None)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


class ClaimState(enum.StrEnum):
    CLAIMED = "claimed"  # ours to process now (new, or taken over from a worker whose lease ran out)
    BUSY = "busy"  # another worker holds a live lease on it: not done yet, so Telegram must try again
    FINISHED = "finished"  # done, failed or throttled: a redelivery has nothing left to do
    THROTTLED = "throttled"  # recorded just now as throttled (its sender is over the limit): skip it


@dataclass(frozen=True)
class UpdateClaim:
    state: ClaimState
    attempt: int = 0  # which attempt holds the lease: renewals by an earlier attempt no longer count
    retry_after: int = 0  # for BUSY: seconds until the lease runs out unless renewed


def _lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.TELEGRAM_CLAIM_LEASE_SECONDS)


def update_claim(*, update_id: int, payload: dict, status: str = UpdateStatus.PROCESSING) -> UpdateClaim:
    """Claim an update for processing (or record it as throttled); the state of the claim after that."""
    now = timezone.now()
    meta = update_describe(payload)
    processing = status == UpdateStatus.PROCESSING
    claim = TelegramUpdate(
        update_id=update_id,
        status=status,
        kind=meta.kind,
        chat_id=meta.chat_id,
        payload=payload if processing else None,
        started_at=now,
        lease_until=_lease_until(now) if processing else None,
        finished_at=None if processing else now,
    )
    if _insert_if_new(claim):
        return UpdateClaim(ClaimState.CLAIMED if processing else ClaimState.THROTTLED, attempt=1)
    # A redelivery: what it needs depends on the first delivery, whatever the limit says now.
    with transaction.atomic():
        held = TelegramUpdate.objects.select_for_update().filter(update_id=update_id).first()
        if held is None or held.status != UpdateStatus.PROCESSING:
            return UpdateClaim(ClaimState.FINISHED)
        # Rows written before leases existed have none: their lease is the old fixed 90 s.
        lease_until = held.lease_until or held.started_at + timedelta(seconds=90)
        if lease_until > now:
            return UpdateClaim(
                ClaimState.BUSY, held.attempts, retry_after=math.ceil((lease_until - now).total_seconds())
            )
        # Whoever held it stopped renewing its lease (the process died); Telegram's redelivery is our chance.
        held.started_at = now
        held.lease_until = _lease_until(now)
        held.attempts += 1
        held.payload = payload
        held.save(update_fields=["started_at", "lease_until", "attempts", "payload"])
        return UpdateClaim(ClaimState.CLAIMED, held.attempts)


def _insert_if_new(claim: TelegramUpdate) -> bool:
    """INSERT unless the update_id exists; whether it was new.

    The common case, a new update, is one statement: the UNIQUE update_id settles races, and ON CONFLICT
    spares the transaction (or savepoint) a failing INSERT would need around it.
    """
    fields = [field for field in TelegramUpdate._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(claim, add=True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(TelegramUpdate._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608 - our names, values are parameters
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT ({quote('update_id')}) DO NOTHING RETURNING 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone() is not None


def update_lease_renew(*, update_id: int, attempt: int) -> bool:
    """Extend the lease of an update still being processed by this attempt; False when it is no longer ours."""
    return bool(
        TelegramUpdate.objects.filter(update_id=update_id, status=UpdateStatus.PROCESSING, attempts=attempt).update(
            lease_until=_lease_until(timezone.now())
        )
    )


def update_finish(*, update_id: int) -> None:
    """Mark a claimed update as done, unless a handler already marked it failed."""
    TelegramUpdate.objects.filter(update_id=update_id, status=UpdateStatus.PROCESSING).update(
        status=UpdateStatus.DONE, finished_at=timezone.now(), lease_until=None, payload=None, error=""
    )


def update_fail(*, update_id: int, error: str) -> None:
    """Mark an update as failed; the raw update stays for staff to inspect or replay."""
    TelegramUpdate.objects.filter(update_id=update_id).update(
        status=UpdateStatus.FAILED, finished_at=timezone.now(), lease_until=None, error=error[:10_000]
    )


@transaction.atomic
def update_reclaim_failed(*, update_id: int) -> dict | None:
    """Take a failed update back for another attempt (staff replay); its raw payload, or None."""
    claim = TelegramUpdate.objects.select_for_update().filter(update_id=update_id).first()
    if claim is None or claim.status != UpdateStatus.FAILED or not claim.payload:
        return None
    claim.status = UpdateStatus.PROCESSING
    claim.started_at = timezone.now()
    claim.lease_until = _lease_until(claim.started_at)
    claim.attempts += 1
    claim.error = ""
    claim.save(update_fields=["status", "started_at", "lease_until", "attempts", "error"])
    return claim.payload


def updates_prune(*, older_than_days: int | None = None) -> int:
    """Delete claim rows older than the retention period; the number deleted."""
    days = settings.TELEGRAM_CLAIM_KEEP_DAYS if older_than_days is None else older_than_days
    deleted, _ = TelegramUpdate.objects.filter(received_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


def updates_export_for_user(user: "TelegramUser") -> tuple[str, list[dict]]:
    """/my_data: the raw updates still kept (failed ones, for staff to replay) of the user's chat or about them."""
    rows = TelegramUpdate.objects.filter(payload__isnull=False).order_by("received_at")
    kept = [
        {"update_id": r.update_id, "received_at": r.received_at.isoformat(), "status": r.status, "update": r.payload}
        for r in rows.iterator(chunk_size=500)
        if r.chat_id == user.telegram_id or _mentions(r.payload, user.telegram_id)
    ]
    return "telegram_updates_kept", kept


def _mentions(node: object, telegram_id: int) -> bool:
    """Whether a raw update holds this Telegram id anywhere (as the sender, a chat, a member, a payer...)."""
    if isinstance(node, dict):
        return any(_mentions(value, telegram_id) for value in node.values())
    if isinstance(node, list):
        return any(_mentions(value, telegram_id) for value in node)
    return node == telegram_id and isinstance(node, int) and not isinstance(node, bool)


def updates_forget_user(user: "TelegramUser") -> None:
    """/delete_me: keep the update ids (replays must stay duplicates), drop the chat, raw updates and errors.

    Raw updates are kept only for failed (or unfinished) ones; those of other chats that mention the person
    (a group message they sent, a payment) lose their raw update and error too.
    """
    TelegramUpdate.objects.filter(chat_id=user.telegram_id).update(chat_id=None, payload=None, error="")
    kept = TelegramUpdate.objects.filter(payload__isnull=False).values_list("pk", "payload")
    mentioning = [pk for pk, payload in kept.iterator(chunk_size=500) if _mentions(payload, user.telegram_id)]
    for start in range(0, len(mentioning), 500):
        TelegramUpdate.objects.filter(pk__in=mentioning[start : start + 500]).update(payload=None, error="")


def task_results_prune(*, older_than_days: int | None = None, chunk: int = 5_000) -> int:
    """Keep the task cluster's results bounded: failures and successes older than TASK_RESULTS_KEEP_DAYS, and
    successes beyond Q_CLUSTER["save_limit"] (django-q2 trims only one per new success); the number deleted."""
    from django_q.models import Task

    days = settings.TASK_RESULTS_KEEP_DAYS if older_than_days is None else older_than_days
    old = Task.objects.filter(stopped__lt=timezone.now() - timedelta(days=days)).order_by("stopped")
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:chunk]):
        deleted += Task.objects.filter(pk__in=ids).delete()[0]
    limit = settings.Q_CLUSTER.get("save_limit", 250)
    if limit > 0:
        beyond = Task.objects.filter(success=True).order_by("-stopped").values_list("pk", flat=True)[limit:]
        while ids := list(beyond[:chunk]):
            deleted += Task.objects.filter(pk__in=ids).delete()[0]
    return deleted


def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that the named process is alive now."""
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return beat


@transaction.atomic
def staff_message_queue(*, user_id: int, staff_id: int, text: str, submission_key: str = "") -> None:
    """Record a staff message in the user's history and have the worker deliver it once this commits.

    Raises users.services.SubmissionReplayed when the same form was already submitted.
    """
    user_message_record(user_id=user_id, staff_id=staff_id, text=text, submission_key=submission_key)
    transaction.on_commit(lambda: async_task("bot.tasks.staff_message_send", user_id, text, group="staff messages"))
