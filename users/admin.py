"""Staff view of the bot's users: search, filters, the profile, Premium grants and CSV export."""

import csv
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin
from unfold.decorators import action
from unfold.widgets import UnfoldAdminIntegerFieldWidget, UnfoldAdminTextInputWidget, UnfoldBooleanSwitchWidget

from users.models import TelegramUser
from users.selectors import tz_label, user_invited_count, user_local_now, zone_or_none
from users.services import (
    PremiumChange,
    SubmissionReplayed,
    user_set_current_tz,
    user_set_language,
    user_set_notify,
    users_premium_grant,
    users_premium_revoke,
)

MAX_PREMIUM_DAYS = 3660
PREVIEW_SIZE = 20


def staff_id(request: HttpRequest) -> int:
    """The id of the staff member behind an admin request (the admin lets only logged-in staff in)."""
    return int(request.user.pk or 0)


def moment(value: datetime | None) -> str:
    """A moment in the panel's time zone, with UTC on hover."""
    if value is None:
        return "—"
    return format_html(
        '<span title="{} UTC">{}</span>',
        f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
        f"{timezone.localtime(value):%Y-%m-%d %H:%M}",
    )


def moment_display(field_name: str, model: type[Model] | None = None) -> Callable[[Any, Model], str]:
    """A read-only column or field showing a model's moment field through `moment`, sortable by it."""
    label = getattr((model or TelegramUser)._meta.get_field(field_name), "verbose_name", field_name)

    @admin.display(description=label, ordering=field_name)
    def show(model_admin: Any, obj: Model) -> str:
        return moment(getattr(obj, field_name))

    return show


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


class StaffChangeForm(forms.Form):
    """A reason for the user's history, whether to tell them, and the form's one-time key (double clicks)."""

    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        help_text=_('Shown in each user\'s history, e.g. "compensation for the outage on 5 May".'),
        widget=UnfoldAdminTextInputWidget,
    )
    notify = forms.BooleanField(label=_("tell the user in the bot"), required=False, widget=UnfoldBooleanSwitchWidget)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = secrets.token_urlsafe(24)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why: the reason goes to the user's history."))
        return reason


class PremiumGrantForm(StaffChangeForm):
    days = forms.IntegerField(
        label=_("days of Premium to add"),
        min_value=1,
        max_value=MAX_PREMIUM_DAYS,
        initial=30,
        widget=UnfoldAdminIntegerFieldWidget,
    )
    field_order = ("days", "reason", "notify")


class PremiumRevokeForm(StaffChangeForm):
    field_order = ("reason", "notify")


class TelegramUserAdmin(ModelAdmin):
    """Registered by bot.admin, with every app's inlines and erasing across apps."""

    form = TelegramUserForm
    list_display = (
        "telegram_id",
        "username",
        "full_name",
        "sign",
        "premium_badge",
        "blocked_badge",
        "source",
        "first_seen",
        "last_seen",
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
    # "ci": case-insensitive in every alphabet, on SQLite too (users.search).
    search_fields = ("=telegram_id", "username__ci", "first_name__ci", "last_name__ci")
    date_hierarchy = "first_seen_at"
    ordering = ("-first_seen_at",)
    list_per_page = 50
    show_full_result_count = False
    actions = ("premium_extend_action", "premium_revoke_action", "export_csv_action")
    actions_detail: tuple[str, ...] = ("premium_grant_detail", "premium_revoke_detail")
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
                    "birth_utc_shown",
                    "sign",
                )
            },
        ),
        (_("Settings"), {"fields": ("current_tz", "local_time", "notify_enabled", "notify_time", "notify_changed")}),
        (_("Premium"), {"fields": ("premium_until_shown", "premium_badge")}),
        (_("Growth"), {"fields": ("source", "inviter_link", "invited_count", "invite_code")}),
        (
            _("Activity and privacy"),
            {
                "fields": (
                    "first_seen",
                    "last_seen",
                    "onboarded",
                    "consent",
                    "consent_version",
                    "blocked",
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
        "birth_utc_shown",
        "sign",
        "local_time",
        "notify_changed",
        "premium_until_shown",
        "premium_badge",
        "source",
        "inviter_link",
        "invited_count",
        "invite_code",
        "first_seen",
        "last_seen",
        "onboarded",
        "consent",
        "consent_version",
        "blocked",
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

    first_seen = moment_display("first_seen_at")
    last_seen = moment_display("last_seen_at")
    onboarded = moment_display("onboarded_at")
    consent = moment_display("consent_at")
    blocked = moment_display("blocked_at")
    notify_changed = moment_display("notify_changed_at")
    premium_until_shown = moment_display("premium_until")

    @admin.display(description=_("birth moment (UTC)"))
    def birth_utc_shown(self, user: TelegramUser) -> str:
        if user.birth_utc is None:
            return "—"
        utc = user.birth_utc.astimezone(UTC)
        zone = zone_or_none(user.birth_tz)
        hover = f"{user.birth_utc.astimezone(zone):%Y-%m-%d %H:%M} {user.birth_tz}" if zone else ""
        return format_html('<span title="{}">{} UTC</span>', hover, f"{utc:%Y-%m-%d %H:%M}")

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

    def premium_revoke_keep_ids(self, users: QuerySet) -> list[int]:
        """Users whose Premium a revoke must leave alone (the bot layer adds renewing subscriptions)."""
        return []

    def _premium_change(
        self, request: HttpRequest, users: QuerySet, form: StaffChangeForm, *, grant: bool
    ) -> PremiumChange | None:
        data = form.cleaned_data
        try:
            if grant:
                return users_premium_grant(
                    users=users,
                    days=data["days"],
                    staff_id=staff_id(request),
                    reason=data["reason"],
                    notify=data["notify"],
                    submission_key=data["submission_key"],
                )
            return users_premium_revoke(
                users=users,
                staff_id=staff_id(request),
                reason=data["reason"],
                keep_ids=self.premium_revoke_keep_ids(users),
                notify=data["notify"],
                submission_key=data["submission_key"],
            )
        except SubmissionReplayed:
            self.message_user(
                request, _("This form was already submitted; nothing was changed again."), messages.WARNING
            )
            return None

    def _premium_report(self, request: HttpRequest, change: PremiumChange, *, grant: bool, days: int = 0) -> None:
        count = len(change.user_ids)
        if grant:
            text = ngettext(
                "Premium extended by %(days)d days for %(count)d user.",
                "Premium extended by %(days)d days for %(count)d users.",
                count,
            ) % {"days": days, "count": count}
        else:
            text = ngettext("Premium ended for %(count)d user.", "Premium ended for %(count)d users.", count) % {
                "count": count
            }
        self.message_user(request, text, messages.SUCCESS)
        if change.skipped_ids:
            skipped = len(change.skipped_ids)
            self.message_user(
                request,
                ngettext(
                    "%(count)d user kept Premium: their Stars subscription renews. Turn off its renewal first.",
                    "%(count)d users kept Premium: their Stars subscriptions renew. Turn off the renewals first.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def _premium_form_page(
        self, request: HttpRequest, users: QuerySet, form: StaffChangeForm, *, grant: bool, action: str = ""
    ) -> TemplateResponse:
        """The reason form: for a list action it posts back the filter (in the URL), select_across and only the
        ids the list page itself posted, never every id of the selection."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Grant or extend Premium") if grant else _("End Premium now"),
            "opts": self.model._meta,
            "grant": grant,
            "count": users.count(),
            "preview": list(users[:PREVIEW_SIZE]),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)[: self.list_max_show_all],
            "select_across": request.POST.get("select_across") == "1",
            "form_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/users/telegramuser/premium_change.html", context)

    def _premium_action(
        self, request: HttpRequest, users: QuerySet, *, grant: bool, action: str
    ) -> HttpResponse | None:
        form_class = PremiumGrantForm if grant else PremiumRevokeForm
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            change = self._premium_change(request, users, form, grant=grant)
            if change is not None:
                self._premium_report(request, change, grant=grant, days=form.cleaned_data.get("days", 0))
            return None
        return self._premium_form_page(request, users, form, grant=grant, action=action)

    @admin.action(description=_("Grant or extend Premium by N days"), permissions=["change"])
    def premium_extend_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._premium_action(request, queryset, grant=True, action="premium_extend_action")

    @admin.action(description=_("End Premium now"), permissions=["change"])
    def premium_revoke_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._premium_action(request, queryset, grant=False, action="premium_revoke_action")

    def _premium_detail(self, request: HttpRequest, object_id: str, *, grant: bool) -> HttpResponse:
        users = TelegramUser.objects.filter(pk=object_id)
        if not users.exists():
            raise Http404
        change_url = reverse("admin:users_telegramuser_change", args=[users[0].pk])
        form_class = PremiumGrantForm if grant else PremiumRevokeForm
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            change = self._premium_change(request, users, form, grant=grant)
            if change is not None:
                self._premium_report(request, change, grant=grant, days=form.cleaned_data.get("days", 0))
            return HttpResponseRedirect(change_url)
        return self._premium_form_page(request, users, form, grant=grant)

    @action(description=_("Grant Premium"), url_path="premium-grant", permissions=["change"], icon="diamond")
    def premium_grant_detail(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._premium_detail(request, object_id, grant=True)

    @action(description=_("End Premium"), url_path="premium-revoke", permissions=["change"], icon="block")
    def premium_revoke_detail(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._premium_detail(request, object_id, grant=False)

    @admin.action(description=_("Export the selection as CSV"), permissions=["view"])
    def export_csv_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        """A CSV that Excel with Russian settings opens as columns: semicolons, a BOM, labels, local times."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="bot-users-{stamp}.csv"'
        # A BOM so that spreadsheet programs read Cyrillic names as UTF-8.
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        fields = [TelegramUser._meta.get_field(name) for name in CSV_COLUMNS]
        labels = [str(getattr(field, "verbose_name", field.name)) for field in fields]
        writer.writerow([*labels, str(_("invited by (Telegram id)"))])
        rows = queryset.order_by("pk").values_list(*CSV_COLUMNS, "invited_by__telegram_id")
        for row in rows.iterator(chunk_size=2000):
            writer.writerow([_csv_cell(field, value) for field, value in zip([*fields, None], row, strict=True)])
        return response


CSV_COLUMNS = (
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
    "first_seen_at",
    "last_seen_at",
    "onboarded_at",
    "blocked_at",
)


def _csv_cell(field: Any, value: object) -> object:
    """A value as staff read it: choices by label, yes/no, moments in local time to the minute."""
    if value is None or value == "":
        return ""
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    text = str(value)
    # Names are user-controlled: a leading =, +, - or @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
