"""Tarot in the staff panel: the deck (texts, pictures, preview), readings and daily counts."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from horoscopes.tarot import SPREADS
from horoscopes.tarot.deck import LANGS
from horoscopes.tarot.interpret import card_title
from horoscopes.tarot.models import TarotCard, TarotDailyCount, TarotReading
from horoscopes.tarot.render import card_image, spread_image
from horoscopes.tarot.selectors import drawn_cards, tarot_card_pictures, tarot_deck
from horoscopes.tarot.services import tarot_card_picture_changed


@admin.register(TarotCard)
class TarotCardAdmin(ModelAdmin):
    list_display = (
        "order",
        "thumbnail",
        "name_en",
        "name_ru",
        "arcana",
        "suit",
        "element",
        "has_picture",
        "updated_at",
    )
    list_display_links = ("name_en",)
    list_filter = ("arcana", "suit", "element")
    search_fields = ("key", "name_en", "name_ru")
    list_per_page = 80
    readonly_fields = ("key", "number", "arcana", "suit", "element", "astro_keys", "preview", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "key",
                    ("number", "arcana", "suit", "element"),
                    ("name_ru", "name_en"),
                    ("astrology_ru", "astrology_en"),
                    "astro_keys",
                )
            },
        ),
        (
            _("Keywords"),
            {
                "description": _("Separate keywords with commas."),
                "fields": (
                    ("keywords_upright_ru", "keywords_upright_en"),
                    ("keywords_reversed_ru", "keywords_reversed_en"),
                ),
            },
        ),
        (
            _("Upright meanings"),
            {
                "fields": (
                    ("upright_general_ru", "upright_general_en"),
                    ("upright_love_ru", "upright_love_en"),
                    ("upright_work_ru", "upright_work_en"),
                )
            },
        ),
        (
            _("Reversed meanings"),
            {
                "fields": (
                    ("reversed_general_ru", "reversed_general_en"),
                    ("reversed_love_ru", "reversed_love_en"),
                    ("reversed_work_ru", "reversed_work_en"),
                )
            },
        ),
        (_("Picture"), {"fields": ("image", "preview", "updated_at")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the deck is the 78 cards; readings refer to them by key

    def has_delete_permission(self, request: HttpRequest, obj: TarotCard | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TarotCard, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            tarot_card_picture_changed(card_id=obj.pk)

    def get_urls(self) -> list:
        own = [
            path(
                "<int:card_id>/picture/<str:lang>/<str:orientation>/",
                self.admin_site.admin_view(self.picture_view),
                name="horoscopes_tarotcard_picture",
            )
        ]
        return own + super().get_urls()

    def picture_view(self, request: HttpRequest, card_id: int, lang: str, orientation: str) -> HttpResponse:
        """The card as the bot draws it (with the uploaded picture if there is one), as PNG."""
        card = TarotCard.objects.filter(pk=card_id).first()
        if card is None or lang not in LANGS:
            raise Http404
        if not self.has_view_permission(request, card):
            raise PermissionDenied
        width = 120 if request.GET.get("size") == "small" else 320
        picture = tarot_card_pictures([card.key]).get(card.key)
        data = card_image(
            card.key,
            reversed=orientation == "reversed",
            lang=lang,
            width=width,
            custom=picture.data if picture else None,
        )
        response = HttpResponse(data, content_type="image/png")
        response["Cache-Control"] = "private, max-age=60"
        return response

    def _picture_url(self, card: TarotCard, lang: str, orientation: str, small: bool = False) -> str:
        url = reverse("admin:horoscopes_tarotcard_picture", args=[card.pk, lang, orientation])
        return f"{url}?v={card.image_version}" + ("&size=small" if small else "")

    @admin.display(description=_("card"))
    def thumbnail(self, card: TarotCard) -> str:
        return format_html(
            '<img src="{}" alt="" loading="lazy" style="height:70px;border-radius:4px">',
            self._picture_url(card, "ru", "upright", small=True),
        )

    @admin.display(description=_("own picture"), boolean=True)
    def has_picture(self, card: TarotCard) -> bool:
        return bool(card.image)

    @admin.display(description=_("preview"))
    def preview(self, card: TarotCard) -> str:
        if not card.pk:
            return "—"
        images = [
            (self._picture_url(card, lang, orientation),) for lang in LANGS for orientation in ("upright", "reversed")
        ]
        return format_html_join(
            "", '<img src="{}" alt="" loading="lazy" style="height:280px;margin:0 8px 8px 0;border-radius:6px">', images
        )


@admin.register(TarotReading)
class TarotReadingAdmin(ModelAdmin):
    list_display = (
        "created_at",
        "user",
        "kind",
        "local_date",
        "question_short",
        "cards_short",
        "interpretation_status",
        "interpretation_source",
        "delivered_at",
    )
    list_filter = ("kind", "local_date", "interpretation_status", "interpretation_source", "area", "language")
    search_fields = ("=user__telegram_id", "user__username", "user__first_name", "question")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    list_per_page = 50
    fields = (
        "user",
        "kind",
        "local_date",
        "language",
        "question",
        "area",
        "cards_list",
        "picture",
        "interpretation_text",
        "interpretation_status",
        "interpretation_source",
        "interpretation_model",
        "created_at",
        "interpreted_at",
        "delivered_at",
        "idempotency_key",
        "image_file_id",
    )
    readonly_fields = fields
    change_list_template = "admin/horoscopes/tarot_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TarotReading | None = None) -> bool:
        return False  # a reading is a record of what the user was shown

    def get_urls(self) -> list:
        own = [
            path(
                "<int:reading_id>/picture/",
                self.admin_site.admin_view(self.picture_view),
                name="horoscopes_tarotreading_picture",
            )
        ]
        return own + super().get_urls()

    def picture_view(self, request: HttpRequest, reading_id: int) -> HttpResponse:
        """The spread image of a reading as the user saw it (drawn again from the stored cards)."""
        reading = TarotReading.objects.filter(pk=reading_id).first()
        if reading is None:
            raise Http404
        if not self.has_view_permission(request, reading):
            raise PermissionDenied
        cards = drawn_cards(reading)
        pictures = tarot_card_pictures(card.key for card in cards)
        lang = reading.language if reading.language in LANGS else settings.LANGUAGE_CODE
        data = spread_image(reading.kind, cards, lang=lang, custom={key: p.data for key, p in pictures.items()})
        return HttpResponse(data, content_type="image/jpeg")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context: dict = getattr(response, "context_data", {})
        changelist = context.get("cl")
        if changelist is not None:
            labels = dict(TarotReading.Kind.choices)
            counts = changelist.queryset.order_by().values("kind").annotate(n=Count("id"))
            context["tarot_totals"] = [(labels.get(row["kind"], row["kind"]), row["n"]) for row in counts]
        return response

    @admin.display(description=_("question"))
    def question_short(self, reading: TarotReading) -> str:
        return reading.question if len(reading.question) <= 60 else reading.question[:59] + "…"

    @admin.display(description=_("cards"))
    def cards_short(self, reading: TarotReading) -> str:
        deck = getattr(reading, "page_deck", None) or tarot_deck(card.key for card in drawn_cards(reading))
        lang = "ru" if (translation.get_language() or "").startswith("ru") else "en"
        return ", ".join(card_title(deck[card.key], reversed=card.reversed, lang=lang) for card in drawn_cards(reading))

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        # One deck read for the whole page instead of one per row.
        changelist = super().get_changelist_instance(request)
        readings = list(changelist.result_list)
        deck = tarot_deck(card.key for reading in readings for card in drawn_cards(reading))
        for reading in readings:
            reading.page_deck = deck
        return changelist

    @admin.display(description=_("cards"))
    def cards_list(self, reading: TarotReading) -> str:
        spread = SPREADS[reading.kind]
        cards = drawn_cards(reading)
        deck = tarot_deck(card.key for card in cards)
        rows = [
            (
                card.position + 1,
                spread.positions[card.position].name["en"],
                card_title(deck[card.key], reversed=card.reversed, lang="en"),
                card_title(deck[card.key], reversed=card.reversed, lang="ru"),
            )
            for card in cards
        ]
        return format_html_join(mark_safe("<br>"), "{}. {}: <b>{}</b> / {}", rows)

    @admin.display(description=_("image"))
    def picture(self, reading: TarotReading) -> str:
        url = reverse("admin:horoscopes_tarotreading_picture", args=[reading.pk])
        return format_html('<a href="{0}"><img src="{0}" alt="" loading="lazy" style="max-width:560px"></a>', url)

    @admin.display(description=_("interpretation"))
    def interpretation_text(self, reading: TarotReading) -> str:
        if not reading.interpretation:
            return "—"
        return format_html(
            '<div style="white-space:pre-wrap;max-width:760px">{}</div>', strip_tags(reading.interpretation)
        )


@admin.register(TarotDailyCount)
class TarotDailyCountAdmin(ModelAdmin):
    list_display = ("local_date", "user", "readings")
    list_filter = ("local_date",)
    search_fields = ("=user__telegram_id", "user__username")
    date_hierarchy = "local_date"
    list_select_related = ("user",)
    readonly_fields = ("user", "local_date", "readings")
    change_list_template = "admin/horoscopes/tarot_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TarotDailyCount | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context: dict = getattr(response, "context_data", {})
        changelist = context.get("cl")
        if changelist is not None:
            queryset = changelist.queryset.order_by()
            totals = queryset.aggregate(readings=Sum("readings"), users=Count("user", distinct=True))
            days = queryset.values("local_date").distinct().count()
            context["tarot_totals"] = [
                (_("readings"), totals["readings"] or 0),
                (_("users"), totals["users"] or 0),
                (_("days"), days),
            ]
        return response


class TarotReadingInline(TabularInline):
    """The user's readings on the bot user page."""

    model = TarotReading
    fk_name = "user"
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    classes = ("collapse",)
    ordering = ("-created_at",)
    fields = ("created_at", "kind", "local_date", "question", "interpretation_status")
    readonly_fields = fields
    verbose_name_plural = _("tarot readings")
