"""The admin's own models in the panel's theme: staff accounts, roles and the task queue (superusers only)."""

from constance.admin import Config, ConstanceAdmin
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

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


admin.site.unregister([Config])


@admin.register(Config)
class BotSettingsAdmin(ConstanceAdmin):
    """Bot settings (django-constance in unfold's templates); every save is logged on the settings' history."""

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().changelist_view(request, extra_context={"title": _("Bot settings"), **(extra_context or {})})
