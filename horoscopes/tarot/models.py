"""Tarot models: the deck staff can edit, the readings users draw, daily reading counts and sent-image ids."""

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from horoscopes.tarot.deck import Card

__all__ = ["TarotCard", "TarotDailyCount", "TarotImage", "TarotReading"]

ORIENTATIONS = ("upright", "reversed")
AREAS = ("general", "love", "work")
LANGS = ("ru", "en")


class TarotCard(models.Model):
    """One card of the 78-card deck; seeded from horoscopes/tarot/data, then edited by staff."""

    class Arcana(models.TextChoices):
        MAJOR = "major", _("major arcana")
        MINOR = "minor", _("minor arcana")

    class Suit(models.TextChoices):
        WANDS = "wands", _("Wands")
        CUPS = "cups", _("Cups")
        SWORDS = "swords", _("Swords")
        PENTACLES = "pentacles", _("Pentacles")

    class Element(models.TextChoices):
        FIRE = "fire", _("fire")
        WATER = "water", _("water")
        AIR = "air", _("air")
        EARTH = "earth", _("earth")

    # The key is what readings store: it never changes once seeded.
    key = models.SlugField(_("key"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order in the deck"), unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    arcana = models.CharField(_("arcana"), max_length=5, choices=Arcana.choices)
    suit = models.CharField(_("suit"), max_length=9, choices=Suit.choices, blank=True)
    element = models.CharField(_("element"), max_length=5, choices=Element.choices)
    astrology_ru = models.CharField(_("astrology (Russian)"), max_length=100)
    astrology_en = models.CharField(_("astrology (English)"), max_length=100)
    astro_keys = models.JSONField(_("astrology codes"), default=list, blank=True)

    name_ru = models.CharField(_("name (Russian)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    keywords_upright_ru = models.CharField(_("upright keywords (Russian)"), max_length=300)
    keywords_upright_en = models.CharField(_("upright keywords (English)"), max_length=300)
    keywords_reversed_ru = models.CharField(_("reversed keywords (Russian)"), max_length=300)
    keywords_reversed_en = models.CharField(_("reversed keywords (English)"), max_length=300)

    upright_general_ru = models.TextField(_("upright, general (Russian)"))
    upright_general_en = models.TextField(_("upright, general (English)"))
    upright_love_ru = models.TextField(_("upright, love (Russian)"))
    upright_love_en = models.TextField(_("upright, love (English)"))
    upright_work_ru = models.TextField(_("upright, work (Russian)"))
    upright_work_en = models.TextField(_("upright, work (English)"))
    reversed_general_ru = models.TextField(_("reversed, general (Russian)"))
    reversed_general_en = models.TextField(_("reversed, general (English)"))
    reversed_love_ru = models.TextField(_("reversed, love (Russian)"))
    reversed_love_en = models.TextField(_("reversed, love (English)"))
    reversed_work_ru = models.TextField(_("reversed, work (Russian)"))
    reversed_work_en = models.TextField(_("reversed, work (English)"))

    image = models.ImageField(
        _("own picture"),
        upload_to="tarot/cards/",
        blank=True,
        help_text=_("Optional. Replaces the drawn card face in every image the bot sends. Portrait, about 4:7."),
    )
    # Part of the cache key of sent images: a new picture must not be answered with an old file_id.
    image_version = models.PositiveIntegerField(_("picture version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tarot card")
        verbose_name_plural = _("tarot deck")
        ordering = ["order"]

    def __str__(self) -> str:
        # Staff read the card in their own panel language.
        return self.name_ru if (translation.get_language() or "").startswith("ru") else self.name_en

    @staticmethod
    def keywords_split(value: str) -> list[str]:
        """Keywords as stored (comma-separated) to a list."""
        return [word.strip() for word in value.split(",") if word.strip()]

    def as_card(self) -> Card:
        """The card as the tarot package's dataclass, with the texts staff edited."""
        return Card(
            key=self.key,
            number=self.number,
            arcana=self.arcana,
            suit=self.suit or None,
            element=self.element,
            astrology={lang: getattr(self, f"astrology_{lang}") for lang in LANGS},
            astro_keys=tuple(self.astro_keys or ()),
            name={lang: getattr(self, f"name_{lang}") for lang in LANGS},
            keywords={
                orientation: {
                    lang: self.keywords_split(getattr(self, f"keywords_{orientation}_{lang}")) for lang in LANGS
                }
                for orientation in ORIENTATIONS
            },
            meanings={
                orientation: {
                    area: {lang: getattr(self, f"{orientation}_{area}_{lang}") for lang in LANGS} for area in AREAS
                }
                for orientation in ORIENTATIONS
            },
        )


class TarotReading(models.Model):
    """One reading a user drew: stored before anything is shown, so a replay never draws again."""

    class Kind(models.TextChoices):
        DAY = "day", _("card of the day")
        THREE = "three", _("three cards")
        CELTIC_CROSS = "celtic_cross", _("Celtic cross")

    class Area(models.TextChoices):
        GENERAL = "general", _("general")
        LOVE = "love", _("love")
        WORK = "work", _("work")

    class Status(models.TextChoices):
        NONE = "none", _("not needed")
        PENDING = "pending", _("being written")
        DONE = "done", _("written")

    class Source(models.TextChoices):
        NONE = "", _("none")
        LLM = "llm", _("LLM")
        OFFLINE = "offline", _("offline writer")

    user = models.ForeignKey(
        "users.TelegramUser", verbose_name=_("user"), on_delete=models.CASCADE, related_name="tarot_readings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    local_date = models.DateField(_("user's local date"), db_index=True)
    question = models.TextField(_("question"), blank=True)
    area = models.CharField(_("area"), max_length=7, choices=Area.choices, default=Area.GENERAL)
    language = models.CharField(_("language"), max_length=2, default="ru")
    # [{"key": "the_fool", "reversed": false, "position": 0}, ...] in position order.
    cards = models.JSONField(_("cards"))
    # Ties a reading to the button or message that asked for it; empty for the card of the day.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    image_file_id = models.CharField(_("Telegram file id of the image"), max_length=200, blank=True)

    interpretation = models.TextField(_("interpretation"), blank=True)
    interpretation_status = models.CharField(
        _("interpretation status"), max_length=7, choices=Status.choices, default=Status.NONE, db_index=True
    )
    interpretation_source = models.CharField(
        _("written by"), max_length=7, choices=Source.choices, default=Source.NONE, blank=True
    )
    interpretation_model = models.CharField(_("model"), max_length=100, blank=True)
    interpreted_at = models.DateTimeField(_("interpreted"), null=True, blank=True)
    delivery_started_at = models.DateTimeField(_("delivery started"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("interpretation delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("drawn"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("tarot reading")
        verbose_name_plural = _("tarot readings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], condition=Q(kind="day"), name="tarot_one_day_card_per_local_date"
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="tarot_reading_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="tarot_reading_history_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.local_date} · {self.user_id}"


class TarotDailyCount(models.Model):
    """How many limited readings (three cards, Celtic cross) a user drew on one of their local days."""

    user = models.ForeignKey(
        "users.TelegramUser", verbose_name=_("user"), on_delete=models.CASCADE, related_name="tarot_daily_counts"
    )
    local_date = models.DateField(_("user's local date"), db_index=True)
    readings = models.PositiveSmallIntegerField(_("readings"), default=0)

    class Meta:
        verbose_name = _("daily tarot count")
        verbose_name_plural = _("daily tarot counts")
        ordering = ["-local_date", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="tarot_daily_count_per_user_date"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.local_date}: {self.readings}"


class TarotImage(models.Model):
    """The Telegram file id of an image we uploaded once, to send it by id from then on."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    file_id = models.CharField(_("Telegram file id"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent tarot image")
        verbose_name_plural = _("sent tarot images")

    def __str__(self) -> str:
        return self.key
