import json

from asgiref.sync import async_to_sync
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from bot.models import Heartbeat, TelegramUpdate, UpdateStatus
from bot.privacy.person import person_erase
from bot.replay import updates_replay
from horoscopes.daily.admin import PushDeliveryInline
from horoscopes.natal.admin import NatalChartInline
from horoscopes.tarot.admin import TarotReadingInline
from payments.admin import PaymentInline
from users.admin import TelegramUserAdmin
from users.audit import audit_record_many
from users.models import TelegramUser


@admin.register(TelegramUser)
class PersonAdmin(TelegramUserAdmin):
    """The user's page: users' admin with what every app keeps about the person, and erasing across apps."""

    inlines = (PushDeliveryInline, NatalChartInline, TarotReadingInline, PaymentInline)

    def delete_model(self, request: HttpRequest, obj: TelegramUser) -> None:
        person_erase(user_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Deleting is erasing: every app's part goes, payments stay detached (as with /delete_me).
        for pk in list(queryset.values_list("pk", flat=True)):
            person_erase(user_id=pk)


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(ModelAdmin):
    list_display = ("update_id", "kind", "chat_id", "status", "attempts", "received_at", "finished_at")
    list_filter = ("status", "kind", "received_at")
    search_fields = ("=update_id", "=chat_id", "error")
    date_hierarchy = "received_at"
    actions = ("replay_failed",)
    readonly_fields = (
        "update_id",
        "kind",
        "chat_id",
        "status",
        "attempts",
        "received_at",
        "started_at",
        "finished_at",
        "raw_update",
        "error",
    )
    exclude = ("payload",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("raw update"))
    def raw_update(self, obj: TelegramUpdate) -> str:
        if not obj.payload:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2))

    def has_replay_permission(self, request: HttpRequest) -> bool:
        # Replaying sends messages to users: a permission of its own, not "view".
        return request.user.has_perm("bot.replay_telegramupdate")

    @admin.action(description=_("Process the selected failed updates again"), permissions=["replay"])
    def replay_failed(self, request, queryset) -> None:
        failed = dict(queryset.filter(status=UpdateStatus.FAILED).values_list("update_id", "pk"))
        ids = list(failed)
        if not ids:
            self.message_user(request, _("None of the selected updates has failed."), messages.WARNING)
            return
        audit_record_many(
            staff_id=request.user.pk,
            model=TelegramUpdate,
            pks=failed.values(),
            message=gettext("Processed again by staff."),
        )
        try:
            results = async_to_sync(updates_replay)(ids)
        except Exception as exc:
            self.message_user(request, _("Could not replay: %(error)s") % {"error": exc}, messages.ERROR)
            return
        done = sum(1 for outcome in results.values() if outcome == UpdateStatus.DONE)
        self.message_user(
            request,
            ngettext("%(done)d of %(total)d update processed.", "%(done)d of %(total)d updates processed.", len(ids))
            % {"done": done, "total": len(ids)},
            messages.SUCCESS if done == len(ids) else messages.WARNING,
        )


@admin.register(Heartbeat)
class HeartbeatAdmin(ModelAdmin):
    list_display = ("name", "beat_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
