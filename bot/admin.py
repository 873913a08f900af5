import json
import secrets
from typing import Any

from asgiref.sync import async_to_sync
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action
from unfold.widgets import UnfoldAdminTextareaWidget

from bot.models import Heartbeat, TelegramUpdate, UpdateStatus
from bot.privacy.person import person_erase
from bot.replay import updates_replay
from bot.services import staff_message_queue
from horoscopes.daily.admin import PushDeliveryInline
from horoscopes.natal.admin import NatalChartInline
from horoscopes.tarot.admin import TarotReadingInline
from payments.admin import PaymentInline
from payments.models import Subscription
from payments.providers import ProviderError
from payments.selectors import subscribers_renewing, user_subscription_by_id, user_subscriptions
from payments.services import PaymentRefused, subscription_cancel
from users.admin import TelegramUserAdmin, moment_display, staff_id
from users.audit import audit_record, audit_record_many
from users.models import TelegramUser
from users.services import SubmissionReplayed

# The user's page shows each kind of record in pages of this many rows; "all records" links to the full lists.
INLINE_PAGE = 10
# Telegram's limit for one message's text.
MESSAGE_LIMIT = 4096


def _paged(inline: type[InlineModelAdmin]) -> type[InlineModelAdmin]:
    """The inline in pages of INLINE_PAGE rows, newest first (a user may have thousands of readings)."""
    return type(f"Paged{inline.__name__}", (inline,), {"per_page": INLINE_PAGE, "__module__": __name__})


class SubscriptionInline(TabularInline):
    model = Subscription
    fk_name = "user"
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ("plan", "created_at", "expires_at", "canceled_at", "renewed_at")
    readonly_fields = fields
    per_page = INLINE_PAGE
    verbose_name_plural = _("Stars subscriptions")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StaffMessageForm(forms.Form):
    text = forms.CharField(
        label=_("message"),
        max_length=MESSAGE_LIMIT,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 6}),
        help_text=_("Plain text, sent by the bot as it is written; it is kept in the user's history."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = secrets.token_urlsafe(24)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the message first."))
        return text


@admin.register(TelegramUser)
class PersonAdmin(TelegramUserAdmin):
    """The user's page: users' admin with what every app keeps about the person, and erasing across apps."""

    inlines = (
        SubscriptionInline,
        _paged(PaymentInline),
        _paged(TarotReadingInline),
        _paged(PushDeliveryInline),
        NatalChartInline,
    )
    actions_detail = (
        "premium_grant_detail",
        "premium_revoke_detail",
        "message_detail",
        "subscriptions_detail",
    )

    def get_fieldsets(self, request: HttpRequest, obj: TelegramUser | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        fieldsets.insert(1, (_("Support"), {"fields": ("chat_links", "records")}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: TelegramUser | None = None) -> tuple:
        return (*super().get_readonly_fields(request, obj), "chat_links", "records")

    def premium_revoke_keep_ids(self, users: QuerySet) -> list[int]:
        # A renewing subscription would grant Premium again at the next charge: staff turn the renewal off first.
        return subscribers_renewing(users=users)

    @admin.display(description=_("chat"))
    def chat_links(self, user: TelegramUser) -> str:
        links = [format_html('<a href="tg://user?id={}">{}</a>', user.telegram_id, _("open in Telegram"))]
        if user.username:
            links.append(
                format_html(
                    '<a href="https://t.me/{}" target="_blank" rel="noopener">t.me/{}</a>', user.username, user.username
                )
            )
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description=_("all records"))
    def records(self, user: TelegramUser) -> str:
        """Links to the full lists: the inlines below show only the latest rows."""
        lists = (
            ("payments", "payment", _("payments")),
            ("payments", "subscription", _("Stars subscriptions")),
            ("horoscopes", "tarotreading", _("tarot readings")),
            ("horoscopes", "pushdelivery", _("daily pushes")),
        )
        return format_html_join(
            " · ",
            '<a href="{}?user__id__exact={}">{}</a>',
            ((reverse(f"admin:{app}_{model}_changelist"), user.pk, label) for app, model, label in lists),
        )

    # --- support actions on the user's page ---------------------------------------------------------------

    def _page(
        self, request: HttpRequest, user: TelegramUser, title: Any, template: str, **context: Any
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "original": user,
            "change_url": reverse("admin:users_telegramuser_change", args=[user.pk]),
            **context,
        }
        return TemplateResponse(request, template, context)

    @action(description=_("Send a message"), url_path="message", permissions=["change"], icon="chat")
    def message_detail(self, request: HttpRequest, object_id: str) -> HttpResponse:
        user = get_object_or_404(TelegramUser, pk=object_id)
        form = StaffMessageForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                staff_message_queue(
                    user_id=user.pk,
                    staff_id=staff_id(request),
                    text=form.cleaned_data["text"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except SubmissionReplayed:
                self.message_user(request, _("This message was already sent."), messages.WARNING)
            else:
                self.message_user(request, _("The message is on its way to the user."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:users_telegramuser_change", args=[user.pk]))
        notice = _("This user has blocked the bot: the message will not arrive.") if user.blocked_at else ""
        return self._page(
            request, user, _("Send a message"), "admin/users/telegramuser/message.html", form=form, notice=notice
        )

    @action(description=_("Subscriptions"), url_path="subscriptions", permissions=["change"], icon="autorenew")
    def subscriptions_detail(self, request: HttpRequest, object_id: str) -> HttpResponse:
        user = get_object_or_404(TelegramUser, pk=object_id)
        if request.method == "POST":
            return self._subscription_cancel(request, user)
        now = timezone.now()
        rows = [(subscription, subscription.renews(now)) for subscription in user_subscriptions(user_id=user.pk)]
        return self._page(request, user, _("Subscriptions"), "admin/users/telegramuser/subscriptions.html", rows=rows)

    def _subscription_cancel(self, request: HttpRequest, user: TelegramUser) -> HttpResponse:
        back = reverse("admin:users_telegramuser_subscriptions_detail", args=[user.pk])
        try:
            subscription_id = int(request.POST.get("subscription", ""))
        except ValueError:
            self.message_user(request, _("Choose a subscription."), messages.ERROR)
            return HttpResponseRedirect(back)
        subscription = user_subscription_by_id(user_id=user.pk, subscription_id=subscription_id)
        if subscription is None:
            self.message_user(request, _("Choose a subscription."), messages.ERROR)
            return HttpResponseRedirect(back)
        if subscription.canceled_at is not None:
            # A double click or a replay: the renewal is already off.
            self.message_user(request, _("Auto-renewal of this subscription is already off."), messages.INFO)
            return HttpResponseRedirect(back)
        try:
            subscription_cancel(subscription_id=subscription.pk)
        except (ProviderError, PaymentRefused) as exc:
            self.message_user(
                request, _("Telegram did not turn off the renewal: %(error)s") % {"error": exc}, messages.ERROR
            )
            return HttpResponseRedirect(back)
        audit_record(
            staff_id=staff_id(request),
            obj=user,
            message=f"Auto-renewal of Stars subscription #{subscription.pk} turned off.",
        )
        self.message_user(
            request, _("Auto-renewal is off: Premium lasts until the end of the paid period."), messages.SUCCESS
        )
        return HttpResponseRedirect(back)

    def delete_model(self, request: HttpRequest, obj: TelegramUser) -> None:
        person_erase(user_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Deleting is erasing: every app's part goes, payments stay detached (as with /delete_me).
        for pk in list(queryset.values_list("pk", flat=True)):
            person_erase(user_id=pk)


UPDATE_KIND_LABELS = {
    "message": _("message"),
    "edited_message": _("edited message"),
    "callback_query": _("button press"),
    "pre_checkout_query": _("payment check"),
    "my_chat_member": _("bot blocked or unblocked"),
    "shipping_query": _("shipping query"),
    "inline_query": _("inline query"),
    "channel_post": _("channel post"),
    "chat_member": _("chat member change"),
}


class UpdateKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return list(UPDATE_KIND_LABELS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(ModelAdmin):
    list_display = ("update_id", "kind_label", "user_link", "status", "attempts", "received", "finished")
    list_filter = ("status", UpdateKindFilter, "received_at")
    search_fields = ("=update_id", "=chat_id", "error")
    date_hierarchy = "received_at"
    actions = ("replay_failed",)
    readonly_fields = (
        "update_id",
        "kind_label",
        "user_link",
        "chat_id",
        "status",
        "attempts",
        "received",
        "started",
        "finished",
        "raw_update",
        "error",
    )
    fields = readonly_fields

    received = moment_display("received_at", TelegramUpdate)
    started = moment_display("started_at", TelegramUpdate)
    finished = moment_display("finished_at", TelegramUpdate)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Updates from private chats carry the user's Telegram id as the chat id: one subquery, no N+1.
        person = TelegramUser.objects.filter(telegram_id=OuterRef("chat_id")).values("pk")[:1]
        return super().get_queryset(request).annotate(user_pk=Subquery(person))

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj: TelegramUpdate) -> str:
        return str(UPDATE_KIND_LABELS.get(obj.kind, obj.kind or "—"))

    @admin.display(description=_("user"))
    def user_link(self, obj: TelegramUpdate) -> str:
        user_pk = getattr(obj, "user_pk", None)
        if user_pk is None:
            return str(obj.chat_id or "—")
        url = reverse("admin:users_telegramuser_change", args=[user_pk])
        return format_html('<a href="{}">{}</a>', url, obj.chat_id)

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
