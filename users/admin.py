"""Staff view of the bot's users: search, filters, the profile, Premium grants and CSV export."""

import csv
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from users.models import TelegramUser
from users.selectors import tz_label, user_invited_count, user_local_now, zone_or_none
from users.services import (
    user_premium_extend,
    user_set_current_tz,
    user_set_language,
    user_set_notify,
)

MAX_PREMIUM_DAYS = 3660


class PremiumFilter(admin.SimpleListFilter):
    title = _("Premium")
    parameter_name = "premium"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("has Premium")), ("no", _("no Premium"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(premium_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(premium_until__gt=now)
        return queryset


class DateSetFilter(admin.SimpleListFilter):
    """Yes/no on whether a moment field (blocked_at, onboarded_at) is set."""

    field = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset


class BlockedFilter(DateSetFilter):
    title = _("blocked the bot")
    parameter_name = "blocked"
    field = "blocked_at"


class OnboardedFilter(DateSetFilter):
    title = _("onboarding completed")
    parameter_name = "onboarded"
    field = "onboarded_at"


class TelegramUserForm(forms.ModelForm):
    """Only the settings staff may change; a time zone must be one the tz database knows."""

    class Meta:
        model = TelegramUser
        fields = ("language", "current_tz", "notify_enabled", "notify_time")

    def clean_current_tz(self) -> str:
        tz = self.cleaned_data["current_tz"].strip()
        if zone_or_none(tz) is None:
            raise forms.ValidationError(_("Unknown time zone; use an IANA name such as Europe/Moscow."))
        return tz


class PremiumDaysForm(forms.Form):
    days = forms.IntegerField(label=_("days of Premium to add"), min_value=1, max_value=MAX_PREMIUM_DAYS, initial=30)


class TelegramUserAdmin(ModelAdmin):
    """Registered by bot.admin, with every app's inlines and erasing across apps."""

    form = TelegramUserForm
    list_display = (
        "telegram_id",
        "username",
        "full_name",
        "language",
        "sign",
        "premium_badge",
        "notify_enabled",
        "blocked_badge",
        "source",
        "first_seen_at",
        "last_seen_at",
    )
    list_display_links = ("telegram_id", "username")
    list_filter = (
        "sign",
        "language",
        PremiumFilter,
        "notify_enabled",
        BlockedFilter,
        OnboardedFilter,
        "source",
    )
    search_fields = ("=telegram_id", "username", "first_name", "last_name")
    date_hierarchy = "first_seen_at"
    ordering = ("-first_seen_at",)
    list_per_page = 50
    show_full_result_count = False
    actions = ("premium_extend_action", "export_csv_action")
    fieldsets = (
        (_("Telegram"), {"fields": ("telegram_id", "username", "first_name", "last_name", "language")}),
        (
            _("Birth data"),
            {
                "fields": (
                    "birth_date",
                    "birth_time_text",
                    "birthplace",
                    "birth_tz",
                    "birth_utc",
                    "sign",
                )
            },
        ),
        (_("Settings"), {"fields": ("current_tz", "local_time", "notify_enabled", "notify_time", "notify_changed_at")}),
        (_("Premium"), {"fields": ("premium_until", "premium_badge")}),
        (_("Growth"), {"fields": ("source", "inviter_link", "invited_count", "invite_code")}),
        (
            _("Activity and privacy"),
            {
                "fields": (
                    "first_seen_at",
                    "last_seen_at",
                    "onboarded_at",
                    "consent_at",
                    "consent_version",
                    "blocked_at",
                    "state",
                    "state_data",
                )
            },
        ),
    )
    readonly_fields = (
        "telegram_id",
        "username",
        "first_name",
        "last_name",
        "birth_date",
        "birth_time_text",
        "birthplace",
        "birth_tz",
        "birth_utc",
        "sign",
        "local_time",
        "notify_changed_at",
        "premium_until",
        "premium_badge",
        "source",
        "inviter_link",
        "invited_count",
        "invite_code",
        "first_seen_at",
        "last_seen_at",
        "onboarded_at",
        "consent_at",
        "consent_version",
        "blocked_at",
        "state",
        "state_data",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Users come from Telegram, never from a form.
        return False

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # Staff paste "@username" as Telegram shows it.
        return super().get_search_results(request, queryset, search_term.strip().lstrip("@"))

    # --- columns and read-only fields -------------------------------------------------------------------

    @admin.display(description=_("name"))
    def full_name(self, user: TelegramUser) -> str:
        return " ".join(part for part in (user.first_name, user.last_name) if part)

    @admin.display(description=_("Premium"), ordering="premium_until")
    def premium_badge(self, user: TelegramUser) -> str:
        if user.premium_until and user.premium_until > timezone.now():
            return format_html("💎 {}", timezone.localtime(user.premium_until).strftime("%Y-%m-%d"))
        return "—"

    @admin.display(description=_("blocked the bot"), boolean=True, ordering="blocked_at")
    def blocked_badge(self, user: TelegramUser) -> bool:
        return user.blocked_at is not None

    @admin.display(description=_("birth time"))
    def birth_time_text(self, user: TelegramUser) -> str:
        if user.birth_time is None:
            return str(_("birth time unknown")) if user.birth_time_unknown else "—"
        text = user.birth_time.strftime("%H:%M")
        if user.birth_time_fold is not None and user.birth_utc is not None:
            # The clocks showed this time twice that night: which of the two the user chose.
            text += f" ({user.birth_utc:%Y-%m-%d %H:%M} UTC)"
        return text

    @admin.display(description=_("birthplace"))
    def birthplace(self, user: TelegramUser) -> str:
        if not user.birth_tz:
            return "—"
        name = ", ".join(part for part in (user.birth_place, user.birth_region, user.birth_country) if part)
        if user.birth_lat is None or user.birth_lon is None:
            return name
        lat, lon = f"{user.birth_lat:.4f}", f"{user.birth_lon:.4f}"
        return format_html(
            '{} <a href="https://www.openstreetmap.org/?mlat={}&amp;mlon={}#map=10/{}/{}" target="_blank" '
            'rel="noopener">{}, {}</a>{}',
            name,
            lat,
            lon,
            lat,
            lon,
            lat,
            lon,
            f" · GeoNames {user.birth_place_id}" if user.birth_place_id else "",
        )

    @admin.display(description=_("local time now"))
    def local_time(self, user: TelegramUser) -> str:
        return f"{user_local_now(user):%Y-%m-%d %H:%M} · {tz_label(user.current_tz, 'en')}"

    @admin.display(description=_("invited by"))
    def inviter_link(self, user: TelegramUser) -> str:
        if user.invited_by_id is None:
            return "—"
        url = reverse("admin:users_telegramuser_change", args=[user.invited_by_id])
        return format_html('<a href="{}">{}</a>', url, user.invited_by)

    @admin.display(description=_("friends invited"))
    def invited_count(self, user: TelegramUser) -> str:
        count = user_invited_count(user)
        if not count:
            return "0"
        url = reverse("admin:users_telegramuser_changelist") + f"?invited_by__id__exact={user.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # The "friends invited" link filters the list by inviter.
        if lookup == "invited_by__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    # --- saving and deleting go through the services ------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: TelegramUser, form: forms.ModelForm, change: bool) -> None:
        changed = set(form.changed_data)
        data = form.cleaned_data
        if "language" in changed:
            user_set_language(user=TelegramUser.objects.get(pk=obj.pk), language=data["language"])
        if "current_tz" in changed:
            user_set_current_tz(user_id=obj.pk, tz=data["current_tz"])
        if changed & {"notify_enabled", "notify_time"}:
            user_set_notify(user_id=obj.pk, enabled=data["notify_enabled"], at=data["notify_time"])

    # --- actions --------------------------------------------------------------------------------------------

    @admin.action(description=_("Grant or extend Premium by N days"), permissions=["change"])
    def premium_extend_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = PremiumDaysForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            days = form.cleaned_data["days"]
            for pk in queryset.values_list("pk", flat=True):
                user_premium_extend(user_id=pk, days=days)
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "Premium extended by %(days)d days for %(count)d user.",
                    "Premium extended by %(days)d days for %(count)d users.",
                    count,
                )
                % {"days": days, "count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Grant or extend Premium"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "premium_extend_action",
            "preview": queryset[:20],
        }
        return TemplateResponse(request, "admin/users/telegramuser/premium_extend.html", context)

    @admin.action(description=_("Export the selection as CSV"), permissions=["view"])
    def export_csv_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="bot-users-{stamp}.csv"'
        # A BOM so that spreadsheet programs read Cyrillic names as UTF-8.
        response.write("\ufeff")
        writer = csv.writer(response)
        columns = (
            "telegram_id",
            "username",
            "first_name",
            "last_name",
            "language",
            "sign",
            "birth_date",
            "birth_country",
            "current_tz",
            "notify_enabled",
            "notify_time",
            "premium_until",
            "source",
            "invited_by__telegram_id",
            "first_seen_at",
            "last_seen_at",
            "onboarded_at",
            "blocked_at",
        )
        writer.writerow(columns)
        for row in queryset.order_by("pk").values_list(*columns).iterator(chunk_size=2000):
            writer.writerow([_csv_cell(value) for value in row])
        return response


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # Names are user-controlled: a leading =, +, - or @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return value
