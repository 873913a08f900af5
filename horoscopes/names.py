"""Display names of signs, points, aspects, elements and house systems, and chart notes, through gettext.

The sky engine (horoscopes.astro) keeps only keys; the words readers see are translated here. Sentence forms
(cases such as "в Тельце") belong to the offline writer's banks (horoscopes.writer).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import dateformat, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from horoscopes.astro.constants import SIGNS
from horoscopes.astro.names import SIGN_DATE_RANGES

SIGN_NAMES: dict[str, Promise] = {
    "aries": _("Aries"),
    "taurus": _("Taurus"),
    "gemini": _("Gemini"),
    "cancer": _("Cancer"),
    "leo": _("Leo"),
    "virgo": _("Virgo"),
    "libra": _("Libra"),
    "scorpio": _("Scorpio"),
    "sagittarius": _("Sagittarius"),
    "capricorn": _("Capricorn"),
    "aquarius": _("Aquarius"),
    "pisces": _("Pisces"),
}

POINT_NAMES: dict[str, Promise] = {
    "sun": pgettext_lazy("point", "Sun"),
    "moon": pgettext_lazy("point", "Moon"),
    "mercury": pgettext_lazy("point", "Mercury"),
    "venus": pgettext_lazy("point", "Venus"),
    "mars": pgettext_lazy("point", "Mars"),
    "jupiter": pgettext_lazy("point", "Jupiter"),
    "saturn": pgettext_lazy("point", "Saturn"),
    "uranus": pgettext_lazy("point", "Uranus"),
    "neptune": pgettext_lazy("point", "Neptune"),
    "pluto": pgettext_lazy("point", "Pluto"),
    "mean_node": pgettext_lazy("point", "North Node (mean)"),
    "true_node": pgettext_lazy("point", "North Node (true)"),
    "south_node": pgettext_lazy("point", "South Node"),
    "asc": pgettext_lazy("point", "Ascendant"),
    "mc": pgettext_lazy("point", "Midheaven (MC)"),
}

ASPECT_NAMES: dict[str, Promise] = {
    "conjunction": pgettext_lazy("aspect", "conjunction"),
    "sextile": pgettext_lazy("aspect", "sextile"),
    "square": pgettext_lazy("aspect", "square"),
    "trine": pgettext_lazy("aspect", "trine"),
    "opposition": pgettext_lazy("aspect", "opposition"),
}

HOUSE_SYSTEM_NAMES: dict[str, Promise] = {
    "placidus": pgettext_lazy("house system", "Placidus"),
    "koch": pgettext_lazy("house system", "Koch"),
    "whole_sign": pgettext_lazy("house system", "Whole Sign"),
    "equal": pgettext_lazy("house system", "Equal"),
    "porphyry": pgettext_lazy("house system", "Porphyry"),
}

# As the sign reveal writes them after "Element:" (in Russian in lower case: "Стихия: огонь").
ELEMENT_NAMES: dict[str, Promise] = {
    "fire": pgettext_lazy("element after a colon", "Fire"),
    "earth": pgettext_lazy("element after a colon", "Earth"),
    "air": pgettext_lazy("element after a colon", "Air"),
    "water": pgettext_lazy("element after a colon", "Water"),
}

# Notes a chart table or wheel shows when something is missing or replaced.
POLAR_FALLBACK_NOTE = _("Placidus and Koch houses do not exist beyond the polar circle: Porphyry houses are used.")
NO_HOUSES_NOTE = _("Birth time unknown: houses, Ascendant and MC are not calculated.")
POLAR_SHORT = pgettext_lazy("chart wheel", "polar fallback")
NO_TIME_SHORT = pgettext_lazy("chart wheel", "birth time unknown")
# "Sun ... house 10": the word before a house number.
HOUSE_WORD = pgettext_lazy("chart", "house")


def name(table: dict[str, Promise], key: str, lang: str) -> str:
    """A display name from one of the tables above in a language."""
    with translation.override(lang):
        return str(table[key])


def sign_date_range_text(sign: str, lang: str) -> str:
    """Human date range of a sun sign, e.g. "21.03 – 19.04" (ru) or "Mar 21 – Apr 19" (en)."""
    (m1, d1), (m2, d2) = SIGN_DATE_RANGES[sign]
    with translation.override(lang):
        # A Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date).
        pattern = pgettext("sign date range", "M j")
        return f"{dateformat.format(date(2001, m1, d1), pattern)} – {dateformat.format(date(2001, m2, d2), pattern)}"


@lru_cache(maxsize=1)
def _sign_words() -> dict[str, str]:
    return {name(SIGN_NAMES, sign, code).lower(): sign for sign in SIGNS for code, _label in settings.LANGUAGES}


def sign_for_word(word: str) -> str | None:
    """The sign a typed name means in any of the bot's languages ("телец", "Taurus"), or None."""
    return _sign_words().get(word.strip().lower())
