"""Writes of the support inbox: a user's message in, a staff answer out, its delivery, closing, erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_q.tasks import async_task

from support.models import Direction, Status, SupportMessage, SupportRequest, Topic
from users.audit import audit_record
from users.bot_config import bot_config
from users.models import TelegramUser

# The bot delivers staff answers (it owns the Telegram sender); named by path, since this app sits below it.
DELIVERY_TASK = "bot.support.tasks.support_reply_deliver"
TEXT_LIMIT = 4000
RATE_WINDOW = timedelta(hours=1)


class SupportRateLimited(Exception):
    """The user has sent as many messages as allowed in the last hour."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} support messages per hour")
        self.limit = limit


class SupportRefused(Exception):
    """A staff action that cannot be done (an empty answer, a request that is gone)."""


@dataclass(frozen=True)
class Received:
    """A user's message as stored: its request, and whether this call stored it (False for a replay)."""

    request: SupportRequest
    message: SupportMessage
    created: bool


@transaction.atomic
def support_message_receive(*, user_id: int, text: str, topic: str, telegram_message_id: int | None) -> Received:
    """Store what a user wrote to support: added to their open request (reopening an answered one), else a new one.

    A replayed Telegram message is stored once; more than the hourly limit raises SupportRateLimited.
    """
    user = TelegramUser.objects.select_for_update().get(pk=user_id)  # one writer per person: limit and request
    if telegram_message_id is not None:
        known = (
            SupportMessage.objects.filter(
                request__user=user, direction=Direction.USER, telegram_message_id=telegram_message_id
            )
            .select_related("request")
            .first()
        )
        if known is not None:
            return Received(request=known.request, message=known, created=False)
    limit = bot_config().support_hourly_limit
    recent = SupportMessage.objects.filter(
        request__user=user, direction=Direction.USER, created_at__gte=timezone.now() - RATE_WINDOW
    ).count()
    if limit > 0 and recent >= limit:
        raise SupportRateLimited(limit)
    request = SupportRequest.objects.filter(user=user).exclude(status=Status.CLOSED).order_by("-pk").first()
    if request is None:
        request = SupportRequest.objects.create(user=user, topic=topic)
    else:
        request.status = Status.OPEN
        if topic == Topic.PAYMENT:
            request.topic = Topic.PAYMENT
        request.save(update_fields=["status", "topic", "updated_at"])
    message = SupportMessage.objects.create(
        request=request, direction=Direction.USER, text=text[:TEXT_LIMIT], telegram_message_id=telegram_message_id
    )
    return Received(request=request, message=message, created=True)


def support_reply_create(*, request_id: int, staff_id: int, text: str, key: str) -> tuple[SupportMessage, bool]:
    """A staff answer, delivered by the worker once; the same key (a double click, a resent form) adds nothing.

    Returns the message and whether this call created it.
    """
    text = text.strip()
    if not text:
        raise SupportRefused("empty answer")
    if not key:
        raise SupportRefused("no form key")
    try:
        with transaction.atomic():
            request = SupportRequest.objects.select_for_update().filter(pk=request_id).first()
            if request is None:
                raise SupportRefused("no such request")
            message = SupportMessage.objects.create(
                request=request, direction=Direction.STAFF, text=text[:TEXT_LIMIT], author_id=staff_id, key=key[:64]
            )
            request.status = Status.ANSWERED
            request.save(update_fields=["status", "updated_at"])
            audit_record(staff_id=staff_id, obj=request, message=gettext("Answered the user"))
            transaction.on_commit(lambda: async_task(DELIVERY_TASK, message.pk, group="support"))
    except IntegrityError:
        existing = SupportMessage.objects.filter(key=key[:64]).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def support_reply_claim(*, message_id: int) -> SupportMessage | None:
    """Mark a staff answer as being sent, right before the request; None when it was sent or tried already."""
    with transaction.atomic():
        message = (
            SupportMessage.objects.select_for_update()
            .select_related("request__user")
            .filter(pk=message_id, direction=Direction.STAFF)
            .first()
        )
        if message is None or message.sending_at is not None:
            return None
        message.sending_at = timezone.now()
        message.save(update_fields=["sending_at"])
        return message


def support_reply_delivered(*, message_id: int, telegram_message_id: int | None = None, error: str = "") -> None:
    """Record how the delivery of a staff answer ended."""
    fields: dict[str, Any] = {"delivery_error": error[:255]}
    if not error:
        fields |= {"delivered_at": timezone.now(), "telegram_message_id": telegram_message_id}
    SupportMessage.objects.filter(pk=message_id).update(**fields)


@transaction.atomic
def support_request_close(*, request_id: int, staff_id: int) -> bool:
    """Close a request (the user's next message starts a new one); False when it was closed already."""
    request = SupportRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or request.status == Status.CLOSED:
        return False
    request.status = Status.CLOSED
    request.save(update_fields=["status", "updated_at"])
    audit_record(staff_id=staff_id, obj=request, message=gettext("Closed the request"))
    return True


def support_user_data_export(user: TelegramUser) -> tuple[str, list[dict]]:
    """The user's support conversations for /my_data."""
    rows = []
    for request in SupportRequest.objects.filter(user=user).prefetch_related("messages").order_by("pk"):
        rows.append(
            {
                "id": request.pk,
                "topic": request.topic,
                "status": request.status,
                "created_at": request.created_at,
                "messages": [
                    {"from": message.direction, "text": message.text, "at": message.created_at}
                    for message in request.messages.all()
                ],
            }
        )
    return "support", rows


def support_user_erase(user: TelegramUser) -> None:
    """Delete the user's support conversations (for /delete_me)."""
    SupportMessage.objects.filter(request__user=user).delete()
    SupportRequest.objects.filter(user=user).delete()
