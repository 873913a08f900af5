"""django-q2 entry points for natal charts."""

from django.db import transaction
from django.utils import translation
from django_q.tasks import async_task

from horoscopes import natal_writer
from horoscopes.models import NatalChart
from horoscopes.natal_llm import interpretation_llm
from horoscopes.natal_services import natal_interpretation_store


def natal_interpretation_enqueue(*, chart_id: int, language: str) -> None:
    """Queue the interpretation once the current transaction has committed."""
    transaction.on_commit(lambda: async_task(natal_interpret, chart_id, language, task_name=f"natal {chart_id}"))


def natal_interpret(chart_id: int, language: str) -> None:
    """Write, store and deliver a chart's interpretation; a chart already interpreted is left alone."""
    chart = NatalChart.objects.select_related("user").filter(pk=chart_id).first()
    if chart is None or chart.interpretations.get(language):
        return
    with translation.override(language):
        text = interpretation_llm(chart_id=chart.pk, data=chart.data, language=language)
        text = text or natal_writer.interpretation_offline(chart.data, language)
    # Stored first, under a lock: a second run of this task finds it and sends nothing.
    if natal_interpretation_store(chart_id=chart.pk, birth_key=chart.birth_key, language=language, text=text):
        from bot.sender import Outgoing, send_one

        send_one(Outgoing(chat_id=chart.user.telegram_id, text=text))
