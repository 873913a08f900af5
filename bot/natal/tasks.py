"""django-q2 entry points of the natal chart that end in a message."""

from django.db import transaction
from django_q.tasks import async_task

from bot.sender import Outgoing, send_one
from horoscopes.natal.services import natal_interpretation_write


def natal_interpretation_enqueue(*, chart_id: int, language: str) -> None:
    """Queue the interpretation once the current transaction has committed."""
    transaction.on_commit(lambda: async_task(natal_interpret, chart_id, language, task_name=f"natal {chart_id}"))


def natal_interpret(chart_id: int, language: str) -> None:
    """Write, store and deliver a chart's interpretation; a chart already interpreted is left alone."""
    written = natal_interpretation_write(chart_id=chart_id, language=language)
    if written is not None:
        chart, text = written
        send_one(Outgoing(chat_id=chart.user.telegram_id, text=text))
