"""Reads of the support inbox."""

from django.db.models import QuerySet

from support.models import Direction, Status, SupportMessage, SupportRequest


def support_open_count() -> int:
    """Requests waiting for an answer (the sidebar's badge)."""
    return SupportRequest.objects.filter(status=Status.OPEN).count()


def support_reply_pending(*, message_id: int) -> SupportMessage | None:
    """A staff answer not yet handed to Telegram, with its user; None when it is sending or sent."""
    return (
        SupportMessage.objects.select_related("request__user")
        .filter(pk=message_id, direction=Direction.STAFF, sending_at__isnull=True)
        .first()
    )


def support_conversation(*, request_id: int) -> QuerySet[SupportMessage]:
    """The messages of a request, oldest first, with their staff authors."""
    return SupportMessage.objects.filter(request_id=request_id).select_related("author").order_by("created_at", "pk")
