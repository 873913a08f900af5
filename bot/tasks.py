"""django-q2 entry points of the bot app."""

from bot.services import heartbeat_record
from bot.services import task_results_prune as _task_results_prune
from bot.services import updates_prune as _updates_prune
from bot.throttle import rate_windows_prune
from bot.views import CLUSTER_HEARTBEAT


def heartbeat() -> None:
    """Tell /health that the task cluster is alive."""
    heartbeat_record(name=CLUSTER_HEARTBEAT)


def updates_prune() -> int:
    """Delete claimed updates past their retention period, and rate windows nobody has used for days."""
    return _updates_prune() + rate_windows_prune()


def task_results_prune() -> int:
    """Delete task results past their retention period or beyond save_limit."""
    return _task_results_prune()
