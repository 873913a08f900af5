"""Every user-facing text of the tarot feature, in English (the msgid) with Russian in the catalogue."""

from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

MENU = _(
    "🃏 <b>Tarot</b>\n\n"
    "🌅 <b>Card of the day</b>: one card for the whole day, free.\n"
    "🔮 <b>Three cards</b>: past, present and future, on your question.\n"
    "✝️ <b>Celtic cross</b>: ten cards for a deep look at a situation (Premium)."
)

BUTTON_DAY = _("🌅 Card of the day")
BUTTON_THREE = _("🔮 Three cards")
BUTTON_CELTIC = _("✝️ Celtic cross")
BUTTON_CELTIC_LOCKED = _("✝️ Celtic cross 💎")
BUTTON_HISTORY = _("📜 My readings")
BUTTON_MENU = _("🃏 Tarot menu")
BUTTON_NEW_READING = _("🔮 New reading")
BUTTON_PREMIUM = _("💎 Get Premium")
BUTTON_NO_QUESTION = _("✨ No question: a general reading")
BUTTON_PREVIOUS = _("◀️ Newer")
BUTTON_NEXT = _("Older ▶️")

ASK_THREE = _(
    "🔮 <b>Three cards</b>: past, present and future.\n\n"
    "What is your question? Write it in one message, for example: "
    "“What should I know about my new job?”\n\n"
    "Or press the button below for a general reading without a question."
)
ASK_CELTIC = _(
    "✝️ <b>Celtic cross</b>: ten cards on one situation.\n\n"
    "Describe the situation or ask your question in one message, for example: "
    "“Where is my relationship heading?”\n\n"
    "Or press the button below for a general reading without a question."
)
QUESTION_NOT_TEXT = _("Please write your question as text, or press “No question” under my previous message.")

SAFE_SELF_HARM = _(
    "I am really sorry you are going through this. The cards are not the right tool for it, "
    "and you do not have to carry it alone.\n\n"
    "If you might hurt yourself or are in danger right now, please call 112 (emergency services) at once. "
    "You can also talk to a helpline for free and in confidence: findahelpline.com lists the ones in "
    "your country. And it helps to tell someone you trust how you feel, today.\n\n"
    "I am here whenever you want to come back."
)
SAFE_MEDICAL = _(
    "🌿 Questions about health deserve a doctor's answer, not the cards'. Please talk to a doctor: "
    "they can actually examine you and help.\n\n"
    "If you like, ask the cards something else, for example what helps you keep your spirits up now, "
    "or press “No question” for a general reading."
)
SAFE_LEGAL = _(
    "⚖️ Legal matters need a lawyer's advice, not a tarot reading: the cards cannot tell how a case "
    "will go or what to sign.\n\n"
    "If you like, ask about how you feel in this situation and what supports you, "
    "or press “No question” for a general reading."
)
SAFE_HARM = _(
    "🕊 The cards will not help to harm, punish or bend another person's will, and I will not read on that.\n\n"
    "Ask about yourself instead: what you feel, what you want, what you can do. "
    "Or press “No question” for a general reading."
)

CARDS_COMING = _("⏳ I am writing the interpretation: it will come in the next message.")
INTERPRETATION_PENDING = _("⏳ The interpretation of this reading is still being written.")
ALREADY_DRAWN = _("These cards are already laid out above.")
YOUR_QUESTION = _("Your question: “{question}”")

LIMIT_FREE = _(
    "🌙 Today's free reading is already used.\n\n"
    "The next free one will be available at midnight your time (in {wait}). "
    "With 💎 Premium you get up to {limit} readings a day and the ten-card Celtic cross."
)
LIMIT_PREMIUM = _(
    "🌙 You have used all {limit} readings for today. New ones will be available at midnight your time (in {wait})."
)
PREMIUM_REQUIRED = _(
    "✝️ <b>Celtic cross</b> is a ten-card reading for a deep look at a situation: its roots, what crosses "
    "your path, your own part in it and the likely outcome.\n\n"
    "It comes with 💎 Premium, together with up to {limit} readings a day."
)
PREMIUM_SOON = _("Premium is opening soon. Meanwhile, the card of the day is always free.")

DAY_TITLE = _("🌅 <b>Card of the day</b> · {date}")
DAY_LOVE = _("💞 <b>Love:</b> {text}")
DAY_WORK = _("💼 <b>Work:</b> {text}")
DAY_FOOTER = _("🔁 This card stays with you all day; tomorrow brings a new one.")
DAY_FOOTER_PAST = _("📜 This was your card of the day on {date}; today has a card of its own.")
RETOLD = _(
    "🌐 <i>This reading was written in another language; here it is told again in English from the same cards.</i>"
)

HISTORY_TITLE = _("📜 <b>Your readings</b> (page {page} of {pages})\n\nTap a reading to open it again.")
HISTORY_EMPTY = _("📜 You have no readings yet. Start with the card of the day!")
READING_GONE = _("This reading is no longer available.")


def remaining_line(*, premium: bool, remaining: int, limit: int) -> str:
    """What the user has left today, shown before they run out."""
    if premium:
        if remaining:
            return gettext("💎 Premium: %(left)d of %(limit)d readings left today.") % {
                "left": remaining,
                "limit": limit,
            }
        return gettext("💎 You have used all %(limit)d readings for today.") % {"limit": limit}
    if remaining:
        return ngettext(
            "You have %(left)d free reading left today.", "You have %(left)d free readings left today.", remaining
        ) % {"left": remaining}
    return gettext("Today's free reading is used; a new one comes at midnight.")


def wait_text(wait: timedelta) -> str:
    """A short "5 h 20 min" for how long until something becomes available again."""
    minutes = max(1, round(wait.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)d min") % {"minutes": minutes}


def day_month(value: date) -> str:
    """ "22 November" / "22 ноября" in the active language."""
    return date_format(value, "j E")


def short_date(value: date) -> str:
    """A compact date for lists: "22.11" in Russian, "22 Nov" in English (the English style everywhere)."""
    if (get_language() or "").startswith("en"):
        return date_format(value, "j M")
    return value.strftime("%d.%m")
