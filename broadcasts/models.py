"""Broadcasts: a message staff write once, sent to a segment of users, one recipient row per user."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.models import Language, TelegramUser


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    RUNNING = "running", _("sending")
    PAUSED = "paused", _("paused")
    DONE = "done", _("complete")
    CANCELED = "canceled", _("canceled")


class MissingVariant(models.TextChoices):
    FALLBACK = "fallback", _("send the default language's text")
    SKIP = "skip", _("skip the user")


class ButtonKind(models.TextChoices):
    NONE = "", _("no button")
    URL = "url", _("open a link")
    ACTION = "action", _("a bot action")


class ButtonAction(models.TextChoices):
    TAROT = "tarot", _("open tarot")
    PREMIUM = "premium", _("buy Premium")
    HOROSCOPE = "horoscope", _("today's horoscope")


class Timing(models.TextChoices):
    MOMENT = "moment", _("at one moment")
    LOCAL = "local", _("at each user's local time")


class PremiumFilter(models.TextChoices):
    ANY = "", _("everybody")
    PREMIUM = "premium", _("Premium only")
    FREE = "free", _("free users only")


class Broadcast(models.Model):
    """One announcement: its texts (a variant per language), picture, button, audience and schedule."""

    title = models.CharField(_("title"), max_length=120, help_text=_("For staff only; users never see it."))
    status = models.CharField(
        _("status"), max_length=12, choices=BroadcastStatus.choices, default=BroadcastStatus.DRAFT, db_index=True
    )
    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.RU
    )
    missing_variant = models.CharField(
        _("user's language has no text"),
        max_length=10,
        choices=MissingVariant.choices,
        default=MissingVariant.FALLBACK,
    )
    photo = models.BinaryField(_("picture"), null=True, blank=True, editable=False)
    photo_name = models.CharField(_("picture file"), max_length=200, blank=True, editable=False)
    photo_file_id = models.CharField(_("Telegram file id of the picture"), max_length=200, blank=True, editable=False)
    button_kind = models.CharField(_("button"), max_length=8, choices=ButtonKind.choices, blank=True, default="")
    button_url = models.URLField(_("button link"), blank=True)
    button_action = models.CharField(_("button action"), max_length=12, choices=ButtonAction.choices, blank=True)
    # Audience: empty means "any".
    signs = models.JSONField(_("signs"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    premium = models.CharField(_("Premium"), max_length=8, choices=PremiumFilter.choices, blank=True, default="")
    active_days = models.PositiveIntegerField(_("active in the last N days"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)
    invited = models.BooleanField(_("came by invitation"), null=True, blank=True)
    onboarded = models.BooleanField(_("onboarding finished"), null=True, blank=True)
    notifications_on = models.BooleanField(_("daily notifications on"), null=True, blank=True)
    # Schedule.
    timing = models.CharField(_("when"), max_length=8, choices=Timing.choices, default=Timing.MOMENT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    local_time = models.TimeField(_("local time"), null=True, blank=True)
    paid = models.BooleanField(
        _("paid broadcast"),
        default=False,
        help_text=_("Faster than the free limit, paid in Telegram Stars for every message."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    scheduled_at = models.DateTimeField(_("scheduled"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-created_at"]
        permissions = [
            ("send_broadcast", _("Can test-send, schedule, pause, resume and cancel broadcasts")),
        ]

    def __str__(self) -> str:
        return self.title


class BroadcastVariant(models.Model):
    """The text of a broadcast in one language (Telegram HTML) and its button's label."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.TextField(_("text"), help_text=_("Telegram HTML: <b>, <i>, <u>, <s>, <a href>, <code>, <pre>."))
    button_text = models.CharField(_("button label"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("language variant")
        verbose_name_plural = _("language variants")
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "language"], name="broadcasts_variant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id}/{self.language}"


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("delivered")
    BLOCKED = "blocked", _("blocked the bot")
    FAILED = "failed", _("failed")
    UNCERTAIN = "uncertain", _("no answer from Telegram")
    SKIPPED = "skipped", _("skipped")


class Recipient(models.Model):
    """One user of one broadcast: when it is due and what became of it (the row makes sending exactly once)."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(TelegramUser, on_delete=models.CASCADE, related_name="broadcast_rows")
    language = models.CharField(_("language"), max_length=2)
    status = models.CharField(
        _("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PENDING
    )
    due_at = models.DateTimeField(_("due"))
    started_at = models.DateTimeField(_("handed to Telegram"), null=True, blank=True)
    sent_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    message_id = models.BigIntegerField(_("message id"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    clicked_at = models.DateTimeField(_("button pressed"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="broadcasts_recipient_unique"),
        ]
        indexes = [models.Index(fields=["broadcast", "status", "due_at"], name="broadcasts_recipient_due")]

    def __str__(self) -> str:
        return f"{self.broadcast_id}/{self.user_id}: {self.status}"


class StaffChat(models.Model):
    """The Telegram account a staff member linked for test sends."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_chat")
    telegram_id = models.BigIntegerField(_("Telegram id"))

    class Meta:
        verbose_name = _("staff Telegram account")
        verbose_name_plural = _("staff Telegram accounts")

    def __str__(self) -> str:
        return str(self.telegram_id)
