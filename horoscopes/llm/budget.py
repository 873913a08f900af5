"""Daily LLM budgets, per user and in total, counted from the generation log (README, "Abuse limits")."""

from datetime import datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from horoscopes.llm.models import GenerationLog, GenerationStatus
from users.bot_config import bot_config

# Calls that produced tokens (a usable answer or not): what a budget spends.
ANSWERED = (GenerationStatus.OK, GenerationStatus.INVALID)


def llm_subject(*, subject: str, user_id: int | None) -> str:
    """The subject a generation is logged under; a user's own texts start with "user <id> " (counted per user)."""
    prefix = f"user {user_id} " if user_id is not None else ""
    return (subject if subject.startswith(prefix) else prefix + subject)[:200]


def _day_start() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def llm_budget_spent(*, user_id: int | None = None) -> str:
    """Why the LLM may not write another text today (a daily limit reached), or "" when it may."""
    today = GenerationLog.objects.filter(created_at__gte=_day_start())
    answered = today.filter(status__in=ANSWERED)
    user_limit = bot_config().llm_user_daily_limit
    if user_id is not None and user_limit > 0:
        used = answered.filter(subject__startswith=llm_subject(subject="", user_id=user_id)).count()
        if used >= user_limit:
            return f"user {user_id} reached LLM_USER_DAILY_LIMIT ({used} texts today)"
    if settings.LLM_DAILY_LIMIT > 0:
        used = answered.count()
        if used >= settings.LLM_DAILY_LIMIT:
            return f"LLM_DAILY_LIMIT reached ({used} texts today)"
    if settings.LLM_DAILY_BUDGET_USD > 0:
        spent = today.aggregate(spent=Sum("cost"))["spent"] or 0
        if spent >= settings.LLM_DAILY_BUDGET_USD:
            return f"LLM_DAILY_BUDGET_USD reached ({spent:.4f} USD today)"
    return ""
