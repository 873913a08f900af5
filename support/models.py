"""The support inbox: a person's requests and the messages of each conversation, both ways."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from users.models import TelegramUser


class Topic(models.TextChoices):
    GENERAL = "general", _("General question")
    PAYMENT = "payment", _("Payment")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Direction(models.TextChoices):
    USER = "user", _("From the user")
    STAFF = "staff", _("From staff")


# delivery_error starts with the sender's status: "blocked", "failed: <Telegram's words>", "uncertain: ...".
DELIVERY_PROBLEMS = {
    "blocked": _("The user has blocked the bot"),
    "failed": _("Telegram refused the message"),
    "uncertain": _("Telegram did not answer: the message may or may not have arrived"),
}


class SupportRequest(models.Model):
    """One conversation with a person; a new message after it was closed starts the next one."""

    user = models.ForeignKey(
        TelegramUser, on_delete=models.CASCADE, related_name="support_requests", verbose_name=_("user")
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, default=Topic.GENERAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="support_status_updated"),
            models.Index(fields=["user", "-updated_at"], name="support_user_updated"),
        ]

    def __str__(self) -> str:
        return _("Request #%(id)s") % {"id": self.pk}


class SupportMessage(models.Model):
    """A message of a conversation: what the user wrote, or a staff answer with its delivery."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff author"),
    )
    # The user's message in their chat (a replayed update must not add it twice), or the bot's delivered answer.
    telegram_message_id = models.BigIntegerField(_("Telegram message id"), null=True, blank=True)
    # One key per reply form: a double click or a resent form posts the same key and adds nothing.
    key = models.CharField(_("idempotence key"), max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set right before the request goes to Telegram: a worker killed after that never sends it again.
    sending_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivery_error = models.CharField(_("delivery error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("support message")
        verbose_name_plural = _("support messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "telegram_message_id"],
                condition=models.Q(direction="user"),
                name="support_user_message_once",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def delivery_problem(self) -> str:
        """Why the answer did not reach the user, in the staff member's language ("" when it did or is on its way)."""
        if not self.delivery_error:
            return ""
        code, _sep, detail = self.delivery_error.partition(":")
        label = DELIVERY_PROBLEMS.get(code.strip())
        if label is None:
            return self.delivery_error
        return f"{label} ({detail.strip()})" if detail.strip() else str(label)
