"""Staff panel for plans, payments (with refunds) and Stars subscriptions."""

import json
from datetime import UTC, datetime
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.widgets import UnfoldAdminTextInputWidget

from payments.errors import provider_error_text
from payments.models import Payment, PaymentStatus, Plan, PremiumNotice, Subscription
from payments.providers import ProviderError
from payments.selectors import REFUND_BATCH_MAX, RefundSummary, payments_refund_summary, payments_refundable
from payments.services import (
    PaymentRefused,
    RefundOutcome,
    RefundState,
    payment_refund,
    refund_audit_message,
    subscription_cancel,
)
from users.audit import audit_record


@admin.register(Plan)
class PlanAdmin(ModelAdmin):
    list_display = (
        "name_en",
        "name_ru",
        "days",
        "price_stars",
        "price_rub",
        "is_subscription",
        "is_active",
        "position",
    )
    list_editable = ("price_stars", "price_rub", "is_active", "position")
    list_filter = ("is_active", "is_subscription")
    search_fields = ("code", "name_en", "name_ru")
    ordering = ("position", "id")


def _pretty_json(data: object) -> str:
    return format_html("<pre style='white-space: pre-wrap'>{}</pre>", json.dumps(data, ensure_ascii=False, indent=2))


class RefundConfirmForm(forms.Form):
    """The confirmation of a refund: an optional reason, kept in the payment's history."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=255,
        widget=UnfoldAdminTextInputWidget(attrs={"placeholder": _("e.g. the user asked in support")}),
    )


def _error_html(error: ProviderError | None, code: str = "") -> str:
    """A provider error for staff: the sentence, with the provider's raw code on hover."""
    raw = f"{error.code or '-'}: {error}" if error is not None else code
    return format_html('<span title="{}">{}</span>', raw, provider_error_text(error, code))


def _refund_report(request: HttpRequest, outcomes: list[RefundOutcome]) -> None:
    """Tell staff how a batch of refunds went: counts, and a line per payment that needs attention."""
    by_state: dict[str, list[RefundOutcome]] = {}
    for outcome in outcomes:
        by_state.setdefault(outcome.state, []).append(outcome)
    done = len(by_state.get(RefundState.REFUNDED, []))
    if done:
        text = ngettext(
            "%(count)d payment refunded; the user has been told.",
            "%(count)d payments refunded; their users have been told.",
            done,
        )
        messages.success(request, text % {"count": done})
    already = len(by_state.get(RefundState.ALREADY, []))
    if already:
        text = ngettext(
            "%(count)d payment was already refunded or is being refunded: nothing was done to it.",
            "%(count)d payments were already refunded or are being refunded: nothing was done to them.",
            already,
        )
        messages.warning(request, text % {"count": already})
    for outcome in by_state.get(RefundState.PENDING, []):
        messages.warning(
            request,
            format_html(
                "{}: {} {}",
                outcome.payment.public_id,
                _("refund pending, the provider did not answer. It is checked again automatically."),
                _error_html(outcome.error),
            ),
        )
    for outcome in by_state.get(RefundState.REFUSED, []):
        messages.error(
            request,
            format_html(
                "{}: {} {}",
                outcome.payment.public_id,
                _("the provider refused the refund."),
                _error_html(outcome.error),
            ),
        )


def _zone_label(title: Promise) -> str:
    """A column title that names the time zone the times are shown in (the active one), evaluated per request."""
    return lazy(lambda: f"{title} ({timezone.get_current_timezone_name()})", str)()


def _when(moment: datetime | None) -> str:
    """A time in the active zone, the UTC time on hover."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return format_html(
        '<span title="{} UTC">{}</span>',
        moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        local.strftime("%d.%m.%Y %H:%M"),
    )


@admin.register(Payment)
class PaymentAdmin(ModelAdmin):
    list_display = (
        "public_id",
        "created_column",
        "user_column",
        "plan_column",
        "amount_column",
        "provider",
        "status_column",
    )
    list_filter = ("status", "provider", "currency", "is_recurring", "created_at")
    search_fields = (
        "public_id",
        "provider_payment_id",
        "user__telegram_id",
        "user__username",
        "user__first_name",
        "payer_telegram_id",
        "payer_ref",
    )
    search_help_text = _("Search by order id, charge id, Telegram id or username, also of users who erased their data.")
    list_select_related = ("user", "plan")
    date_hierarchy = "created_at"
    actions = ("refund_selected",)
    readonly_fields = [field.name for field in Payment._meta.fields if field.name != "raw"] + [
        "raw_pretty",
        "refund_error_text",
    ]
    exclude = ("raw",)
    change_form_template = "admin/payments/payment/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Payments come from users paying, never from a form."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        """Payment records are kept for accounting."""
        return False

    def has_refund_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        """Refunding is changing a payment: view-only staff cannot."""
        return self.has_change_permission(request, obj)

    @admin.display(description=_zone_label(_("created")), ordering="created_at")
    def created_column(self, obj: Payment) -> str:
        return _when(obj.created_at)

    @admin.display(description=_("user"), ordering="user")
    def user_column(self, obj: Payment) -> str:
        if obj.user is not None:
            return str(obj.user)
        if obj.payer_telegram_id:
            return format_html("{} <small>({})</small>", _("erased"), obj.payer_telegram_id)
        return "—"

    @admin.display(description=_("plan"), ordering="plan__position")
    def plan_column(self, obj: Payment) -> str:
        return obj.plan.name(get_language() or "") if obj.plan else "—"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_column(self, obj: Payment) -> str:
        return obj.amount_display()

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj: Payment) -> str:
        label = obj.get_status_display()
        if obj.refund_error:
            return format_html("{}<br>{}", label, _error_html(None, obj.refund_error))
        return label

    @admin.display(description=_("last refund error"))
    def refund_error_text(self, obj: Payment) -> str:
        return _error_html(None, obj.refund_error) if obj.refund_error else "—"

    @admin.display(description=_("provider data"))
    def raw_pretty(self, obj: Payment) -> str:
        return _pretty_json(obj.raw)

    @admin.action(description=_("Refund selected payments…"), permissions=["refund"])
    def refund_selected(self, request: HttpRequest, queryset: QuerySet[Payment]) -> HttpResponse | None:
        """Ask for confirmation with the totals, then refund (at most REFUND_BATCH_MAX at once)."""
        summary = payments_refund_summary(queryset)
        if not summary.refundable:
            messages.warning(request, _("None of the selected payments is paid: there is nothing to refund."))
            return None
        if summary.too_many:
            text = ngettext(
                "%(count)d paid payment is selected, but at most %(max)d can be refunded at once. "
                "Narrow the selection with the filters or the search.",
                "%(count)d paid payments are selected, but at most %(max)d can be refunded at once. "
                "Narrow the selection with the filters or the search.",
                summary.refundable,
            )
            messages.error(request, text % {"count": summary.refundable, "max": REFUND_BATCH_MAX})
            return None
        confirmed = request.POST.get("post") == "yes"
        form = RefundConfirmForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            ids = list(payments_refundable(queryset).order_by("pk").values_list("pk", flat=True))
            self._refund(request, ids, reason=form.cleaned_data["reason"])
            return None
        return self._confirmation(request, summary, payments_refundable(queryset), form, action=True)

    def _refund(self, request: HttpRequest, ids: list[int], *, reason: str) -> list[RefundOutcome]:
        outcomes = []
        staff_id = cast(int, request.user.pk)
        for payment_id in ids:
            try:
                outcome = payment_refund(payment_id=payment_id, staff_id=staff_id, reason=reason)
            except PaymentRefused:
                continue  # no longer paid (refunded elsewhere in the meantime)
            if outcome.state != RefundState.ALREADY:
                audit_record(
                    staff_id=staff_id, obj=outcome.payment, message=refund_audit_message(outcome, reason=reason)
                )
            outcomes.append(outcome)
        _refund_report(request, outcomes)
        return outcomes

    def _confirmation(
        self,
        request: HttpRequest,
        summary: RefundSummary,
        payments: QuerySet[Payment],
        form: RefundConfirmForm,
        *,
        action: bool,
        change_url: str = "",
        payment: Payment | None = None,
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund payments?"),
            "opts": self.model._meta,
            "summary": summary,
            "payments": payments.select_related("user", "plan", "subscription").order_by("-created_at"),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "change_url": change_url,
            "changelist_url": reverse("admin:payments_payment_changelist"),
            "payment": payment,
        }
        return TemplateResponse(request, "admin/payments/payment/refund_confirmation.html", context)

    def get_urls(self) -> list:
        urls = [
            path(
                "<path:object_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="payments_payment_refund",
            )
        ]
        return urls + super().get_urls()

    def refund_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm, then refund one payment from its page."""
        if not self.has_refund_permission(request):
            raise PermissionDenied
        if not object_id.isdigit():
            raise Http404
        payment = get_object_or_404(Payment, pk=object_id)
        change_url = reverse("admin:payments_payment_change", args=[payment.pk])
        single = Payment.objects.filter(pk=payment.pk)
        summary = payments_refund_summary(single)
        form = RefundConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if summary.refundable:
                self._refund(request, [payment.pk], reason=form.cleaned_data["reason"])
            elif payment.status in (PaymentStatus.REFUNDED, PaymentStatus.REFUNDING):
                messages.warning(request, _("%(payment)s was already refunded.") % {"payment": payment.public_id})
            else:
                messages.error(
                    request, _("%(payment)s is not paid, so it cannot be refunded.") % {"payment": payment.public_id}
                )
            return HttpResponseRedirect(change_url)
        if not summary.refundable:
            messages.error(
                request,
                _("Only a paid payment can be refunded: this one is %(status)s.")
                % {"status": payment.get_status_display()},
            )
            return HttpResponseRedirect(change_url)
        return self._confirmation(
            request, summary, payments_refundable(single), form, action=False, change_url=change_url, payment=payment
        )


@admin.register(Subscription)
class SubscriptionAdmin(ModelAdmin):
    list_display = ("id", "user", "plan", "created_at", "expires_at", "canceled_at", "renewed_at")
    list_filter = ("canceled_at", "plan")
    search_fields = ("charge_id", "user__telegram_id", "user__username")
    list_select_related = ("user", "plan")
    readonly_fields = ("user", "plan", "charge_id", "expires_at", "canceled_at", "created_at", "renewed_at")
    actions = ("cancel_renewal", "restore_renewal")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Subscriptions start when a user pays."""
        return False

    def _set_renewal(self, request: HttpRequest, queryset: QuerySet[Subscription], *, renews: bool) -> None:
        for subscription in queryset:
            try:
                subscription_cancel(subscription_id=subscription.pk, renews=renews)
            except ProviderError as exc:
                messages.error(
                    request,
                    _("Subscription %(id)s: %(error)s") % {"id": subscription.pk, "error": provider_error_text(exc)},
                )
            except PaymentRefused:
                messages.error(
                    request,
                    _("Subscription %(id)s: the subscriber erased their data; it no longer renews.")
                    % {"id": subscription.pk},
                )
            else:
                messages.success(request, _("Subscription %(id)s updated.") % {"id": subscription.pk})

    @admin.action(description=_("Cancel auto-renewal"), permissions=["change"])
    def cancel_renewal(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        self._set_renewal(request, queryset, renews=False)

    @admin.action(description=_("Turn auto-renewal back on"), permissions=["change"])
    def restore_renewal(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        self._set_renewal(request, queryset, renews=True)


# What became of a notice: the sender's outcomes, and "refund" for an end already told by the refund notice.
NOTICE_STATUS_LABELS = {
    "sent": _("sent"),
    "blocked": _("bot blocked"),
    "failed": _("failed"),
    "uncertain": _("uncertain"),
    "refund": _("told with the refund"),
    "": _("not sent yet"),
}


@admin.register(PremiumNotice)
class PremiumNoticeAdmin(ModelAdmin):
    list_display = ("user", "kind", "days_before", "premium_until", "status_label", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("user__telegram_id", "user__username")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PremiumNotice | None = None) -> bool:
        return False

    @admin.display(description=_("delivery"), ordering="status")
    def status_label(self, notice: PremiumNotice) -> str:
        return str(NOTICE_STATUS_LABELS.get(notice.status, notice.status))


class PaymentInline(TabularInline):
    """A user's payment history, for the user's admin page (wired in by users.admin)."""

    model = Payment
    fk_name = "user"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("public_id", "created_at", "plan", "provider", "amount_column", "status", "paid_at", "premium_until")
    readonly_fields = fields
    ordering = ("-created_at",)
    verbose_name_plural = _("payments")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("amount"))
    def amount_column(self, obj: Payment) -> str:
        return obj.amount_display()
