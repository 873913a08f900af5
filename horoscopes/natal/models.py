"""Natal chart models: a chart computed once per birth data, with its wheel image and interpretations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["NatalChart"]


class NatalChart(models.Model):
    """A user's natal chart, recomputed only when the birth data it was computed from changes."""

    user = models.OneToOneField(
        "users.TelegramUser", verbose_name=_("user"), on_delete=models.CASCADE, related_name="natal_chart"
    )
    # A digest of the birth moment, place and house system the chart was computed from.
    birth_key = models.CharField(_("birth data key"), max_length=64)
    data = models.JSONField(_("chart"))
    has_houses = models.BooleanField(_("with houses"), default=True)
    # {language: file_id}: the wheel as Telegram stores it, sent again by id instead of re-uploaded.
    wheel_file_ids = models.JSONField(_("wheel image file ids"), default=dict, blank=True)
    # {language: text}: the interpretation in each language it was asked for.
    interpretations = models.JSONField(_("interpretations"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("natal chart")
        verbose_name_plural = _("natal charts")

    def __str__(self) -> str:
        return f"{self.user} ({self.data.get('utc', '?')})"
