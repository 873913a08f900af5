"""Buttons of Premium and payments (callback data "pay:<action>:..."), shared by the handlers and the tasks."""

from telegram import InlineKeyboardMarkup

from bot.premium import texts as t
from bot.ui import buttons, callback_data

PREFIX = callback_data.PREMIUM
# Actions: pay:s:<plan id> (Stars), pay:c:<plan id> (card), pay:e:<plan id> (the known receipt e-mail),
# pay:x (cancel the e-mail question), pay:k:<order> (I have paid), pay:u:<subscription id>[:y|n]
# (turn auto-renewal off, and the answer to "are you sure?"), pay:r:<subscription id> (turn it back on),
# pay:m (the Premium screen). The bare "pay" shows the Premium screen too.
STARS = "s"
CARD = "c"
KNOWN_EMAIL = "e"
CANCEL = "x"
CHECK = "k"
RENEWAL_OFF = "u"
RENEWAL_ON = "r"
SHOW = "m"
YES, NO = "y", "n"


def email_keyboard(plan_id: int, email: str) -> InlineKeyboardMarkup:
    """Under the receipt e-mail question: the known address (if any) and Cancel."""
    rows = []
    if email:
        rows.append([buttons.callback(t.BUTTON_USE_EMAIL.format(email=email)[:64], PREFIX, KNOWN_EMAIL, plan_id)])
    rows.append([buttons.callback(t.BUTTON_CANCEL, PREFIX, CANCEL)])
    return InlineKeyboardMarkup(rows)


def cancel_keyboard() -> InlineKeyboardMarkup:
    """Cancel the receipt e-mail question."""
    return InlineKeyboardMarkup([[buttons.callback(t.BUTTON_CANCEL, PREFIX, CANCEL)]])


def renewal_off_keyboard(subscription_id: int) -> InlineKeyboardMarkup:
    """ "Turn off auto-renewal?": yes or no."""
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback(t.BUTTON_CONFIRM_CANCEL, PREFIX, RENEWAL_OFF, subscription_id, YES),
                buttons.callback(t.BUTTON_KEEP, PREFIX, RENEWAL_OFF, subscription_id, NO),
            ]
        ]
    )


def subscribe_keyboard(link: str, price: int) -> InlineKeyboardMarkup:
    """The Stars subscription's invoice link."""
    return InlineKeyboardMarkup([[buttons.url(t.BUTTON_SUBSCRIBE.format(price=price), link)]])


def renew_json() -> dict:
    """ "Renew Premium" under a reminder sent from the worker, as Bot API JSON."""
    return buttons.as_json(InlineKeyboardMarkup([[buttons.callback(t.BUTTON_RENEW, PREFIX, SHOW)]]))


def card_offer_json(*, amount: str, confirmation_url: str, order: str) -> dict:
    """The card payment page and "I have paid", sent from the worker, as Bot API JSON."""
    return buttons.as_json(
        InlineKeyboardMarkup(
            [
                [buttons.url(t.BUTTON_PAY_CARD.format(amount=amount), confirmation_url)],
                [buttons.callback(t.BUTTON_PAID, PREFIX, CHECK, order)],
            ]
        )
    )
