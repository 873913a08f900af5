"""LLM prompts with versions, and the log of every generation (LLM call or offline writer)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.models import Language

__all__ = ["GenerationLog", "GenerationStatus", "Prompt"]


class Prompt(models.Model):
    """One version of an LLM prompt: saving in admin adds a version, earlier ones are kept."""

    key = models.CharField(_("key"), max_length=32, help_text=_("What the prompt writes, e.g. daily or personal."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    system = models.TextField(_("instructions"), help_text=_("The system message: role, rules, output format."))
    template = models.TextField(
        _("message template"),
        help_text=_("The user message; $placeholders (e.g. $facts, $sign, $date) are filled in with computed facts."),
    )
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["key", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language", "version"], name="horoscopes_prompt_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language}) v{self.version}"


class GenerationStatus(models.TextChoices):
    OK = "ok", _("ok")
    ERROR = "error", _("error")
    INVALID = "invalid", _("unusable answer")
    OFFLINE = "offline", _("offline writer")


class GenerationLog(models.Model):
    """One attempt to write a text: an LLM call (answered, failed or unusable) or the offline writer."""

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=GenerationStatus.choices, db_index=True)
    prompt = models.ForeignKey(
        Prompt, verbose_name=_("prompt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="generations"
    )
    prompt_version = models.PositiveIntegerField(_("prompt version"), null=True, blank=True)
    model = models.CharField(_("model"), max_length=100)
    tokens_in = models.PositiveIntegerField(_("tokens in"), default=0)
    tokens_out = models.PositiveIntegerField(_("tokens out"), default=0)
    latency_ms = models.PositiveIntegerField(_("latency, ms"), default=0)
    cost = models.DecimalField(
        _("estimated cost, USD"),
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("From LLM_PRICES; empty when the model's price is unknown."),
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("generation")
        verbose_name_plural = _("generation log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.status})"
