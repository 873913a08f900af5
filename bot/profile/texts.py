"""User-facing texts of the profile and of the birth data, time zone and notification questions."""

from datetime import date, time

from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# --- Buttons --------------------------------------------------------------------------------------------
BUTTON_TIME_UNKNOWN = _("🤷 I don't know")
BUTTON_LATER = _("⏭ Later")
BUTTON_CANCEL = _("✖ Cancel")
BUTTON_OTHER_TIME = _("✏️ Enter another time")
BUTTON_CHANGE_TZ = _("🌍 Change time zone")
BUTTON_NO_NOTIFICATIONS = _("🔕 No, thanks")

BUTTON_EDIT_DATE = _("📅 Birth date")
BUTTON_EDIT_TIME = _("🕐 Birth time")
BUTTON_EDIT_PLACE = _("📍 Birthplace")
BUTTON_EDIT_TZ = _("🌍 Time zone")
BUTTON_EDIT_NOTIFY = _("🔔 Horoscope time")
BUTTON_NOTIFY_OFF = _("🔕 Turn notifications off")
BUTTON_NOTIFY_ON = _("🔔 Turn notifications on")
BUTTON_LANGUAGE = _("🌐 Language")
BUTTON_INVITE = _("🤝 Invite friends")
BUTTON_MY_DATA = _("📦 My data")
BUTTON_DELETE = _("🗑 Delete my data")

# --- Birth date -----------------------------------------------------------------------------------------
ASK_DATE = _("📅 When were you born? Send the date, for example <b>15.03.1990</b> or <b>15 March 1990</b>.")
DATE_ERRORS = {
    "impossible_date": _(
        "There is no such date in the calendar: please check the day and the month. For example: 15.03.1990."
    ),
    "future": _("That date has not come yet 🙂 Please send your birth date, for example 15.03.1990."),
    "too_old": _("I can take birth dates from 1900 on. Please check the year."),
    "no_year": _("Please add the year of birth, for example 15.03.1990."),
    "unrecognised": _("I could not find a date in that. Please write it like 15.03.1990, 15 March 1990 or 1990-03-15."),
}
DATE_AMBIGUOUS = _("Did you mean {first} or {second}?")
DATE_ASK_DAY = _("Got it: {month}. Which day? Send just the number, for example 15.")
DATE_NO_SUCH_DAY = _("There is no {date}: that month has {days} days. Please check the day.")
DATE_NOT_TEXT = _("Please send your birth date as a text message, for example 15.03.1990.")
SIGN_REVEAL = _("{emoji} Your sign is <b>{sign}</b> ({dates}).\nElement: {element}.")
SIGN_UNDECIDED = _(
    "That day the Sun moved from {first} into {second}. Your birth time and place will show which sign is "
    "yours; until then I go by noon."
)
SIGN_SETTLED = _("☉ At the moment of your birth the Sun stood in {emoji} <b>{sign}</b>: that is your sign.")
SIGN_STILL_UNDECIDED = _(
    "Without the birth time I go by noon: {first}. If you find out the time, add it in /profile: you may be {second}."
)
DATE_SAVED = _("Saved: born on {date}, {emoji} {sign}.")

# --- Birth time -----------------------------------------------------------------------------------------
ASK_TIME = _(
    "🕐 Do you know the time you were born? Send it like <b>14:30</b>.\n"
    "The time makes the houses and the Ascendant of your chart exact. If you do not know it, that is fine."
)
TIME_ERROR = _("I could not read a time in that. Please write it like 14:30, 14.30 or 2:30 pm.")
TIME_NOT_TEXT = _("Please send the time as a text message, for example 14:30, or press a button above.")
TIME_SAVED = _("Saved: born at {time}.")
TIME_UNKNOWN_SAVED = _(
    "Fine, the birth time stays unknown: the natal chart will leave out the houses and the Ascendant and say so."
)

# --- Birthplace -----------------------------------------------------------------------------------------
ASK_PLACE = _(
    "📍 Where were you born? Type the city, town or village in Russian or English, "
    "or send a location pin (📎 → Location)."
)
PLACE_NOT_FOUND = _(
    "I could not find “{query}”. Please check the spelling, try the nearest larger town, or send a location pin."
)
PLACE_CHOOSE = _(
    "There are several places with that name. Which one is yours?\n"
    "If yours is not here, type the name with its region, for example “{example}”."
)
PLACE_SAVED = _("📍 Birthplace: <b>{place}</b>, {offset} on that date.")
PLACE_SAVED_NO_DATE = _("📍 Birthplace: <b>{place}</b>.")
PLACE_PIN_NOTHING = _("I found no town within 300 km of that point. Please type the name of the place instead.")
PLACE_NOT_TEXT = _("Please type the name of the place or send a location pin.")

# --- A local time that happened twice or never -----------------------------------------------------------
MOMENT_GAP = _(
    "On {date} the clocks in {place} were moved forward, so {time} never showed on the clocks there. "
    "Which of these is right?"
)
MOMENT_TWICE = _(
    "On {date} the clocks in {place} were moved back, so {time} happened twice that night. Which one was it?"
)
MOMENT_OPTION = _("{time} ({offset})")
MOMENT_FIRST = _("the first {time} ({offset})")
MOMENT_SECOND = _("the second {time} ({offset})")
MOMENT_USE_BUTTONS = _("Please choose one of the buttons above, or send another time.")
MOMENT_SAVED = _("Saved: born at {time} ({offset}).")

# --- Flow ------------------------------------------------------------------------------------------------
SKIPPED = _("Okay, you can add it later in /profile.")
SAVED = _("Saved.")
CANCELLED = _("Cancelled, nothing was changed.")

# --- Current time zone ----------------------------------------------------------------------------------
ASK_TZ = _(
    "🌍 Which city do you live in now? I only need it for the time zone of your notifications.\n"
    "Type the city, send a location pin, or an offset such as <b>UTC+5</b>."
)
TZ_NOT_FOUND = _(
    "I could not find “{query}”. Try a larger city nearby, an offset such as UTC+5, or send a location pin."
)
TZ_BAD_OFFSET = _("Offsets go from UTC−12 to UTC+14 in whole hours; for any other offset please type your city.")
TZ_CHOOSE = _("Which one do you mean?")
TZ_SAVED = _("🌍 Time zone: <b>{tz}</b>, local time now {now}.")
TZ_NOT_TEXT = _("Please type your city, an offset such as UTC+5, or send a location pin.")

# --- Daily notification ---------------------------------------------------------------------------------
ASK_NOTIFY = _(
    "🔔 I can send you your horoscope every day. At what time? Choose below or type one, for example "
    "<b>8:30</b>.\nYour time zone: {tz}, local time now {now}."
)
NOTIFY_TIME_ERROR = _("I could not read a time in that. Please write it like 8:30 or 21:00.")
NOTIFY_SAVED = _("🔔 Your horoscope will come every day at <b>{time}</b>. Time zone: {tz}.")
NOTIFY_OFF = _("🔕 Daily notifications are off. You can turn them on any time in /profile.")
NOTIFY_ON = _("🔔 Daily notifications are on: every day at {time}.")

# --- Profile --------------------------------------------------------------------------------------------
PROFILE_TITLE = _("👤 <b>Your profile</b>")
PROFILE_BIRTH_DATE = _("📅 Birth date: {value}")
PROFILE_BIRTH_DATE_NONE = _("📅 Birth date: not given")
PROFILE_BIRTH_TIME = _("🕐 Birth time: {value}")
PROFILE_BIRTH_TIME_NONE = _("🕐 Birth time: not given")
PROFILE_BIRTH_TIME_UNKNOWN = _("🕐 Birth time: unknown")
PROFILE_BIRTH_PLACE = _("📍 Birthplace: {value}")
PROFILE_BIRTH_PLACE_NONE = _("📍 Birthplace: not given")
PROFILE_TZ = _("🌍 Time zone: {value}")
PROFILE_NOTIFY_AT = _("🔔 Daily horoscope: every day at {time}")
PROFILE_NOTIFY_OFF = _("🔔 Daily horoscope: off")
PROFILE_LANGUAGE = _("🌐 Language: {value}")
PROFILE_PREMIUM_UNTIL = _("💎 Premium: until {date}")
PROFILE_PREMIUM_NONE = _("💎 Premium: not active")
PROFILE_MISSING = _("Add your birth time and place to get an exact natal chart.")
PROFILE_MISSING_DATE = _("Add your birth date to get horoscopes for your sign.")

INVITE = _("🤝 Invite your friends to Astrobot: send them this link.\n\n{link}\n\n{joined}")
INVITE_NOBODY_YET = _("Nobody has joined through your link yet.")
INVITE_NO_LINK = _("🤝 Your friends can join with this command: <code>/start {payload}</code>\n\n{joined}")


def format_date(value: date, lang: str) -> str:
    """A date the way the user writes it: 15.03.1990 in Russian, 15 Mar 1990 in English."""
    with translation.override(lang):
        # A Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date).
        return dateformat.format(value, pgettext("birth date", "j M Y"))


def format_time(value: time) -> str:
    """A wall-clock time as HH:MM."""
    return f"{value.hour:02d}:{value.minute:02d}"


def format_day_month(value: date, lang: str) -> str:
    """A day and month in words, the way the ambiguous date question names them: "4 May", "4 мая"."""
    with translation.override(lang):
        return dateformat.format(value, pgettext("day and month", "j F"))


def format_month_year(month: int, year: int, lang: str) -> str:
    """A month and year in words: "May 1987", "май 1987"."""
    with translation.override(lang):
        text = dateformat.format(date(year, month, 1), pgettext("month and year", "F Y"))
    # Django names Russian months with a capital letter; inside a sentence they are lower case.
    return text if lang == "en" else text.lower()


def format_impossible_date(day: int, month: int, year: int, lang: str) -> str:
    """A day that its month does not have, in words: "31 February 1990"."""
    with translation.override(lang):
        return f"{day} " + dateformat.format(date(year, month, 1), pgettext("month of a date", "E Y"))
