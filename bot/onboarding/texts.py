"""User-facing texts of onboarding (/start for someone new)."""

from django.utils.translation import gettext_lazy as _

GREETING = _(
    "✨ Hello, {name}! I am Astrobot: daily horoscopes, tarot and your natal chart, computed from the real sky.\n\n"
    "Getting started takes a minute. First, which language do you prefer?"
)
CONSENT = _("By continuing you accept the /privacy policy.")
LANGUAGE_USE_BUTTONS = _("Please choose the language with the buttons above, or just send your birth date.")
DONE = _(
    "🎉 All set! Your menu is below: tap 🔮 Horoscope for today's forecast. "
    "Everything you told me can be changed in 👤 Profile."
)
