from django.db import models
from django.utils.translation import gettext_lazy as _


class UpdateStatus(models.TextChoices):
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    THROTTLED = "throttled", _("throttled")


class TelegramUpdate(models.Model):
    """A claimed Telegram update: Telegram delivers at least once, this makes it exactly once."""

    update_id = models.BigIntegerField(_("update id"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=UpdateStatus.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    chat_id = models.BigIntegerField(_("chat id"), null=True, blank=True)
    payload = models.JSONField(_("raw update"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("processing started"))
    # Renewed while a worker runs the handlers; once it lapses, the worker is taken as dead.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram update")
        verbose_name_plural = _("Telegram updates")
        ordering = ["-received_at"]
        permissions = [("replay_telegramupdate", "Can process failed updates again")]

    def __str__(self) -> str:
        return f"{self.update_id} ({self.kind or '?'}, {self.status})"


class Heartbeat(models.Model):
    """The last time a process (e.g. the task cluster) said it was alive."""

    name = models.CharField(_("process"), max_length=32, primary_key=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class Lease(models.Model):
    """A named lock with an expiry, held by one process at a time (e.g. the one mass sender of the bot)."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    holder = models.CharField(_("holder"), max_length=200)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.name} ({self.holder} until {self.expires_at:%H:%M:%S})"


class RateWindow(models.Model):
    """A fixed-window counter shared by every process: how often a key (a user, an address) was seen."""

    key = models.CharField(_("key"), max_length=80, primary_key=True)
    started_at = models.DateTimeField(_("window started"))
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("rate window")
        verbose_name_plural = _("rate windows")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} since {self.started_at:%H:%M:%S}"


class SendShare(models.Model):
    """One mass sender at work: the bot's message budget is split evenly between the live rows."""

    holder = models.CharField(_("holder"), max_length=200, primary_key=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("sender share")
        verbose_name_plural = _("sender shares")

    def __str__(self) -> str:
        return f"{self.holder} until {self.expires_at:%H:%M:%S}"
