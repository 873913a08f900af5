"""Natal charts in admin: positions, houses, aspects and the wheel, also on each user's page."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, StackedInline

from horoscopes.natal.models import NatalChart
from horoscopes.natal.services import natal_wheel_png
from horoscopes.writer import natal as natal_writer


def _summary(chart: NatalChart) -> str:
    language = translation.get_language() or "ru"
    lang = "en" if language.startswith("en") else "ru"
    text = natal_writer.chart_summary(chart.data, lang, full=True)
    return format_html_join("", "{}<br>", ((_telegram_html(line),) for line in text.split("\n")))


def _telegram_html(line: str) -> str:
    """A line of the bot's Telegram HTML for the panel: escaped, with only its simple emphasis tags kept."""
    safe = str(escape(line))
    for tag in ("b", "i", "u", "s", "code"):
        safe = safe.replace(f"&lt;{tag}&gt;", f"<{tag}>").replace(f"&lt;/{tag}&gt;", f"</{tag}>")
    return mark_safe(safe)  # noqa: S308 - escaped above, only fixed tags restored


def _wheel(chart: NatalChart) -> str:
    if not chart.pk:
        return "—"
    url = reverse("admin:horoscopes_natalchart_wheel", args=[chart.pk])
    return format_html('<a href="{0}" target="_blank"><img src="{0}" width="480" alt="wheel"></a>', url)


@admin.register(NatalChart)
class NatalChartAdmin(ModelAdmin):
    list_display = ("user", "has_houses", "computed_at")
    list_filter = ("has_houses",)
    search_fields = ("=user__telegram_id", "user__username", "user__first_name")
    readonly_fields = ("user", "summary", "wheel", "has_houses", "computed_at", "data", "interpretations")
    exclude = ("birth_key", "wheel_file_ids")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: NatalChart | None = None) -> bool:
        return False

    @admin.display(description=_("chart"))
    def summary(self, obj: NatalChart) -> str:
        return _summary(obj)

    @admin.display(description=_("wheel"))
    def wheel(self, obj: NatalChart) -> str:
        return _wheel(obj)

    def get_urls(self) -> list:
        wheel = path(
            "<int:pk>/wheel.png", self.admin_site.admin_view(self.wheel_png), name="horoscopes_natalchart_wheel"
        )
        return [wheel, *super().get_urls()]

    def wheel_png(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The chart wheel, rendered now from the user's birth data."""
        chart = get_object_or_404(NatalChart.objects.select_related("user"), pk=pk)
        # The wheel shows a birth moment and place: the same permission as the chart's page.
        if not self.has_view_permission(request, chart):
            raise PermissionDenied
        lang = "en" if (translation.get_language() or "").startswith("en") else "ru"
        return HttpResponse(natal_wheel_png(user=chart.user, language=lang), content_type="image/png")


class NatalChartInline(StackedInline):
    """The user's computed chart on their admin page."""

    model = NatalChart
    fields = ("summary", "wheel", "computed_at")
    readonly_fields = fields
    can_delete = False
    extra = 0
    verbose_name_plural = _("natal chart")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("chart"))
    def summary(self, obj: NatalChart) -> str:
        return _summary(obj)

    @admin.display(description=_("wheel"))
    def wheel(self, obj: NatalChart) -> str:
        return _wheel(obj)
