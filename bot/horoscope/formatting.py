"""Horoscopes as the reader sees them: Telegram HTML with a title and sections, and the buttons under them.

Shared by the horoscope handler (answers in chat) and the daily push (sent from the worker), so both show
the same thing. Keyboards are python-telegram-bot objects; the tasks hand them to the sender as JSON
(bot.ui.buttons.as_json).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import translation
from telegram import InlineKeyboardMarkup

from bot.horoscope import texts as t
from bot.ui import buttons
from horoscopes.astro import sky_of_day
from horoscopes.astro.chart import Chart
from horoscopes.astro.constants import SIGN_GLYPHS, SIGNS, sign_of
from horoscopes.astro.sky import offset_zone_name
from horoscopes.daily.models import SECTIONS, DailyHoroscope, PersonalHoroscope
from horoscopes.writer.grammar import date_text, phase_name, sign_in, sign_name, weekday
from horoscopes.writer.uncertain import signs_in, why_lines

# Callback data: hs:v:<sign>:<yyyymmdd> shows a horoscope, hs:s:<sign>:<yyyymmdd> the sign picker,
# hs:m:<sign> remembers the user's sign, hs:p the personal horoscope.
PREFIX = "hs"
VIEW, SIGNS_PICKER, MINE, PERSONAL = "v", "s", "m", "p"


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def _sections_html(sections: dict[str, str]) -> list[str]:
    blocks = [sections["overview"]] if sections.get("overview") else []
    for name in SECTIONS[1:]:
        if sections.get(name):
            blocks.append(f"{t.SECTION_TITLES[name]}\n{sections[name]}")
    return blocks


def daily_html(horoscope: DailyHoroscope) -> str:
    """The general horoscope of a sign for a date, in its own language."""
    lang = horoscope.language
    with translation.override(lang):
        # The sky of the readers' own day: the offset group the text was written for.
        sky = sky_of_day(horoscope.date, offset_zone_name(horoscope.utc_offset))
        title = t.DAILY_TITLE.format(
            glyph=SIGN_GLYPHS[horoscope.sign],
            sign=sign_name(horoscope.sign, lang),
            weekday=weekday(horoscope.date, lang),
            date=date_text(horoscope.date, lang),
        )
        moon = t.MOON_LINE.format(moon_in=sign_in(sky.moon_sign, lang), phase=phase_name(sky.moon_phase, lang))
        return "\n\n".join([f"{title}\n{moon}", *_sections_html(horoscope.sections())])


def personal_html(horoscope: PersonalHoroscope, natal: Chart | None = None) -> str:
    """A personal horoscope with the person's Sun and Moon (and Ascendant when the birth time is known)."""
    lang = horoscope.language
    with translation.override(lang):
        title = t.PERSONAL_TITLE.format(weekday=weekday(horoscope.date, lang), date=date_text(horoscope.date, lang))
        head = [title]
        if natal is not None:
            # Bodies whose sign changed during a birth day of unknown time, as the text was written for them.
            uncertain = {point: tuple(signs) for point, signs in (horoscope.facts.get("uncertain") or {}).items()}

            def where(point: str) -> str:
                if point in uncertain:
                    return signs_in(uncertain[point], lang)
                return sign_in(natal.points[point].sign, lang)

            if natal.has_houses and natal.asc is not None:
                head.append(
                    t.PERSONAL_CHART_LINE_ASC.format(
                        sun_in=where("sun"), moon_in=where("moon"), asc_in=sign_in(sign_of(natal.asc), lang)
                    )
                )
            else:
                head.append(t.PERSONAL_CHART_LINE.format(sun_in=where("sun"), moon_in=where("moon")))
            head.extend(f"<i>{line}</i>" for line in why_lines(uncertain, lang))
        return "\n\n".join(["\n".join(head), *_sections_html(horoscope.sections())])


def daily_keyboard(*, sign: str, day: date, today: date, user_sign: str, language: str) -> InlineKeyboardMarkup:
    """Today/Tomorrow, another sign (and back to one's own), the personal horoscope."""
    with translation.override(language):
        rows = []
        if day > today:
            rows.append([buttons.callback(t.BUTTON_TODAY, PREFIX, VIEW, sign, day_code(today))])
        else:
            rows.append([buttons.callback(t.BUTTON_TOMORROW, PREFIX, VIEW, sign, day_code(today + timedelta(days=1)))])
        other = [buttons.callback(t.BUTTON_OTHER_SIGN, PREFIX, SIGNS_PICKER, sign, day_code(day))]
        if user_sign and user_sign != sign:
            label = t.BUTTON_MY_SIGN.format(glyph=SIGN_GLYPHS[user_sign])
            other.append(buttons.callback(label, PREFIX, VIEW, user_sign, day_code(day)))
        rows.append(other)
        rows.append([buttons.callback(t.BUTTON_PERSONAL, PREFIX, PERSONAL)])
        return InlineKeyboardMarkup(rows)


def signs_keyboard(*, action: str, day: date | None, back_sign: str | None, language: str) -> InlineKeyboardMarkup:
    """Twelve signs in four rows of three; `action` VIEW shows that sign for `day`, MINE remembers it."""
    with translation.override(language):
        signs = []
        for sign in SIGNS:
            label = f"{SIGN_GLYPHS[sign]} {sign_name(sign, language)}"
            values = (action, sign, day_code(day)) if action == VIEW and day else (action, sign)
            signs.append(buttons.callback(label, PREFIX, *values))
        rows = [signs[i : i + 3] for i in range(0, 12, 3)]
        if back_sign and day:
            rows.append([buttons.callback(t.BUTTON_BACK, PREFIX, VIEW, back_sign, day_code(day))])
        return InlineKeyboardMarkup(rows)
