import secrets
from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def invite_code_new() -> str:
    """A random, URL-safe invite code (64 bits): invite links never carry the Telegram id."""
    return secrets.token_urlsafe(8)


class Language(models.TextChoices):
    RU = "ru", _("Russian")
    EN = "en", _("English")


class Sign(models.TextChoices):
    ARIES = "aries", _("Aries")
    TAURUS = "taurus", _("Taurus")
    GEMINI = "gemini", _("Gemini")
    CANCER = "cancer", _("Cancer")
    LEO = "leo", _("Leo")
    VIRGO = "virgo", _("Virgo")
    LIBRA = "libra", _("Libra")
    SCORPIO = "scorpio", _("Scorpio")
    SAGITTARIUS = "sagittarius", _("Sagittarius")
    CAPRICORN = "capricorn", _("Capricorn")
    AQUARIUS = "aquarius", _("Aquarius")
    PISCES = "pisces", _("Pisces")


class TelegramUser(models.Model):
    """A person who talks to the bot, keyed by their Telegram id."""

    telegram_id = models.BigIntegerField(_("Telegram id"), unique=True)
    username = models.CharField(_("username"), max_length=64, blank=True)
    first_name = models.CharField(_("first name"), max_length=128, blank=True)
    last_name = models.CharField(_("last name"), max_length=128, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.RU)

    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_time = models.TimeField(_("birth time"), null=True, blank=True)
    birth_time_unknown = models.BooleanField(_("birth time unknown"), default=False)
    # Which reading of a local time that happened twice or never (a DST change) the user chose: 0 or 1.
    birth_time_fold = models.PositiveSmallIntegerField(_("birth time reading"), null=True, blank=True)
    birth_place_id = models.PositiveIntegerField(_("birthplace GeoNames id"), null=True, blank=True)
    birth_place = models.CharField(_("birthplace"), max_length=200, blank=True)
    birth_region = models.CharField(_("birthplace region"), max_length=200, blank=True)
    birth_country = models.CharField(_("birthplace country"), max_length=2, blank=True)
    birth_lat = models.FloatField(_("birthplace latitude"), null=True, blank=True)
    birth_lon = models.FloatField(_("birthplace longitude"), null=True, blank=True)
    birth_tz = models.CharField(_("birthplace time zone"), max_length=64, blank=True)
    birth_utc = models.DateTimeField(_("birth moment (UTC)"), null=True, blank=True)
    sign = models.CharField(_("zodiac sign"), max_length=12, choices=Sign.choices, blank=True, db_index=True)

    current_tz = models.CharField(_("current time zone"), max_length=64, default="Europe/Moscow")
    notify_enabled = models.BooleanField(_("daily notification on"), default=True)
    notify_time = models.TimeField(_("daily notification time"), default=time(9, 0))
    notify_changed_at = models.DateTimeField(_("notification settings changed"), null=True, blank=True)
    # When the daily push should next be looked at (UTC), so the minute tick reads only the users due. Empty:
    # not computed yet (new user, changed settings); the push computes it. Never later than the true time.
    push_due_at = models.DateTimeField(_("next daily push due"), null=True, blank=True)

    premium_until = models.DateTimeField(_("Premium until"), null=True, blank=True, db_index=True)

    source = models.CharField(_("source"), max_length=64, blank=True, db_index=True)
    invite_code = models.CharField(
        _("invite code"), max_length=16, unique=True, null=True, blank=True, default=invite_code_new
    )
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="invited"
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("privacy policy version"), max_length=16, blank=True)
    onboarded_at = models.DateTimeField(_("onboarding completed"), null=True, blank=True)
    blocked_at = models.DateTimeField(_("blocked the bot"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    # Conversation state lives here, not in a worker's memory: any web worker may get the next message.
    state = models.CharField(_("conversation state"), max_length=32, blank=True)
    state_data = models.JSONField(_("conversation data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bot user")
        verbose_name_plural = _("bot users")
        indexes = [
            models.Index(fields=["notify_enabled", "notify_time"], name="users_notify_idx"),
            # The push's "who is due": only users who can get a push at all, by due time.
            models.Index(
                fields=["push_due_at", "id"],
                name="users_push_due_idx",
                condition=models.Q(notify_enabled=True, blocked_at__isnull=True) & ~models.Q(sign=""),
            ),
        ]

    def __str__(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        handle = f"@{self.username}" if self.username else str(self.telegram_id)
        return f"{name} ({handle})" if name else handle


class StaffSubmission(models.Model):
    """The one-time key of a staff form that changes users: a double click or a replayed post finds it taken."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("staff form submission")
        verbose_name_plural = _("staff form submissions")

    def __str__(self) -> str:
        return self.key
