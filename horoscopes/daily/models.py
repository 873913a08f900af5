"""Daily horoscopes per sign, personal horoscopes and the daily push's deliveries."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horoscopes.astro.sky import offset_zone_name as offset_label
from horoscopes.llm.models import GenerationLog
from users.models import Language, Sign, TelegramUser

__all__ = [
    "DailyHoroscope",
    "PersonalHoroscope",
    "PersonalStatus",
    "PushDelivery",
    "PushStatus",
    "TextSource",
]

# The sections every horoscope has, in reading order (the LLM returns them as JSON keys).
SECTIONS = ("overview", "love", "work", "health", "money", "tip")


class TextSource(models.TextChoices):
    LLM = "llm", _("LLM")
    OFFLINE = "offline", _("offline writer")
    STAFF = "staff", _("edited by staff")


def reference_utc_offset() -> int:
    """The UTC offset in minutes of the reference zone (HOROSCOPE_SKY_TZ) now: the group of texts read by default."""
    offset = timezone.now().astimezone(ZoneInfo(settings.HOROSCOPE_SKY_TZ)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class HoroscopeText(models.Model):
    """The sections of a horoscope as Telegram HTML, and where the text came from."""

    overview = models.TextField(_("overview"), blank=True)
    love = models.TextField(_("love"), blank=True)
    work = models.TextField(_("work"), blank=True)
    health = models.TextField(_("health"), blank=True)
    money = models.TextField(_("money"), blank=True)
    tip = models.TextField(_("tip of the day"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=TextSource.choices, default=TextSource.OFFLINE)
    generation = models.ForeignKey(
        GenerationLog,
        verbose_name=_("generation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def sections(self) -> dict[str, str]:
        """Section name -> text, in reading order."""
        return {name: getattr(self, name) for name in SECTIONS}


class DailyHoroscope(HoroscopeText):
    """The general horoscope of one sign for one local date in one language, for readers at one UTC offset.

    Readers are grouped by their zone's offset at local noon of the date: the sky of the text (events on that
    date, the times of day) is the sky of their own day.
    """

    sign = models.CharField(_("sign"), max_length=12, choices=Sign.choices)
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    utc_offset = models.SmallIntegerField(
        _("UTC offset (minutes)"),
        default=reference_utc_offset,
        help_text=_("The readers' time zone group: the text is about their local day at this offset."),
    )

    class Meta:
        verbose_name = _("daily horoscope")
        verbose_name_plural = _("daily horoscopes")
        ordering = ["-date", "language", "sign"]
        constraints = [
            models.UniqueConstraint(
                fields=["sign", "date", "language", "utc_offset"], name="horoscopes_daily_offset_unique"
            ),
        ]
        indexes = [models.Index(fields=["date", "language"], name="horoscopes_daily_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_sign_display()} {self.date:%Y-%m-%d} {offset_label(self.utc_offset)} ({self.language})"

    @property
    def offset_group(self) -> str:
        """The readers' offset group as 'UTC+10:00'."""
        return offset_label(self.utc_offset)


class PersonalStatus(models.TextChoices):
    PENDING = "pending", _("being written")
    READY = "ready", _("ready")


class PersonalHoroscope(HoroscopeText):
    """A Premium user's horoscope from the day's transits to their own chart, written once per local date."""

    user = models.ForeignKey(
        TelegramUser, verbose_name=_("user"), on_delete=models.CASCADE, related_name="personal_horoscopes"
    )
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=PersonalStatus.choices, default=PersonalStatus.PENDING, db_index=True
    )
    facts = models.JSONField(_("facts used"), default=dict, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    # Someone is waiting in the chat: send it as soon as it is written (once).
    deliver = models.BooleanField(_("send when ready"), default=False)
    delivered_at = models.DateTimeField(_("sent to the chat"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal horoscope")
        verbose_name_plural = _("personal horoscopes")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date", "language"], name="horoscopes_personal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date:%Y-%m-%d} ({self.language})"


class PushStatus(models.TextChoices):
    PENDING = "pending", _("claimed, not sent yet")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    BLOCKED = "blocked", _("blocked the bot")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped: joined after that day's time")
    # The request reached Telegram but no answer came (a read timeout, or the worker died while sending): it
    # may have been delivered, so it is never sent again (at most once a day).
    UNCERTAIN = "uncertain", _("maybe sent: no answer from Telegram")


class PushDelivery(models.Model):
    """The daily push to one user on one local date: claimed before sending, so it goes out at most once."""

    user = models.ForeignKey(
        TelegramUser, verbose_name=_("user"), on_delete=models.CASCADE, related_name="push_deliveries"
    )
    kind = models.CharField(_("kind"), max_length=16, default="daily")
    local_date = models.DateField(_("user's local date"))
    personal = models.BooleanField(_("personal horoscope"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=PushStatus.choices, default=PushStatus.PENDING)
    batch = models.CharField(_("run"), max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sending_at = models.DateTimeField(_("handed to Telegram"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.BigIntegerField(_("message id"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("push delivery")
        verbose_name_plural = _("push deliveries")
        ordering = ["-local_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "local_date"], name="horoscopes_push_once_a_day"),
        ]
        indexes = [models.Index(fields=["status", "local_date"], name="horoscopes_push_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_date:%Y-%m-%d} → {self.user_id} ({self.status})"
