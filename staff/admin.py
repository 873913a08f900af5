"""The admin's own models in the panel's theme: staff accounts, roles and the task queue (superusers only)."""

from datetime import UTC
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from constance.admin import Config, ConstanceAdmin
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from staff.models import DailyMetric
from staff.roles import OWNER_EXCLUDED_APPS, role_label
from staff.views import dashboard_csv, dashboard_refresh, otp_setup_view

ACTION_LABELS = {ADDITION: _("added"), CHANGE: _("changed"), DELETION: _("deleted")}


def _grantable(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """Permissions a non-superuser may hand out: none of the task queue's (it runs code by dotted path)."""
    if request.user.is_superuser:
        return queryset
    return queryset.exclude(content_type__app_label__in=OWNER_EXCLUDED_APPS)


admin.site.unregister(User)
admin.site.unregister(Group)
# The login with a field for the authenticator's code (staff.forms.StaffLoginForm, set in settings.UNFOLD).
admin.site.login_template = "admin/staff_login.html"


class GrantableOnly:
    """Permission pickers offer a non-superuser only the permissions they may hand out."""

    def formfield_for_manytomany(self, db_field: Any, request: Any = None, **kwargs: Any) -> Any:
        if request is not None and db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = _grantable(request, Permission.objects.select_related("content_type"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(User)
class StaffUserAdmin(GrantableOnly, BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm

    # Only a superuser makes or changes superusers: an owner manages staff but cannot reach the task queue
    # by promoting an account (their own included) or by taking over a superuser's password.
    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "is_superuser")

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Group)
class RoleAdmin(GrantableOnly, BaseGroupAdmin, ModelAdmin):
    list_display = ("name", "label", "members")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        return super().get_queryset(request).annotate(member_count=Count("user"))

    @admin.display(description=_("role"))
    def label(self, group: Group) -> str:
        return role_label(group.name)

    @admin.display(description=_("staff"), ordering="member_count")
    def members(self, group: Group) -> int:
        return group.member_count  # type: ignore[attr-defined]  # annotated in get_queryset


class SuperuserOnly:
    """The task queue runs code by dotted path: only superusers see or touch it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser


for model, base in (
    (Schedule, q_admin.ScheduleAdmin),
    (Success, q_admin.TaskAdmin),
    (Failure, q_admin.FailAdmin),
    (OrmQ, q_admin.QueueAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"{model.__name__}Admin", (SuperuserOnly, base, ModelAdmin), {}))


class ViewOnly:
    """Rows the system writes: staff read them, nobody adds, changes or deletes one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LogEntry)
class AuditLogAdmin(ViewOnly, ModelAdmin):
    """What staff did, newest first: read-only, for owners (view permission) and superusers."""

    list_display = ("action_time_display", "user", "action_display", "object_link", "message")
    list_filter = (("user", admin.RelatedOnlyFieldListFilter), "content_type", "action_flag", "action_time")
    search_fields = ("object_repr", "=object_id", "change_message")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
    list_per_page = 50
    fields = ("action_time", "user", "content_type", "object_link", "action_display", "message")
    readonly_fields = fields

    @admin.display(description=_("time"), ordering="action_time")
    def action_time_display(self, entry: LogEntry) -> str:
        local = timezone.localtime(entry.action_time)
        utc = entry.action_time.astimezone(UTC)
        return format_html(
            '<time datetime="{}" title="{} UTC">{}</time>',
            utc.isoformat(),
            utc.strftime("%Y-%m-%d %H:%M:%S"),
            date_format(local, "SHORT_DATETIME_FORMAT"),
        )

    @admin.display(description=_("action"), ordering="action_flag")
    def action_display(self, entry: LogEntry) -> str:
        return str(ACTION_LABELS.get(entry.action_flag, entry.action_flag))

    @admin.display(description=_("object"))
    def object_link(self, entry: LogEntry) -> str:
        label = f"{entry.content_type.name if entry.content_type else ''}: {entry.object_repr}"
        url = entry.get_admin_url() if entry.action_flag != DELETION else ""
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description=_("what was done"))
    def message(self, entry: LogEntry) -> str:
        return entry.get_change_message()


class StaffDeviceAdmin(TOTPDeviceAdmin, ModelAdmin):
    """Staff members' authenticators: an owner removes a lost one; everyone sets up their own at "setup/"."""

    def get_urls(self) -> list:
        # django_otp's own QR code pages are left out: a key is shown once, to its owner, while setting up.
        setup = path("setup/", self.admin_site.admin_view(self.setup_view), name="staff_otp_setup")
        return [setup, *ModelAdmin.get_urls(self)]

    def setup_view(self, request: HttpRequest) -> HttpResponse:
        return otp_setup_view(request, self.admin_site)


class SignInAttemptAdmin(AccessAttemptAdmin, ModelAdmin):
    """Failed sign-ins and lockouts; deleting an attempt unlocks that username and address."""

    @admin.action(description=AccessAttemptAdmin.cleanup_expired_attempts.short_description, permissions=["delete"])
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
        AccessAttemptAdmin.cleanup_expired_attempts(self, request, queryset)


for model, base in (
    (TOTPDevice, StaffDeviceAdmin),
    (AccessAttempt, SignInAttemptAdmin),
    (AccessLog, type("AccessLogAdmin", (AccessLogAdmin, ModelAdmin), {})),
    (AccessFailureLog, type("AccessFailureLogAdmin", (AccessFailureLogAdmin, ModelAdmin), {})),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, base)


admin.site.unregister([Config])


@admin.register(Config)
class BotSettingsAdmin(ConstanceAdmin):
    """Bot settings (django-constance in unfold's templates); every save is logged on the settings' history."""

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().changelist_view(request, extra_context={"title": _("Bot settings"), **(extra_context or {})})


@admin.register(DailyMetric)
class DailyMetricAdmin(ViewOnly, ModelAdmin):
    """The dashboard's rolled-up rows: read-only, out of the app list; its URLs carry the dashboard's CSV and
    the "Recompute" button."""

    list_display = ("day", "key", "dimension", "value", "computed_at")
    list_filter = ("key",)
    date_hierarchy = "day"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path("csv/<slug:slug>/", self.admin_site.admin_view(dashboard_csv), name="staff_dashboard_csv"),
            path("refresh/", self.admin_site.admin_view(dashboard_refresh), name="staff_dashboard_refresh"),
            *super().get_urls(),
        ]
