"""django-q2 entry points of the bot app."""

import html
import logging

from bot.sender import Outgoing, SenderNotConfigured, SendStatus, send_one
from bot.services import heartbeat_record
from bot.services import task_results_prune as _task_results_prune
from bot.services import updates_prune as _updates_prune
from bot.throttle import rate_windows_prune
from bot.views import CLUSTER_HEARTBEAT
from users.models import TelegramUser
from users.services import staff_submissions_prune

logger = logging.getLogger(__name__)


def heartbeat() -> None:
    """Tell /health that the task cluster is alive."""
    heartbeat_record(name=CLUSTER_HEARTBEAT)


def updates_prune() -> int:
    """Delete claimed updates past their retention period, rate windows nobody has used for days and old
    one-time keys of staff forms."""
    return _updates_prune() + rate_windows_prune() + staff_submissions_prune()


def task_results_prune() -> int:
    """Delete task results past their retention period or beyond save_limit."""
    return _task_results_prune()


def staff_message_send(user_id: int, text: str) -> str:
    """Deliver a message staff wrote on the user's page; the send status."""
    user = TelegramUser.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped"
    try:
        return send_one(Outgoing(chat_id=user.telegram_id, text=html.escape(text)))
    except SenderNotConfigured:
        logger.warning("No bot token: could not deliver a staff message to user #%s", user_id)
        return SendStatus.FAILED
