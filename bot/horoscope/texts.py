"""User-visible texts of the horoscope feature (the handler, the rendered horoscopes and the daily push)."""

from django.utils.translation import gettext_lazy as _

SECTION_TITLES = {
    "love": _("❤️ <b>Love</b>"),
    "work": _("💼 <b>Work</b>"),
    "health": _("🌿 <b>Health</b>"),
    "money": _("💰 <b>Money</b>"),
    "tip": _("✨ <b>Tip of the day</b>"),
}
# "♌ Leo · Saturday, November 22"
DAILY_TITLE = _("{glyph} <b>{sign} · {weekday}, {date}</b>")
PERSONAL_TITLE = _("✨ <b>Your personal horoscope · {weekday}, {date}</b>")
MOON_LINE = _("🌙 Moon {moon_in} · {phase}")
PERSONAL_CHART_LINE = _("☀️ Sun {sun_in} · 🌙 Moon {moon_in}")
PERSONAL_CHART_LINE_ASC = _("☀️ Sun {sun_in} · 🌙 Moon {moon_in} · ⬆️ Ascendant {asc_in}")
PUSH_FOOTER = _("<i>Notification time and switching it off: /profile</i>")

BUTTON_TODAY = _("◀️ Today")
BUTTON_TOMORROW = _("Tomorrow ▶️")
BUTTON_OTHER_SIGN = _("🔄 Another sign")
BUTTON_MY_SIGN = _("{glyph} My sign")
BUTTON_BACK = _("↩️ Back")
BUTTON_PERSONAL = _("✨ Personal horoscope")
BUTTON_PREMIUM = _("💎 About Premium")

ASK_SIGN = _(
    "Which sign are you? Choose it below, or send me your birth date (for example, 15.03.1990) and I will work it out."
)
SIGN_SAVED = _("Got it, {sign}! Here is your horoscope.")
BIRTH_DATE_NOT_UNDERSTOOD = _(
    "I could not read that date. Please send it like 15.03.1990 or 15 March 1990, or choose your sign below."
)
BIRTH_DATE_IMPOSSIBLE = _("There is no such date in the calendar. Please check the day and month.")
BIRTH_DATE_FUTURE = _("That date has not come yet. Please send your birth date.")
BIRTH_DATE_TOO_OLD = _("That date is too long ago. Please check the year.")
BIRTH_DATE_AMBIGUOUS = _(
    "Is that {first} or {second}? Please write the month in words, for example 15 March 1990, or choose your sign "
    "below."
)
BIRTH_DATE_NO_DAY = _("Please add the day, for example 15 March 1990, or choose your sign below.")
BIRTH_DATE_NO_YEAR = _("Please add the year, for example 15 March 1990, or choose your sign below.")
OUT_OF_DATE = _("That horoscope is no longer current: here is today's.")

PERSONAL_OFFER = _(
    "✨ <b>Personal horoscope</b>\n\n"
    "Today's transits to your own natal chart: what the planets are doing to <i>your</i> Sun, Moon, Venus and "
    "the rest, written for you every day and sent with your morning notification.\n\n"
    "It is part of 💎 Premium."
)
PERSONAL_PREPARING = _(
    "✨ I am writing your personal horoscope from today's transits to your chart. It will arrive here in a "
    "minute or two."
)
PERSONAL_STILL_PREPARING = _("✨ Your personal horoscope is still being written; it will arrive here shortly.")
PERSONAL_NEEDS_BIRTH_DATA = _(
    "For a personal horoscope I need your birth date, and ideally the time and place of birth: the transits "
    "are worked out for your own chart."
)
