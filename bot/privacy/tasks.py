"""Task results that would outlive a person's erasure: found and removed, or never kept."""

from django_q.models import Task
from django_q.utils import get_func_repr

# Tasks queued while a person is erased, which still need their Telegram id (stopping a Stars subscription's
# renewal takes the user's id and the charge id): their arguments must not stay in the task log.
TASKS_WITHOUT_TRACE = ("payments.tasks.subscription_stop",)


def task_trace_forget(sender: object, task: dict, **kwargs: object) -> None:
    """django-q's post_execute (after the result is saved): a success of such a task leaves no row; a failure
    keeps its row for staff, without arguments (a retry reads them from the queue, not from this row)."""
    if get_func_repr(task.get("func")) not in TASKS_WITHOUT_TRACE:
        return
    rows = Task.objects.filter(id=task.get("id"))
    if task.get("success"):
        rows.delete()
    else:
        rows.update(args=(), kwargs={}, result="failed; arguments and details erased with the person's data")


def tasks_forget(*, markers: list[str]) -> int:
    """Delete finished tasks whose name, arguments or result contain any of the markers; the number deleted.

    The task log is bounded (save_limit successes, failures pruned daily), so reading it whole is cheap.
    """
    found = [
        task.pk
        for task in Task.objects.only("id", "name", "args", "kwargs", "result").iterator(chunk_size=200)
        if any(marker in repr((task.name, task.args, task.kwargs, task.result)) for marker in markers)
    ]
    return Task.objects.filter(pk__in=found).delete()[0] if found else 0
