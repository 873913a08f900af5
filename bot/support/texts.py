"""User-facing texts of the support inbox."""

from django.utils.translation import gettext_lazy as _

ASK = _(
    "✉️ <b>Write to support</b>\n\n"
    "Send your question in one message, and our team will answer you right here in this chat. "
    "Changed your mind? Press Cancel."
)
ASK_PAYMENT = _(
    "✉️ Describe the problem with the payment in one message (the order number helps), and our team will "
    "answer you right here in this chat."
)
RECEIVED = _(
    "✅ Thank you, your message has reached our team (request #{number}). We answer within one working day, "
    "right here. To add something, send /support again."
)
ONLY_TEXT = _("I can pass on only text. Please describe it in words, or press Cancel.")
CANCELED = _("Cancelled: nothing was sent to support.")
RATE_LIMITED = _(
    "You have sent many messages to support in the last hour. Our team will read them all; please wait "
    "for the answer before writing more."
)
ANSWER = _("💬 <b>Answer from support</b>\n\n{text}\n\n<i>To reply, send /support.</i>")
BUTTON_CANCEL = _("Cancel")
