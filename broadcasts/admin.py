"""Staff panel for broadcasts: compose (a variant per language), audience count, test-send, schedule, progress."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, StackedInline

from broadcasts.models import Broadcast, BroadcastStatus, BroadcastVariant
from broadcasts.selectors import broadcast_audience_count, broadcast_progress, staff_chat_id
from broadcasts.services import (
    PHOTO_MAX_BYTES,
    BroadcastError,
    broadcast_cancel,
    broadcast_pause,
    broadcast_problems,
    broadcast_resume,
    broadcast_schedule,
    broadcast_test_send,
    variant_problems,
)
from users.models import Sign

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


class VariantForm(forms.ModelForm):
    """One language's text: Telegram HTML checked on save."""

    class Meta:
        model = BroadcastVariant
        fields = ("language", "text", "button_text")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        problems = variant_problems(text=text, has_photo=False)
        if problems:
            raise forms.ValidationError(problems)
        return text


class VariantInline(StackedInline):
    model = BroadcastVariant
    form = VariantForm
    extra = 2
    max_num = 2

    def has_change_permission(self, request: HttpRequest, obj: Broadcast | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)

    def has_add_permission(self, request: HttpRequest, obj: Broadcast | None = None) -> bool:
        return super().has_add_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)

    def has_delete_permission(self, request: HttpRequest, obj: Broadcast | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)


class BroadcastForm(forms.ModelForm):
    """The broadcast with an optional picture upload (kept in the database, so every worker can send it)."""

    picture = forms.FileField(
        label=capfirst(_("picture")), required=False, help_text=_("JPEG, PNG or WebP, at most 5 MB.")
    )
    remove_picture = forms.BooleanField(label=capfirst(_("remove the picture")), required=False)
    button_url = forms.URLField(label=capfirst(_("button link")), required=False, assume_scheme="https")
    signs = forms.MultipleChoiceField(
        label=capfirst(_("signs")), choices=Sign.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Broadcast
        fields = (
            "title",
            "default_language",
            "missing_variant",
            "button_kind",
            "button_url",
            "button_action",
            "signs",
            "language",
            "premium",
            "active_days",
            "source",
            "invited",
            "onboarded",
            "notifications_on",
            "timing",
            "send_at",
            "local_time",
            "paid",
        )

    def clean_picture(self) -> object:
        upload = self.cleaned_data.get("picture")
        if upload is None:
            return None
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(gettext("The picture is larger than 5 MB."))
        if getattr(upload, "content_type", "") not in PHOTO_TYPES:
            raise forms.ValidationError(gettext("Upload a JPEG, PNG or WebP picture."))
        return upload

    def save(self, commit: bool = True) -> Broadcast:
        broadcast = super().save(commit=False)
        upload = self.cleaned_data.get("picture")
        if upload is not None:
            broadcast.photo = upload.read()
            broadcast.photo_name = upload.name[:200]
            broadcast.photo_file_id = ""
        elif self.cleaned_data.get("remove_picture"):
            broadcast.photo, broadcast.photo_name, broadcast.photo_file_id = None, "", ""
        if commit:
            broadcast.save()
        return broadcast


def _staff_id(request: HttpRequest) -> int:
    """The logged-in staff member's id (admin views only run for one)."""
    if request.user.pk is None:
        raise PermissionDenied
    return int(request.user.pk)


class TestSendForm(forms.Form):
    telegram_id = forms.IntegerField(label=_("Your Telegram id"), min_value=1, max_value=10**15)


@admin.register(Broadcast)
class BroadcastAdmin(ModelAdmin):
    form = BroadcastForm
    inlines = [VariantInline]
    list_display = ("title", "status", "timing", "send_at", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)
    change_form_outer_after_template = "admin/broadcasts/broadcast/panel.html"
    fieldsets = (
        (None, {"fields": ("title", "default_language", "missing_variant", "picture", "remove_picture")}),
        (_("Button"), {"fields": ("button_kind", "button_url", "button_action")}),
        (
            _("Audience"),
            {
                "fields": (
                    "signs",
                    "language",
                    "premium",
                    "active_days",
                    "source",
                    "invited",
                    "onboarded",
                    "notifications_on",
                )
            },
        ),
        (_("Schedule"), {"fields": ("timing", "send_at", "local_time", "paid")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Broadcast | None = None) -> tuple[str, ...]:
        if obj is not None and obj.status != BroadcastStatus.DRAFT:
            return ("title", "default_language", "missing_variant", "button_kind", "button_url", "button_action",
                    "language", "premium", "active_days", "source", "invited", "onboarded", "notifications_on",
                    "timing", "send_at", "local_time", "paid", "signs")  # fmt: skip
        return ()

    def get_fieldsets(self, request: HttpRequest, obj: Broadcast | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.status != BroadcastStatus.DRAFT:
            first = dict(fieldsets[0][1])
            first["fields"] = ("title", "default_language", "missing_variant")
            fieldsets[0] = (None, first)
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Broadcast, form: forms.ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_send_broadcast_permission(self, request: HttpRequest, obj: Broadcast | None = None) -> bool:
        return request.user.has_perm("broadcasts.send_broadcast")

    def has_delete_permission(self, request: HttpRequest, obj: Broadcast | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)

    def get_urls(self) -> list:
        views = [
            ("test", self.test_view),
            ("schedule", self.schedule_view),
            ("pause", self.pause_view),
            ("resume", self.resume_view),
            ("cancel", self.cancel_view),
        ]
        return [
            *(
                path(f"<path:object_id>/{name}/", self.admin_site.admin_view(view), name=f"broadcasts_broadcast_{name}")
                for name, view in views
            ),
            *super().get_urls(),
        ]

    def render_change_form(
        self, request: HttpRequest, context: dict, add: bool = False, change: bool = False, form_url: str = "", obj=None
    ) -> HttpResponse:
        if obj is not None:
            context["audience"] = broadcast_audience_count(obj)
            context["problems"] = broadcast_problems(obj)
            context["progress"] = broadcast_progress(obj)
            context["can_send"] = self.has_send_broadcast_permission(request, obj)
            chat = staff_chat_id(user_id=request.user.pk) if request.user.pk else None
            context["test_form"] = TestSendForm(initial={"telegram_id": chat})
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _target(self, request: HttpRequest, object_id: str) -> Broadcast:
        if request.method != "POST" or not self.has_send_broadcast_permission(request):
            raise PermissionDenied
        if not object_id.isdigit():
            raise PermissionDenied
        return get_object_or_404(Broadcast, pk=int(object_id))

    @staticmethod
    def _back(broadcast: Broadcast) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:broadcasts_broadcast_change", args=[broadcast.pk]))

    def test_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Send every language variant to the staff member's own Telegram account."""
        broadcast = self._target(request, object_id)
        form = TestSendForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Enter your Telegram id (a number) to get the test."))
            return self._back(broadcast)
        try:
            broadcast_test_send(
                broadcast_id=broadcast.pk, staff_id=_staff_id(request), telegram_id=form.cleaned_data["telegram_id"]
            )
        except BroadcastError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The test is on its way to your Telegram."))
        return self._back(broadcast)

    def schedule_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Freeze the audience and hand the broadcast to the sender."""
        broadcast = self._target(request, object_id)
        try:
            count = broadcast_schedule(broadcast_id=broadcast.pk, staff_id=request.user.pk)
        except BroadcastError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Scheduled for %(count)s users.") % {"count": count})
        return self._back(broadcast)

    def _switch(self, request: HttpRequest, object_id: str, service, done: str, refused: str) -> HttpResponse:
        broadcast = self._target(request, object_id)
        if service(broadcast_id=broadcast.pk, staff_id=request.user.pk):
            messages.success(request, done)
        else:
            messages.info(request, refused)
        return self._back(broadcast)

    def pause_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Stop sending for now."""
        return self._switch(
            request, object_id, broadcast_pause, gettext("Paused."), gettext("Only a broadcast being sent can pause.")
        )

    def resume_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Go on sending."""
        return self._switch(
            request, object_id, broadcast_resume, gettext("Sending again."), gettext("The broadcast is not paused.")
        )

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Send nothing more."""
        return self._switch(
            request, object_id, broadcast_cancel, gettext("Canceled."), gettext("The broadcast is already over.")
        )
