"""Name folding and Russian/Latin transliteration shared by the index and its builder."""

import re
import unicodedata

_VOWELS = set("аеёиоуыэюяіїєaeiouy")
_SOFT_HARD = set("ьъ")

# Scientific-ish romanisation close to the BGN/PCGN system GeoNames uses for Russian names, extended with
# the letters of the other Cyrillic alphabets of the former USSR so that their names fold too.
_CYR_TO_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "u",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "ђ": "dj",
    "џ": "dz",
    "ӣ": "i",
    "ӯ": "u",
    "ҳ": "h",
    "ҷ": "j",
    "җ": "zh",
    "ѓ": "g",
    "ќ": "k",
    "ѕ": "dz",
}
# Letters that NFKD does not take apart into a base letter and a mark.
_LATIN_SPECIAL = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}

RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")


def has_cyrillic(text: str) -> bool:
    """True when the text contains a Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


def has_latin(text: str) -> bool:
    """True when the text contains a Latin letter."""
    return _LATIN.search(text) is not None


def is_russian_spelling(text: str) -> bool:
    """True when every letter belongs to the Russian alphabet (and there is at least one)."""
    letters = [c for c in text.lower() if c.isalpha()]
    return bool(letters) and all(c in RUSSIAN_LETTERS for c in letters)


def cyrillic_to_latin(text: str) -> str:
    """Romanise Cyrillic letters (lower case out); other characters pass through lower-cased."""
    out: list[str] = []
    prev = " "
    for ch in text.lower():
        if ch in ("е", "ё") and (not prev.isalpha() or prev in _VOWELS or prev in _SOFT_HARD):
            # BGN/PCGN writes "ye" at the start of a word and after vowels: Yekaterinburg, Kiyev.
            out.append("ye")
        else:
            out.append(_CYR_TO_LAT.get(ch, ch))
        prev = ch
    return "".join(out)


def fold(text: str) -> str:
    """The search key of a name: Latin letters and digits only, no case, marks, spaces or hyphens."""
    latin = cyrillic_to_latin(text.casefold())
    latin = "".join(_LATIN_SPECIAL.get(ch, ch) for ch in latin)
    latin = _COMBINING.sub("", unicodedata.normalize("NFKD", latin))
    return _NON_KEY.sub("", latin)


_LAT_TO_CYR_MULTI = (
    ("shch", "щ"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("yo", "ё"),
)
_LAT_TO_CYR_ONE = {
    "a": "а",
    "b": "б",
    "v": "в",
    "g": "г",
    "d": "д",
    "e": "е",
    "z": "з",
    "i": "и",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "f": "ф",
    "h": "х",
    "c": "ц",
    "j": "й",
    "w": "в",
    "x": "кс",
    "q": "к",
    "'": "ь",
    "’": "ь",
    "ʹ": "ь",
    "ë": "ё",
}
_RUSSIAN_VOWELS = set("аеёиоуыэюя")


def _multi_letter(rest: str) -> tuple[str, str] | None:
    for latin, cyr in _LAT_TO_CYR_MULTI:
        if rest.startswith(latin):
            return latin, cyr
    return None


def latin_to_russian(text: str, *, apostrophe_is_soft_sign: bool = True) -> str:
    """Undo a BGN/PCGN romanisation of a Russian name (best effort, for names with no Russian form)."""
    out: list[str] = []
    text = text.replace("ë", "\x01").replace("Ë", "\x02")
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).replace("\x01", "ë").replace("\x02", "Ë")
    if not apostrophe_is_soft_sign:
        # Uzbek and Tajik romanisations use apostrophes for sounds Russian spelling does not mark.
        text = re.sub(r"['’‘ʼʻ`]", "", text)
    lower = text.lower()
    i = 0
    while i < len(text):
        upper = text[i].isupper()
        prev = out[-1][-1].lower() if out and out[-1] else " "
        multi = _multi_letter(lower[i:])
        if multi:
            latin, cyr = multi
            i += len(latin)
        else:
            ch = lower[i]
            i += 1
            if ch == "y":
                # After a vowel BGN's "y" is "й" (Altay, Krasnyy); elsewhere it is "ы" (Syktyvkar).
                cyr = "й" if prev in _RUSSIAN_VOWELS else "ы"
            elif ch == "e" and (not prev.isalpha() or prev in _RUSSIAN_VOWELS):
                # BGN writes "ye" for "е" in these positions, so a bare "e" there is "э" (Elista).
                cyr = "э"
            else:
                cyr = _LAT_TO_CYR_ONE.get(ch, ch)
        out.append(cyr.capitalize() if upper else cyr)
    return "".join(out)
