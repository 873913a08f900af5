"""Writes of the users app."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from users.models import Language, TelegramUser

# Refresh last_seen at most this often, so an ordinary update costs one read and no write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class TelegramProfile:
    """What Telegram tells us about a person with every update."""

    telegram_id: int
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    language_code: str = ""


def language_guess(language_code: str | None) -> str:
    """The interface language for a new user: English for English speakers, Russian otherwise."""
    return Language.EN if (language_code or "").lower().startswith("en") else Language.RU


def user_touch(*, profile: TelegramProfile) -> TelegramUser:
    """Find or create the user behind an update, refreshing what Telegram last reported."""
    now = timezone.now()
    fields = {
        "username": (profile.username or "")[:64],
        "first_name": (profile.first_name or "")[:128],
        "last_name": (profile.last_name or "")[:128],
    }
    user = TelegramUser.objects.filter(telegram_id=profile.telegram_id).first()
    if user is None:
        user, created = TelegramUser.objects.get_or_create(
            telegram_id=profile.telegram_id,
            defaults={**fields, "language": language_guess(profile.language_code), "first_seen_at": now},
        )
        if created:
            return user
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if user.blocked_at is not None:
        # Anyone who writes to the bot has unblocked it.
        user.blocked_at = None
        changed.append("blocked_at")
    if changed or now - user.last_seen_at >= LAST_SEEN_RESOLUTION:
        user.last_seen_at = now
        user.save(update_fields=[*changed, "last_seen_at"])
    return user


def user_set_language(*, user: TelegramUser, language: str) -> TelegramUser:
    """Switch the interface language; unknown codes are refused."""
    if language not in Language.values:
        raise ValueError(f"unsupported language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_mark_blocked(*, telegram_id: int, blocked: bool) -> int:
    """Record that a user blocked (or unblocked) the bot; the number of rows changed."""
    users = TelegramUser.objects.filter(telegram_id=telegram_id)
    if blocked:
        return users.filter(blocked_at__isnull=True).update(blocked_at=timezone.now())
    return users.filter(blocked_at__isnull=False).update(blocked_at=None)


@transaction.atomic
def user_premium_extend(*, user_id: int, days: int, now: datetime | None = None) -> TelegramUser:
    """Add days of Premium, counted from the later of now and the current end; negative days shorten it."""
    user = TelegramUser.objects.select_for_update().get(pk=user_id)
    now = now or timezone.now()
    start = user.premium_until if user.premium_until and user.premium_until > now else now
    if days < 0:
        start = user.premium_until or now
    user.premium_until = start + timedelta(days=days)
    user.save(update_fields=["premium_until"])
    return user
