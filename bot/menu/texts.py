"""Core user-facing texts of the bot: the menu, greetings, help and errors."""

from django.utils.translation import gettext_lazy as _

MENU_HOROSCOPE = _("🔮 Horoscope")
MENU_TAROT = _("🃏 Tarot")
MENU_NATAL = _("🌌 Natal chart")
MENU_PREMIUM = _("💎 Premium")
MENU_PROFILE = _("👤 Profile")
MENU_HELP = _("❓ Help")

GREETING_BACK = _("Welcome back, {name}! The menu is below.")
FRIEND = _("friend")

HELP = _(
    "<b>What I can do</b>\n\n"
    "🔮 <b>Horoscope</b>: today's and tomorrow's horoscope for your sign.\n"
    "🃏 <b>Tarot</b>: card of the day and readings on your question.\n"
    "🌌 <b>Natal chart</b>: your chart computed from the date, time and place of birth.\n"
    "💎 <b>Premium</b>: personal horoscopes, the full chart and more readings.\n"
    "👤 <b>Profile</b>: your birth data, language and daily notifications."
)
HELP_COMMANDS = _("Commands:")
LANGUAGE_BUTTON = _("🌐 Русский / English")
CHOOSE_LANGUAGE = _("Choose the language / Выберите язык")
LANGUAGE_CHANGED = _("Done: I will speak English now.")

SECTION_SOON = _("This section is opening soon. Meanwhile, the rest of the menu is at your service.")
COMPATIBILITY_SOON = _(
    "I cannot read compatibility yet. Meanwhile, 🔮 Horoscope shows today's forecast for any sign, "
    "and 🃏 Tarot can take a question about your relationship."
)
NOT_UNDERSTOOD = _("I did not quite get that. Please use the menu below or /help.")
BUTTON_OUTDATED = _("This button is no longer active. Here is the menu.")
BUTTON_NO_USER = _("I keep no data of yours now, so this button changes nothing. Send /start to begin again.")
ERROR = _("Sorry, something went wrong on my side. I have noted it; please try again in a minute.")

# Feature switches and maintenance (staff turn them in the admin's Bot settings).
MAINTENANCE = _(
    "🛠 The bot is under maintenance right now and will be back soon. Your data and Premium are safe. "
    "If something is urgent, write to /support."
)
FEATURE_OFF = _("This section is switched off for a while. The rest of the menu is at your service.")
PAYMENTS_OFF = _(
    "Premium is not on sale right now. Your current Premium keeps working; questions about payments: /paysupport."
)

# The command menu Telegram shows (set by `manage.py set_webhook`), in this order.
COMMANDS = (
    ("start", _("Main menu")),
    ("horoscope", _("Horoscope for today")),
    ("tarot", _("Tarot: card of the day and readings")),
    ("natal", _("My natal chart")),
    ("premium", _("Premium")),
    ("profile", _("My profile and settings")),
    ("help", _("What the bot can do")),
    ("privacy", _("Privacy policy")),
    ("terms", _("Terms of use and payment")),
    ("support", _("Write to support")),
    ("paysupport", _("Help with payments")),
    ("my_data", _("A copy of everything I keep about you")),
    ("delete_me", _("Erase your data")),
)


def help_text() -> str:
    """What the bot does and every command it has, in the active language."""
    commands = "\n".join(f"/{name} — {description}" for name, description in COMMANDS)
    return f"{HELP}\n\n{HELP_COMMANDS}\n{commands}"
