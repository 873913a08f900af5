"""Daily LLM budgets: per user, in total and in estimated spend; past them texts come from the offline writer."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from bot.natal.tasks import natal_interpret
from horoscopes.llm import LLMBudgetSpent, llm_complete
from horoscopes.llm.models import GenerationLog
from horoscopes.natal.services import natal_chart_get
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


def ask(user_id: int | None = None):
    return llm_complete(kind="test", system="Ты помощник.", user="Скажи.", subject="s", user_id=user_id)


def test_a_users_daily_limit_stops_their_texts_only(llm, settings):
    settings.LLM_USER_DAILY_LIMIT = 2
    ask(user_id=5)
    ask(user_id=5)

    with pytest.raises(LLMBudgetSpent, match="LLM_USER_DAILY_LIMIT"):
        ask(user_id=5)
    ask(user_id=6)
    ask()  # texts for everybody (the daily horoscope of a sign) are not anyone's
    assert len(llm.calls) == 4
    assert GenerationLog.objects.filter(subject="user 5 s").count() == 2

    GenerationLog.objects.update(created_at=timezone.now() - timedelta(days=1))
    ask(user_id=5)  # a new day


def test_the_total_daily_limit(llm, settings):
    settings.LLM_DAILY_LIMIT = 3
    for user_id in (1, 2, None):
        ask(user_id=user_id)

    with pytest.raises(LLMBudgetSpent, match="LLM_DAILY_LIMIT"):
        ask(user_id=4)
    assert len(llm.calls) == 3


def test_the_daily_spend(llm, settings):
    settings.LLM_DAILY_BUDGET_USD = 0.000001
    ask()

    with pytest.raises(LLMBudgetSpent, match="USD"):
        ask()
    assert len(llm.calls) == 1


def test_changing_the_birth_time_again_and_again_is_interpreted_offline_past_the_limit(llm, bot_settings, settings):
    settings.LLM_USER_DAILY_LIMIT = 2
    user = TelegramUserFactory(telegram_id=502, born=True)
    llm.responder = lambda request: "<b>Солнце в Тельце</b> даёт вам спокойную силу и любовь к надёжным вещам. " * 8

    for hour in (6, 7, 8, 9):
        TelegramUser.objects.filter(pk=user.pk).update(
            birth_time=time(hour, 0), birth_utc=datetime(1990, 5, 15, hour - 4, tzinfo=UTC)
        )
        natal_interpret(natal_chart_get(user_id=user.pk).pk, "ru")

    assert len(llm.calls_to("/v1/chat/completions")) == 2
    sent = [call.params["text"] for call in bot_settings.calls_to("sendMessage")]
    assert len(sent) == 4  # every change still gets its interpretation
    assert all("спокойную силу" in text for text in sent[:2])
    assert not any("спокойную силу" in text for text in sent[2:])
