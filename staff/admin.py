"""The admin's own models in the panel's theme: staff accounts, roles and the task queue (superusers only)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.urls import URLPattern, path
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from staff.models import DailyMetric
from staff.views import dashboard_csv, dashboard_refresh

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm


@admin.register(Group)
class RoleAdmin(BaseGroupAdmin, ModelAdmin):
    pass


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


@admin.register(DailyMetric)
class DailyMetricAdmin(ModelAdmin):
    """The dashboard's rolled-up rows: read-only, out of the app list; its URLs carry the dashboard's CSV and
    the "Recompute" button."""

    list_display = ("day", "key", "dimension", "value", "computed_at")
    list_filter = ("key",)
    date_hierarchy = "day"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path("csv/<slug:slug>/", self.admin_site.admin_view(dashboard_csv), name="staff_dashboard_csv"),
            path("refresh/", self.admin_site.admin_view(dashboard_refresh), name="staff_dashboard_refresh"),
            *super().get_urls(),
        ]
