from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyMetric(models.Model):
    """One number of one day, rolled up from raw events by staff.services.metrics_rollup (the dashboard reads only
    these rows). `dimension` splits a metric (a plan and provider, a source, a push status); "" is the whole."""

    day = models.DateField(_("day"))
    key = models.CharField(_("metric"), max_length=32)
    dimension = models.CharField(_("dimension"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, default=0)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("daily metric")
        verbose_name_plural = _("daily metrics")
        ordering = ["day", "key", "dimension"]
        constraints = [
            models.UniqueConstraint(fields=["day", "key", "dimension"], name="staff_dailymetric_unique"),
        ]
        indexes = [models.Index(fields=["key", "day"], name="staff_dailymetric_key_day")]
        permissions = [
            ("view_dashboard", _("Can see the dashboard")),
            ("refresh_dashboard", _("Can recompute the dashboard's numbers")),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.key}{'/' + self.dimension if self.dimension else ''} = {self.value}"
