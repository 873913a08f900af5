"""User-facing texts of /privacy, /my_data and /delete_me."""

from django.utils.translation import gettext_lazy as _

POLICY = _(
    "🔒 <b>Privacy policy</b> (version {version})\n\n"
    "<b>What I store.</b> Your Telegram id, username and name as Telegram reports them; your language; the "
    "birth date, time and place you give me and the zodiac sign that follows from them; the time zone and "
    "time of your daily horoscope; your readings and horoscopes; your payments; where you came from (an "
    "invite or an advertising link); when you accepted this policy and when you last wrote to me.\n\n"
    "<b>Why.</b> To compute your horoscopes, tarot readings and natal chart, to send the daily horoscope "
    "you asked for, and to provide Premium.\n\n"
    "<b>Texts.</b> If the bot's operator has connected an AI text service, the facts a text is written "
    "from (the sky of the day, your sign or chart, your tarot question) are sent to that service, without "
    "your name, username or Telegram id.\n\n"
    "<b>Who sees it.</b> The team that runs the bot, to help you and to keep it working. Your data is not "
    "sold or shared for advertising.\n\n"
    "<b>Your choices.</b> /my_data sends you everything stored about you. /delete_me erases it; payment "
    "records are kept for accounting, no longer linked to your name: for a paid payment, the amount, the "
    "date and the payment's ids, and for Telegram Stars also your Telegram id, which Telegram needs to "
    "refund it. /profile turns the daily messages off, and if you block the bot nothing more is sent."
)
POLICY_CONTACT = _("<b>Contact:</b> {contact}")

CONSENT_GIVEN = _("✅ You accepted this policy (version {version}) on {date} at {time}, your time.")
CONSENT_NONE = _("You have not accepted this policy yet: it is offered when you start with /start.")

MY_DATA_CAPTION = _("📦 Everything I store about you, as a JSON file. To erase it, send /delete_me.")

DELETE_CONFIRM = _(
    "⚠️ <b>Erase all your data?</b>\n\n"
    "Your birth data, name, settings, readings and history will be erased for good. Payment records are "
    "kept for accounting, no longer linked to you."
)
DELETE_PREMIUM = _("Your Premium (until {date}) ends with it.")
DELETE_YES = _("🗑 Yes, erase everything")
DELETE_NO = _("Keep my data")
DELETED = _("Done: your data has been erased. If you ever want to come back, just send /start.")
DELETE_KEPT = _("You chose to keep your data: nothing was erased.")
DELETE_DONE = _("🗑 You chose to erase your data: it is gone.")
DELETE_STALE = _(
    "This question was about data that has already been erased; the button changes nothing. "
    "To erase what you have shared since, send /delete_me."
)
DELETE_EXPIRED = _("This confirmation has expired. Send /delete_me again if you still want to erase your data.")
