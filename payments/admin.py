"""Staff panel for plans, payments (with refunds) and Stars subscriptions."""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline

from payments.models import Payment, PaymentStatus, Plan, PremiumNotice, Subscription
from payments.providers import ProviderError
from payments.services import PaymentRefused, payment_refund, subscription_cancel


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


def _refund_message(request: HttpRequest, payment: Payment) -> bool:
    """Refund one payment and tell staff how it went; whether the money went back."""
    try:
        outcome = payment_refund(payment_id=payment.pk)
    except PaymentRefused:
        messages.error(request, _("%(payment)s is not paid, so it cannot be refunded.") % {"payment": payment})
        return False
    except ProviderError as exc:
        messages.error(
            request, _("%(payment)s: the provider refused the refund: %(error)s") % {"payment": payment, "error": exc}
        )
        return False
    if not outcome.changed:
        messages.warning(request, _("%(payment)s was already refunded.") % {"payment": payment})
        return False
    messages.success(request, _("%(payment)s refunded; the user has been told.") % {"payment": payment})
    return True


@admin.register(Payment)
class PaymentAdmin(ModelAdmin):
    list_display = ("public_id", "created_at", "user", "plan", "provider", "amount_column", "status", "paid_at")
    list_filter = ("status", "provider", "currency", "is_recurring", "created_at")
    search_fields = (
        "public_id",
        "provider_payment_id",
        "user__telegram_id",
        "user__username",
        "user__first_name",
        "payer_ref",
    )
    list_select_related = ("user", "plan")
    date_hierarchy = "created_at"
    actions = ("refund_selected",)
    readonly_fields = [field.name for field in Payment._meta.fields if field.name != "raw"] + ["raw_pretty"]
    exclude = ("raw",)
    change_form_template = "admin/payments/payment/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Payments come from users paying, never from a form."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        """Payment records are kept for accounting."""
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_column(self, obj: Payment) -> str:
        return obj.amount_display()

    @admin.display(description=_("provider data"))
    def raw_pretty(self, obj: Payment) -> str:
        return _pretty_json(obj.raw)

    @admin.action(description=_("Refund selected payments"), permissions=["change"])
    def refund_selected(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        for payment in queryset.filter(status=PaymentStatus.SUCCEEDED):
            _refund_message(request, payment)
        skipped = queryset.exclude(status=PaymentStatus.SUCCEEDED).count()
        if skipped:
            text = ngettext(
                "%(count)d selected payment was not paid and was skipped.",
                "%(count)d selected payments were not paid and were skipped.",
                skipped,
            )
            messages.warning(request, text % {"count": skipped})

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
        if not self.has_change_permission(request):
            raise PermissionDenied
        payment = get_object_or_404(Payment.objects.select_related("user", "plan"), pk=object_id)
        change_url = reverse("admin:payments_payment_change", args=[payment.pk])
        if request.method == "POST":
            _refund_message(request, payment)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund %(payment)s?") % {"payment": payment},
            "payment": payment,
            "opts": self.model._meta,
            "change_url": change_url,
            "refundable": payment.status == PaymentStatus.SUCCEEDED,
        }
        return TemplateResponse(request, "admin/payments/payment/refund_confirmation.html", context)


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
            except (ProviderError, PaymentRefused) as exc:
                messages.error(request, _("Subscription %(id)s: %(error)s") % {"id": subscription.pk, "error": exc})
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
    fields = ("public_id", "created_at", "plan", "provider", "amount", "currency", "status", "paid_at", "premium_until")
    readonly_fields = fields
    ordering = ("-created_at",)
    verbose_name_plural = _("payments")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
