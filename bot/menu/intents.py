"""Free text that names a feature ("гороскоп на завтра", "tarot", "карта дня"): which one it names.

The answer is an action of the main menu (the keys of `Routes.menu`) or one of the few extra actions below;
None when the text names nothing we have. Plain words in, a name out: no Telegram here.
"""

import re
import unicodedata

# A horoscope asked for in words (maybe for a sign, maybe for tomorrow), unlike the menu's "horoscope".
HOROSCOPE = "horoscope_asked"
HOROSCOPE_TOMORROW = "horoscope_tomorrow"
TAROT = "tarot"
TAROT_DAY = "tarot_day"
NATAL = "natal"
PREMIUM = "premium"
PROFILE = "profile"
HELP = "help"
# Named, but not built yet: the caller says so instead of pretending.
COMPATIBILITY = "compatibility"

# Longest text still read as a request for a feature rather than, say, a story that mentions one.
MAX_REQUEST_LENGTH = 80


def _words(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<![\w-])(?:{part})" for part in parts))


_HOROSCOPE_WORDS = r"гороскоп\w*|прогноз\w*|horoscope\w*|forecast\w*"
_TOMORROW = _words(r"завтр\w*|tomorrow\w*")

# In order: the first that matches wins, so the more specific requests come first.
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (COMPATIBILITY, _words(r"совместим\w*", r"compatib\w*", r"подходим\s+ли", r"синастри\w*", r"synastry")),
    (
        TAROT_DAY,
        _words(
            r"карт[аыуе]\s+(?:на\s+)?(?:дня|день|сегодня)",
            r"(?:card|tarot)\s+of\s+the\s+day",
            r"daily\s+card",
            r"day\s+card",
            r"today'?s\s+card",
        ),
    ),
    (NATAL, _words(r"натал\w*", r"карт[аыуе]\s+рождени\w*", r"natal\w*", r"birth\s+chart", r"гороскоп\s+рождения")),
    (TAROT, _words(r"тар[оа]\w*", r"tarot\w*", r"расклад\w*", r"погада\w*", r"гадани\w*", r"гадать", r"spread")),
    (HOROSCOPE, _words(_HOROSCOPE_WORDS, r"что\s+меня\s+жд[её]т", r"what'?s\s+in\s+store")),
    (PREMIUM, _words(r"премиум\w*", r"premium", r"подписк\w*", r"subscri\w*")),
    (PROFILE, _words(r"профил\w*", r"profile", r"настройк\w*", r"settings")),
    (
        HELP,
        _words(r"помо(?:щь|гите|ги)", r"help", r"что\s+ты\s+умеешь", r"what\s+can\s+you\s+do", r"команды", r"commands"),
    ),
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").replace("’", "'")
    return " ".join(text.split())


def intent_of(text: str | None) -> str | None:
    """The feature a short free text asks for, or None."""
    if not text or len(text) > MAX_REQUEST_LENGTH:
        return None
    folded = _fold(text)
    for intent, pattern in _INTENTS:
        if pattern.search(folded):
            if intent == HOROSCOPE and _TOMORROW.search(folded):
                return HOROSCOPE_TOMORROW
            return intent
    return None


# Sign names in any case a sentence puts them in: "гороскоп для льва", "для рыб", "horoscope leo".
_SIGN_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (sign, _words(pattern))
    for sign, pattern in (
        ("aries", r"овен|овн\w*|aries"),
        ("taurus", r"телец|тельц\w*|taurus"),
        ("gemini", r"близнец\w*|gemini"),
        ("cancer", r"рак(?:а|у|ом|е|и|ов|ам)?(?!\w)|cancer"),
        ("leo", r"лев(?!\w)|льв(?:а|у|ом|е|ы|ов|ам)(?!\w)|leo(?!\w)"),
        ("virgo", r"дев(?:а|ы|е|у|ой|ам)(?!\w)|virgo"),
        ("libra", r"вес(?:ы|ов|ам|ах)(?!\w)|libra"),
        ("scorpio", r"скорпион\w*|scorpio\w*"),
        ("sagittarius", r"стрелец|стрельц\w*|sagittari\w*"),
        ("capricorn", r"козерог\w*|capricorn\w*"),
        ("aquarius", r"водоле\w*|aquari\w*"),
        ("pisces", r"рыб(?:ы|а|ам|ах|ами)?(?!\w)|pisces"),
    )
)


def sign_named(text: str | None) -> str | None:
    """The one zodiac sign a short text names ("гороскоп для льва"), or None (none, or several)."""
    if not text or len(text) > MAX_REQUEST_LENGTH:
        return None
    folded = _fold(text)
    named = {sign for sign, pattern in _SIGN_WORDS if pattern.search(folded)}
    return named.pop() if len(named) == 1 else None
