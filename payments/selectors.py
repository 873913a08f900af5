"""Reads of the payments app, among them the one Premium check every feature goes through."""

from datetime import datetime

from django.utils import timezone

from users.models import TelegramUser


def user_is_premium(user: TelegramUser, *, at: datetime | None = None) -> bool:
    """Whether the user has Premium at the given moment (now by default): Premium is a date, never a flag."""
    moment = at or timezone.now()
    return user.premium_until is not None and user.premium_until > moment
