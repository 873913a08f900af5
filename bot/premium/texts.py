"""User-facing texts of Premium and payments (the bot's handlers and the payment tasks share them)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PREMIUM_TITLE = _("💎 <b>Astrobot Premium</b>")
PREMIUM_BENEFITS = _(
    "What Premium gives you:\n"
    "• a personal horoscope every day, from today's sky over your own natal chart;\n"
    "• the full natal chart with houses, aspects and its interpretation;\n"
    "• the Celtic cross and up to {readings} tarot readings a day instead of one."
)
PREMIUM_ACTIVE = _("Your Premium is active until <b>{date}</b>.")
PREMIUM_NONE = _("You do not have Premium yet.")
PREMIUM_RENEWS = _("Your subscription renews by itself on {date}.")
PREMIUM_RENEWAL_OFF = _("Auto-renewal is off: the subscription ends on {date}.")
PREMIUM_CHOOSE = _("Choose a plan: buying adds the days to the end of your current Premium.")
PREMIUM_NO_PLANS = _("Premium is not on sale right now. Please look in again a little later.")
PREMIUM_FOOTER = _("Terms: /terms · Help with payments: /paysupport")

PLAN_BUTTON_STARS = _("{name} · {price} ⭐")
PLAN_BUTTON_SUBSCRIPTION = _("{name} · {price} ⭐ every 30 days")
PLAN_BUTTON_CARD = _("💳 {price} ₽")
BUTTON_CANCEL_RENEWAL = _("Turn off auto-renewal")
BUTTON_RESTORE_RENEWAL = _("Turn auto-renewal back on")
BUTTON_CONFIRM_CANCEL = _("Yes, turn it off")
BUTTON_KEEP = _("No, keep it")
BUTTON_SUBSCRIBE = _("⭐ Subscribe for {price} ⭐ a month")
BUTTON_PAY_CARD = _("💳 Pay {amount}")
BUTTON_PAID = _("✅ I have paid")
BUTTON_RENEW = _("💎 Renew Premium")
BUTTON_CANCEL = _("Cancel")

INVOICE_TITLE = _("Premium: {name}")
INVOICE_DESCRIPTION = _(
    "Astrobot Premium for {days} days: personal horoscopes, the full natal chart and more tarot readings."
)
INVOICE_SUBSCRIPTION_DESCRIPTION = _(
    "Astrobot Premium that renews every 30 days: personal horoscopes, the full natal chart and more "
    "tarot readings. Cancel any time."
)
INVOICE_LABEL = _("Premium, {days} days")
SUBSCRIPTION_OFFER = _(
    "Subscription: <b>{price} ⭐ every 30 days</b>. Telegram renews it by itself; you can turn renewal off "
    "at any time in 💎 Premium, and Premium then lasts to the end of the paid period."
)
SUBSCRIPTION_EXISTS = _("You already have a subscription; it runs until {date}. Manage it in 💎 Premium.")

PLAN_GONE = _("This plan is no longer on sale. Here are the current ones.")
INVOICE_FAILED = _("I could not prepare the invoice just now. Please try again in a minute.")

# Pre-checkout refusals, shown by Telegram in the payment window.
PRECHECKOUT_UNKNOWN = _("This invoice is not valid any more. Please open 💎 Premium and choose the plan again.")
PRECHECKOUT_NOT_YOURS = _("This invoice was made for another person. Please open 💎 Premium to get your own.")
PRECHECKOUT_PAID = _("This invoice is already paid, nothing more to pay. Your Premium is in 💎 Premium.")
PRECHECKOUT_CLOSED = _("This invoice has expired. Please open 💎 Premium and choose the plan again.")
PRECHECKOUT_AMOUNT = _("The amount does not match the invoice. Please open 💎 Premium and choose the plan again.")

THANKS = _("🎉 Thank you! Premium is active until <b>{date}</b>.")
THANKS_SUBSCRIPTION = _(
    "🎉 Thank you for subscribing! Premium is active until <b>{date}</b> and renews every 30 days. "
    "You can turn renewal off at any time in 💎 Premium."
)
THANKS_RENEWAL = _("💎 Your subscription has renewed: Premium is active until <b>{date}</b>.")
PAYMENT_UNMATCHED = _(
    "I received your payment but could not match it to an order. Nothing is lost: our team has been told "
    "and will sort it out. Payment reference: <code>{charge}</code>. Questions: /paysupport."
)

EMAIL_ASK = _("A receipt is required by law for a card payment. Please send the e-mail address it should go to.")
EMAIL_ASK_KNOWN = _(
    "A receipt is required by law for a card payment. Send it to <b>{email}</b>, or type another address."
)
BUTTON_USE_EMAIL = _("Send it to {email}")
EMAIL_INVALID = _("That does not look like an e-mail address. Please send one like name@example.com.")
CARD_PREPARING = _("One moment: preparing the payment page…")
CARD_UNAVAILABLE = _("Card payments are not available right now. You can pay with Telegram Stars instead.")
CARD_OFFER = _(
    "Payment for <b>{name}</b>: {amount}. Pay by card or SBP on the YooKassa page; the receipt goes to {email}.\n"
    "Premium switches on by itself within a few minutes after payment."
)
CARD_FAILED = _("The payment service did not answer. Please try again in a few minutes, or pay with Telegram Stars.")
CHECK_PENDING = _("The payment has not arrived yet. If you have just paid, give it a minute: I will write to you.")
CHECK_CANCELED = _("This payment was cancelled, no money was taken. You can choose a plan again in 💎 Premium.")
CHECK_STARTED = _("Checking the payment…")
CHECK_ALREADY = _("This payment is already counted: Premium is active until {date}.")

RENEWAL_CANCEL_ASK = _("Turn off auto-renewal? Premium stays until {date}, and nothing more will be charged.")
RENEWAL_CANCELED = _("Auto-renewal is off. Premium stays until {date}; nothing more will be charged.")
RENEWAL_RESTORED = _("Auto-renewal is on again: the subscription renews on {date}.")
RENEWAL_KEPT = _("Fine, the subscription stays as it is.")
RENEWAL_FAILED = _("Telegram did not accept the change just now. Please try again in a minute.")

REFUNDED = _("💸 Your payment {amount} (order {order}) has been refunded.")
REFUNDED_PREMIUM_LEFT = _("Premium is now active until <b>{date}</b>.")
REFUNDED_PREMIUM_ENDED = _("Premium has ended with this refund.")
REFUNDED_SUBSCRIPTION_ENDED = _("Your subscription has been cancelled with it: nothing more will be charged.")

REMINDER = _(
    "💎 Your Premium ends on <b>{date}</b>, in {days}. Renew it to keep personal horoscopes, the full "
    "natal chart, the Celtic cross and up to {readings} tarot readings a day."
)
PREMIUM_ENDED = _(
    "Your Premium has ended. Daily horoscopes and the card of the day stay with you; personal horoscopes "
    "and the full chart come back as soon as you renew."
)

TERMS = _(
    "<b>Terms of use and payment</b>\n\n"
    "1. Astrobot offers astrological and tarot content for entertainment and self-reflection. It is not "
    "medical, legal, financial or psychological advice.\n"
    "2. Premium is a digital service: extra features of the bot for the period you paid for. Prices are "
    "shown in 💎 Premium before you pay; buying adds the days to the end of your current Premium.\n"
    "3. Payment is in Telegram Stars through Telegram{card}. A subscription renews every 30 days until "
    "you turn renewal off in 💎 Premium; Premium then lasts to the end of the paid period.\n"
    "4. Refunds: if Premium did not work for you, write to /paysupport within 14 days of the payment and "
    "we will refund it. A refund ends the days it paid for.\n"
    "5. We keep the data needed to provide the service; see /privacy. You can export it (/my_data) or "
    "delete it (/delete_me); payment records are kept without your name, as accounting law requires.\n"
    "6. We may change these terms; what you have already paid for is never taken away."
)
TERMS_SUPPORT = _(
    "Questions about the bot go to /support, questions about payments to /paysupport: both reach a person on "
    "our team, who answers right here in this chat."
)
TERMS_CARD = _(" or by card and SBP through YooKassa")

PAYSUPPORT = _(
    "<b>Help with payments</b>\n\n"
    "If a payment went wrong, Premium did not switch on, or you would like a refund, write to us right "
    "here: your message goes to our support team, who answer in this chat within one working day. "
    "Please give the order number below.\n\n"
    "Telegram support cannot help with purchases made in this bot."
)
PAYSUPPORT_CONTACT = _("You can also reach us at {contact}.")
PAYSUPPORT_HISTORY = _("Your latest payments:")
PAYSUPPORT_NO_HISTORY = _("You have made no payments yet.")
PAYMENT_LINE = _("{date} · {order} · {amount} · {status}")


def days_text(count: int) -> str:
    """'3 days' / '3 дня' in the active language."""
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


STAFF_GRANTED = _("🎁 We have added {days} days of Premium to your account. It is active until <b>{date}</b>. Enjoy!")
STAFF_REVOKED = _("Your Premium has been ended by our team. If you think this is a mistake, write to /support.")
