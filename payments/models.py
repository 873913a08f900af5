"""Plans, payments, Stars subscriptions and Premium reminders."""

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Telegram Stars subscriptions renew every 30 days, exactly (Bot API: subscription_period=2592000).
STARS_SUBSCRIPTION_DAYS = 30
STARS_SUBSCRIPTION_PERIOD = STARS_SUBSCRIPTION_DAYS * 24 * 60 * 60

# Bot API: an invoice in Stars (and a Stars subscription) costs 1 to 10,000 Stars.
STARS_PRICE_MIN = 1
STARS_PRICE_MAX = 10_000
# YooKassa takes payments from 1 rouble; anything above this is a typo for a Premium plan.
RUB_PRICE_MIN = Decimal("1.00")
RUB_PRICE_MAX = Decimal("100000.00")
# What a payment's amount column can hold (max_digits=12, decimal_places=2).
AMOUNT_MAX = Decimal("9999999999.99")

# Readable in a support chat and unambiguous when dictated: no 0/O or 1/I.
_PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def public_id_new() -> str:
    """A fresh public payment id: 12 characters, about 60 random bits."""
    return "".join(secrets.choice(_PUBLIC_ID_ALPHABET) for _ in range(12))


class Provider(models.TextChoices):
    STARS = "stars", _("Telegram Stars")
    YOOKASSA = "yookassa", _("YooKassa")
    FAKE = "fake", _("Test provider")


class Currency(models.TextChoices):
    XTR = "XTR", _("Telegram Stars")
    RUB = "RUB", _("roubles")


class Plan(models.Model):
    """What a user can buy: a number of days of Premium, priced in Stars and (optionally) in roubles."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=32)
    days = models.PositiveIntegerField(_("days of Premium"))
    price_stars = models.PositiveIntegerField(
        _("price in Telegram Stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(STARS_PRICE_MIN), MaxValueValidator(STARS_PRICE_MAX)],
        help_text=_("From 1 to 10,000 Stars: Telegram accepts no other price."),
    )
    price_rub = models.DecimalField(
        _("price in roubles"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(RUB_PRICE_MIN), MaxValueValidator(RUB_PRICE_MAX)],
        help_text=_("From 1 to 100,000 roubles."),
    )
    is_subscription = models.BooleanField(
        _("Stars subscription"),
        default=False,
        help_text=_("Renews itself every 30 days through Telegram Stars until the user or staff cancels it."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="payments_plan_days_positive"),
            models.CheckConstraint(
                condition=Q(price_stars__isnull=True) | Q(price_stars__gt=0), name="payments_plan_stars_positive"
            ),
            models.CheckConstraint(
                condition=Q(price_rub__isnull=True) | Q(price_rub__gt=0), name="payments_plan_rub_positive"
            ),
            models.CheckConstraint(
                condition=Q(price_stars__isnull=True) | Q(price_stars__lte=STARS_PRICE_MAX),
                name="payments_plan_stars_max",
                violation_error_message=_("A price in Stars must be between 1 and 10,000 Stars."),
            ),
            models.CheckConstraint(
                condition=Q(price_rub__isnull=True) | Q(price_rub__gte=RUB_PRICE_MIN, price_rub__lte=RUB_PRICE_MAX),
                name="payments_plan_rub_range",
                violation_error_message=_("A price in roubles must be between 1 and 100,000 roubles."),
            ),
        ]

    def __str__(self) -> str:
        # Staff read the plan in their own panel language.
        return self.name(translation.get_language() or "en")

    def clean(self) -> None:
        """A subscription is a monthly Stars product; every plan needs some price."""
        if self.is_subscription:
            if self.days != STARS_SUBSCRIPTION_DAYS:
                raise ValidationError({"days": _("A Stars subscription renews every 30 days: set 30 days.")})
            if not self.price_stars:
                raise ValidationError({"price_stars": _("A Stars subscription needs a price in Stars.")})
            if self.price_rub:
                raise ValidationError({"price_rub": _("A Stars subscription is paid in Stars only.")})
        if not self.price_stars and not self.price_rub:
            raise ValidationError(_("Set a price in Stars, in roubles, or both."))

    def name(self, language: str) -> str:
        """The plan's name in a language (English for anything but Russian)."""
        return self.name_ru if language.startswith("ru") else self.name_en


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("created")
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELED = "canceled", _("canceled")
    # Claimed for a refund; the provider's answer is not recorded yet (or never came: reconciliation settles it).
    REFUNDING = "refunding", _("refund pending")
    REFUNDED = "refunded", _("refunded")


# Statuses from which a payment may still be paid: what the provider confirms wins over our bookkeeping.
OPEN_STATUSES = (PaymentStatus.CREATED, PaymentStatus.PENDING)


class Subscription(models.Model):
    """A Telegram Stars subscription: the first payment opens it, each renewal is a further payment."""

    user = models.ForeignKey(
        "users.TelegramUser",
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="subscriptions")
    # editUserStarSubscription takes the charge id of the payment that started the subscription.
    charge_id = models.CharField(_("first charge id"), max_length=255, unique=True)
    expires_at = models.DateTimeField(_("paid until"), null=True, blank=True)
    canceled_at = models.DateTimeField(_("auto-renewal cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    renewed_at = models.DateTimeField(_("last renewal"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stars subscription")
        verbose_name_plural = _("Stars subscriptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.charge_id[:16]}"

    def renews(self, now: datetime | None = None) -> bool:
        """Whether Telegram will charge the next period."""
        now = now or timezone.now()
        return self.canceled_at is None and self.expires_at is not None and self.expires_at > now


class Payment(models.Model):
    """One attempt to pay for a plan, through one provider; its status changes only in payments.services."""

    public_id = models.CharField(_("public id"), max_length=16, unique=True, default=public_id_new)
    user = models.ForeignKey(
        "users.TelegramUser",
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    # Kept when the user erases their data, so that staff can still match a refund request to a payment.
    payer_ref = models.CharField(_("payer reference"), max_length=32, blank=True, db_index=True)
    # Kept for Stars payments when the user erases their data: refundStarPayment needs the payer's id.
    payer_telegram_id = models.BigIntegerField(_("payer's Telegram id"), null=True, blank=True, db_index=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # Copied from the plan when the payment is created: staff may edit the plan afterwards.
    days = models.PositiveIntegerField(_("days of Premium"))
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.CREATED, db_index=True
    )
    provider_payment_id = models.CharField(_("provider's payment id"), max_length=255, blank=True)
    idempotence_key = models.CharField(_("idempotence key"), max_length=64, blank=True)
    confirmation_url = models.URLField(_("payment page"), max_length=1000, blank=True)
    receipt_email = models.EmailField(_("receipt e-mail"), blank=True)
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("Stars subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    is_recurring = models.BooleanField(_("subscription renewal"), default=False)
    premium_until = models.DateTimeField(_("Premium until after this payment"), null=True, blank=True)
    raw = models.JSONField(_("provider data"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    refund_started_at = models.DateTimeField(_("refund requested"), null=True, blank=True)
    refund_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refund requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refund_reason = models.CharField(_("refund reason"), max_length=255, blank=True)
    # The provider's code of the last refund attempt that failed ("" when none did).
    refund_error = models.CharField(_("refund error"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            # A provider's charge is credited at most once, whatever path (update, webhook, poll) reports it.
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="payments_payment_provider_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_payment_amount_positive"),
            models.CheckConstraint(condition=Q(amount__lte=AMOUNT_MAX), name="payments_payment_amount_max"),
        ]
        indexes = [models.Index(fields=["provider", "status", "created_at"], name="payments_provider_status_idx")]

    def __str__(self) -> str:
        return f"{self.public_id} · {self.amount_display()}"

    def amount_display(self) -> str:
        """The amount as people write it: 150 ⭐ or 299 ₽ (never an error, whatever the row holds)."""
        return amount_format(self.amount, self.currency)


def amount_format(amount: object, currency: str) -> str:
    """An amount as people write it: 150 ⭐, 299 ₽, 299.50 ₽; odd data is shown as it is, never raised."""
    try:
        value = Decimal(str(amount))
        if currency == Currency.XTR:
            text = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"
        else:
            text = f"{value:.2f}".removesuffix(".00")
    except (InvalidOperation, TypeError, ValueError):
        text = str(amount)
    if currency == Currency.XTR:
        return f"{text} ⭐"
    if currency == Currency.RUB:
        return f"{text} ₽"
    return f"{text} {currency}".strip()


class ReminderKind(models.TextChoices):
    BEFORE_END = "before_end", _("before the end")
    ENDED = "ended", _("ended")


class PremiumNotice(models.Model):
    """A Premium reminder or end notice sent to a user, at most once per end date and kind."""

    user = models.ForeignKey(
        "users.TelegramUser", verbose_name=_("user"), on_delete=models.CASCADE, related_name="premium_notices"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(_("days before the end"), default=0)
    premium_until = models.DateTimeField(_("Premium until"))
    status = models.CharField(_("delivery"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("Premium notice")
        verbose_name_plural = _("Premium notices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "days_before", "premium_until"], name="payments_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.days_before}"


class StarsLedgerCursor(models.Model):
    """How far the daily reconciliation has read Telegram's Stars transaction list (oldest first)."""

    name = models.CharField(max_length=32, unique=True)
    offset = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stars reconciliation cursor")
        verbose_name_plural = _("Stars reconciliation cursors")

    def __str__(self) -> str:
        return f"{self.name}: {self.offset}"
