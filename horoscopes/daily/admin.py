"""Staff panel for daily horoscopes, personal horoscopes, prompts, the generation log and push deliveries.

Imported by horoscopes/admin.py. Actions call services or queue tasks; nothing here writes on its own.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task
from unfold.admin import ModelAdmin, TabularInline

from horoscopes.astro.constants import SIGNS
from horoscopes.daily.models import DailyHoroscope, PersonalHoroscope, PushDelivery, PushStatus
from horoscopes.daily.services import LANGUAGES, daily_edit, prompt_save_version
from horoscopes.forms import TelegramTextsForm
from horoscopes.llm.models import GenerationLog, GenerationStatus, Prompt
from users.audit import audit_record_many

SUMMARY_TEMPLATE = "admin/horoscopes/daily_change_list.html"
SECTION_FIELDS = ("overview", "love", "work", "health", "money", "tip")


class ReadOnlyAdmin(ModelAdmin):
    """Records written by the system: staff look, never add or change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DailyHoroscope)
class DailyHoroscopeAdmin(ModelAdmin):
    form = TelegramTextsForm
    list_display = ("date", "offset_group", "sign", "language", "source", "updated_at")
    list_filter = ("language", "sign", "source", "utc_offset")
    date_hierarchy = "date"
    search_fields = SECTION_FIELDS
    ordering = ("-date", "utc_offset", "language", "sign")
    readonly_fields = ("sign", "date", "offset_group", "language", "source", "generation", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "sign",
                    "date",
                    "offset_group",
                    "language",
                    "source",
                    "generation",
                    ("created_at", "updated_at"),
                )
            },
        ),
        (_("Text (Telegram HTML: <b>, <i>, <u>, <s>)"), {"fields": SECTION_FIELDS}),
    )
    actions = ("regenerate_selected", "regenerate_days")

    @admin.display(description=_("time zone group"), ordering="utc_offset")
    def offset_group(self, obj: DailyHoroscope) -> str:
        return obj.offset_group

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Texts are written by the generator; staff edit or regenerate them.
        return False

    def save_model(self, request: HttpRequest, obj: DailyHoroscope, form: object, change: bool) -> None:
        daily_edit(horoscope=obj)

    # Writing again overwrites staff edits and costs LLM calls: only for those who may change the texts.
    @admin.action(
        description=_("Write the selected horoscopes again (LLM, or the offline writer)"), permissions=["change"]
    )
    def regenerate_selected(self, request: HttpRequest, queryset: QuerySet[DailyHoroscope]) -> None:
        count = 0
        horoscopes = list(queryset)
        audit_record_many(
            staff_id=int(request.user.pk or 0),
            model=DailyHoroscope,
            pks=[h.pk for h in horoscopes],
            message=gettext("Queued to be written again."),
        )
        for horoscope in horoscopes:
            async_task(
                "horoscopes.daily.tasks.daily_generate_one",
                horoscope.sign,
                horoscope.date.isoformat(),
                horoscope.language,
                True,
                horoscope.utc_offset,
                group="daily horoscopes",
            )
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d horoscope queued to be written again.",
                "%(count)d horoscopes queued to be written again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Write whole days of the selected again (every sign and language)"), permissions=["change"]
    )
    def regenerate_days(self, request: HttpRequest, queryset: QuerySet[DailyHoroscope]) -> None:
        groups = sorted(set(queryset.values_list("date", "utc_offset")))
        days = sorted({day for day, _ in groups})
        audit_record_many(
            staff_id=int(request.user.pk or 0),
            model=DailyHoroscope,
            pks=DailyHoroscope.objects.filter(date__in=days).values_list("pk", flat=True),
            message=gettext("Queued to be written again with the whole day."),
        )
        for day, offset in groups:
            for language in LANGUAGES:
                for sign in SIGNS:
                    async_task(
                        "horoscopes.daily.tasks.daily_generate_one",
                        sign,
                        day.isoformat(),
                        language,
                        True,
                        offset,
                        group="daily horoscopes",
                    )
        self.message_user(
            request,
            ngettext(
                "%(count)d day queued to be written again.",
                "%(count)d days queued to be written again.",
                len(days),
            )
            % {"count": len(days)},
            messages.SUCCESS,
        )


@admin.register(Prompt)
class PromptAdmin(ModelAdmin):
    list_display = ("key", "language", "version", "in_use", "note", "created_at", "created_by")
    list_filter = ("key", "language")
    search_fields = ("system", "template", "note")
    readonly_fields = ("version", "created_at", "created_by")
    fields = ("key", "language", "version", "system", "template", "note", "created_at", "created_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Prompt | None = None) -> tuple[str, ...]:
        if obj is not None:
            return (*self.readonly_fields, "key", "language")
        return self.readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Prompt]:
        latest = Prompt.objects.filter(key=OuterRef("key"), language=OuterRef("language")).order_by("-version")
        return super().get_queryset(request).annotate(latest_version=Subquery(latest.values("version")[:1]))

    @admin.display(boolean=True, description=_("in use"))
    def in_use(self, obj: Prompt) -> bool:
        return obj.version == getattr(obj, "latest_version", obj.version)

    def save_model(self, request: HttpRequest, obj: Prompt, form: object, change: bool) -> None:
        # Saving never overwrites: it adds a version, which becomes the one in use; the old ones stay.
        saved = prompt_save_version(
            key=obj.key,
            language=obj.language,
            system=obj.system,
            template=obj.template,
            note=obj.note,
            user=request.user if request.user.is_authenticated else None,
        )
        for name in ("pk", "version", "created_at", "created_by"):
            setattr(obj, name, getattr(saved, name))
        obj._state.adding = False


@admin.register(GenerationLog)
class GenerationLogAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "subject",
        "status",
        "model",
        "prompt_version",
        "tokens_in",
        "tokens_out",
        "latency_ms",
        "cost",
    )
    list_filter = ("kind", "status", "model")
    date_hierarchy = "created_at"
    search_fields = ("subject", "error", "model")
    list_select_related = ("prompt",)
    change_list_template = SUMMARY_TEMPLATE

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context: dict = getattr(response, "context_data", {})
        changelist = context.get("cl")
        if changelist is not None:
            totals = changelist.queryset.aggregate(
                calls=Count("id"),
                llm_ok=Count("id", filter=Q(status=GenerationStatus.OK)),
                failed=Count("id", filter=Q(status__in=[GenerationStatus.ERROR, GenerationStatus.INVALID])),
                offline=Count("id", filter=Q(status=GenerationStatus.OFFLINE)),
                tokens_in=Sum("tokens_in"),
                tokens_out=Sum("tokens_out"),
                cost=Sum("cost"),
            )
            context["daily_summary"] = [
                (_("records"), totals["calls"]),
                (_("LLM answers"), totals["llm_ok"]),
                (_("failed or unusable"), totals["failed"]),
                (_("offline writer"), totals["offline"]),
                (_("tokens in"), totals["tokens_in"] or 0),
                (_("tokens out"), totals["tokens_out"] or 0),
                (_("estimated cost, USD"), f"{totals['cost'] or 0:.4f}"),
            ]
        return response


@admin.register(PersonalHoroscope)
class PersonalHoroscopeAdmin(ModelAdmin):
    form = TelegramTextsForm
    list_display = ("date", "user", "language", "status", "source", "deliver", "delivered_at")
    list_filter = ("status", "source", "language")
    date_hierarchy = "date"
    raw_id_fields = ("user",)
    search_fields = ("user__username", "user__first_name", "=user__telegram_id")
    readonly_fields = (
        "user",
        "date",
        "language",
        "status",
        "source",
        "generation",
        "facts",
        "requested_at",
        "ready_at",
        "deliver",
        "delivered_at",
    )
    fieldsets = (
        (None, {"fields": readonly_fields}),
        (_("Text (Telegram HTML: <b>, <i>, <u>, <s>)"), {"fields": SECTION_FIELDS}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PushDelivery)
class PushDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("local_date", "user", "status", "personal", "claimed_at", "sent_at", "error")
    list_filter = ("status", "personal", "kind")
    date_hierarchy = "local_date"
    search_fields = ("user__username", "user__first_name", "=user__telegram_id")
    list_select_related = ("user",)
    change_list_template = SUMMARY_TEMPLATE

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context: dict = getattr(response, "context_data", {})
        changelist = context.get("cl")
        if changelist is not None:
            since = timezone.now().date() - timedelta(days=14)
            rows = (
                changelist.queryset.filter(local_date__gte=since)
                .order_by()
                .values("local_date")
                .annotate(
                    total=Count("id"),
                    sent=Count("id", filter=Q(status=PushStatus.SENT)),
                    blocked=Count("id", filter=Q(status=PushStatus.BLOCKED)),
                    failed=Count("id", filter=Q(status=PushStatus.FAILED)),
                    waiting=Count("id", filter=Q(status__in=[PushStatus.PENDING, PushStatus.SENDING])),
                )
                .order_by("-local_date")
            )
            context["daily_table"] = {
                "head": [_("day"), _("total"), _("sent"), _("blocked"), _("failed"), _("not finished")],
                "rows": [
                    (r["local_date"], r["total"], r["sent"], r["blocked"], r["failed"], r["waiting"]) for r in rows
                ],
            }
        return response


class PushDeliveryInline(TabularInline):
    """The user's recent daily pushes, on their page in the users admin."""

    model = PushDelivery
    fields = ("local_date", "status", "personal", "sent_at", "error")
    readonly_fields = fields
    ordering = ("-local_date",)
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("daily pushes")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PushDelivery]:
        return super().get_queryset(request).filter(local_date__gte=timezone.now().date() - timedelta(days=30))
