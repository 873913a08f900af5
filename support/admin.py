"""Staff panel for the support inbox: the conversation, an answer form under it, closing."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.widgets import UnfoldAdminTextareaWidget

from support.models import Direction, SupportMessage, SupportRequest
from support.selectors import support_conversation
from support.services import TEXT_LIMIT, SupportRefused, support_reply_create, support_request_close


class ReplyForm(forms.Form):
    """The answer to a request; `key` is new on each rendering, so a second submit of the same form adds nothing."""

    text = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_LIMIT,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 5}),
        strip=True,
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _staff_id(request: HttpRequest) -> int:
    """The logged-in staff member's id (admin views only run for one)."""
    if request.user.pk is None:
        raise PermissionDenied
    return int(request.user.pk)


@admin.register(SupportRequest)
class SupportRequestAdmin(ModelAdmin):
    list_display = ("__str__", "user", "topic", "status", "messages_count", "last_text", "updated_at")
    list_filter = ("status", "topic")
    search_fields = ("user__username", "user__first_name", "user__last_name", "messages__text")
    list_select_related = ("user",)
    readonly_fields = ("user", "topic", "status", "created_at", "updated_at")
    fields = readonly_fields
    change_form_outer_after_template = "admin/support/supportrequest/conversation.html"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportRequest]:
        last = SupportMessage.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(messages_total=Count("messages", distinct=True), last_message=Subquery(last.values("text")[:1]))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[SupportRequest], search_term: str
    ) -> tuple[QuerySet[SupportRequest], bool]:
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("messages"), ordering="messages_total")
    def messages_count(self, obj: SupportRequest) -> int:
        return getattr(obj, "messages_total", 0)

    @admin.display(description=_("last message"))
    def last_text(self, obj: SupportRequest) -> str:
        text = getattr(obj, "last_message", "") or ""
        return text if len(text) <= 80 else text[:79] + "…"

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="support_supportrequest_reply",
            ),
            path(
                "<path:object_id>/close/",
                self.admin_site.admin_view(self.close_view),
                name="support_supportrequest_close",
            ),
            *super().get_urls(),
        ]

    def render_change_form(
        self, request: HttpRequest, context: dict, add: bool = False, change: bool = False, form_url: str = "", obj=None
    ) -> HttpResponse:
        if obj is not None:
            context["conversation"] = list(support_conversation(request_id=obj.pk))
            context["reply_form"] = ReplyForm(initial={"key": uuid.uuid4().hex})
            context["can_answer"] = self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _request_or_404(self, request: HttpRequest, object_id: str) -> SupportRequest:
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        if not object_id.isdigit():
            raise PermissionDenied
        return get_object_or_404(SupportRequest, pk=int(object_id))

    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Store the answer and hand it to the worker for delivery."""
        support_request = self._request_or_404(request, object_id)
        change_url = reverse("admin:support_supportrequest_change", args=[support_request.pk])
        form = ReplyForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, gettext("Write the answer first (at most %(limit)d characters).") % {"limit": TEXT_LIMIT}
            )
            return HttpResponseRedirect(change_url)
        try:
            _message, created = support_reply_create(
                request_id=support_request.pk,
                staff_id=_staff_id(request),
                text=form.cleaned_data["text"],
                key=form.cleaned_data["key"],
            )
        except SupportRefused:
            messages.error(
                request, gettext("The answer could not be saved: the request is gone or the answer is empty.")
            )
            return HttpResponseRedirect(change_url)
        if created:
            messages.success(request, gettext("The answer is saved; the bot is delivering it."))
        else:
            messages.info(request, gettext("This answer was already sent; it is not sent again."))
        return HttpResponseRedirect(change_url)

    def close_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Close the request."""
        support_request = self._request_or_404(request, object_id)
        if support_request_close(request_id=support_request.pk, staff_id=_staff_id(request)):
            messages.success(request, gettext("The request is closed."))
        return HttpResponseRedirect(reverse("admin:support_supportrequest_change", args=[support_request.pk]))


__all__ = ["Direction", "SupportRequestAdmin"]
