"""A reader's question: cleaned, sorted into an area (general, love, work) and screened for sensitive topics.

The question is data. Nothing here (or anywhere downstream) lets its words change what the bot does beyond
picking which card meanings to read and whether to answer gently instead of drawing cards.
"""

from __future__ import annotations

import enum
import re
import unicodedata

MAX_QUESTION_LENGTH = 300


class Concern(enum.StrEnum):
    """Topics the cards should not answer; each gets a gentle, safe reply instead of a reading."""

    SELF_HARM = "self_harm"
    HARM = "harm"
    MEDICAL = "medical"
    LEGAL = "legal"


def _patterns(*parts: str) -> re.Pattern[str]:
    """One case-insensitive pattern; every part starts at a word boundary."""
    return re.compile("|".join(rf"\b(?:{part})" for part in parts), re.IGNORECASE)


# Small, careful lists: a miss only means an ordinary reading, a false alarm means a kind redirect.
# Stems are chosen so that common innocent words do not match (судьба is not суд, изменения is not измена,
# and "Рак"/"Cancer" are zodiac signs in this bot, so they are left out).
_CONCERNS: tuple[tuple[Concern, re.Pattern[str]], ...] = (
    (
        Concern.SELF_HARM,
        _patterns(
            r"суицид",
            r"самоубий",
            r"покончить\s+с\s+собой",
            r"уб(?:ить|ью)\s+себя",
            r"(?:не\s+)?хо(?:чу|чется)\s+умереть",
            r"не\s+хо(?:чу|чется)\s+жить",
            r"жить\s+не\s+хо(?:чу|чется)",
            r"свести\s+сч[её]ты\s+с\s+жизнью",
            r"причинить\s+себе\s+вред",
            r"пореза(?:ть|ла|л)\s+себя",
            r"suicid",
            r"kill(?:ing)?\s+myself",
            r"end(?:ing)?\s+my\s+life",
            r"take\s+my\s+(?:own\s+)?life",
            r"want\s+to\s+die",
            r"self[\s-]?harm",
            r"hurt(?:ing)?\s+myself",
            r"cut(?:ting)?\s+myself",
            r"(?:don'?t|do\s+not)\s+want\s+to\s+live",
            r"no\s+reason\s+to\s+live",
        ),
    ),
    (
        Concern.HARM,
        _patterns(
            r"отомстить",
            r"отомщ",
            r"навредить",
            r"навести\s+порчу",
            r"порчу\s+на",
            r"наслать",
            r"прокл(?:ясть|яни|инать)",
            r"приворож",
            r"приворот",
            r"убить\s+(?:его|е[её]|их|мужа|жену|соперни)",
            r"revenge",
            r"get\s+back\s+at",
            r"(?:hurt|harm|punish)\s+(?:him|her|them)\b",
            r"curse\s+(?:him|her|them|someone)\b",
            r"love\s+spell",
            r"kill\s+(?:him|her|them)\b",
        ),
    ),
    (
        Concern.MEDICAL,
        _patterns(
            r"болезн",
            r"болею",
            r"заболе",
            r"диагноз",
            r"лечени",
            r"лечить",
            r"лекарств",
            r"таблетк",
            r"врач",
            r"онколог",
            r"опухол",
            r"беременн",
            r"здоровь",
            r"симптом",
            r"diagnos",
            r"illness",
            r"disease",
            r"medic(?:ine|ation|al)",
            r"pills?\b",
            r"doctor",
            r"tumou?r",
            r"oncolog",
            r"chemo",
            r"pregnan",
            r"surgery",
            r"symptom",
            r"health\b",
        ),
    ),
    (
        Concern.LEGAL,
        _patterns(
            r"суд(?:а|е|у|ом|ы|ов|ам|ах|ами)?\b",
            r"судеб",
            r"судь(?:я|и|ю|ей)\b",
            r"адвокат",
            r"юрист",
            r"иск(?:а|е|у|ом|и|ов)?\b",
            r"уголовн",
            r"арест",
            r"полици",
            r"приговор(?:ят|ил|а)",
            r"lawsuit",
            r"court\b",
            r"lawyer",
            r"attorney",
            r"su(?:e|ing)\s+(?:him|her|them|my|the|me)\b",
            r"arrest",
            r"police",
            r"criminal",
            r"legal(?:ly)?\b",
            r"custody",
        ),
    ),
)

_AREAS: dict[str, re.Pattern[str]] = {
    "love": _patterns(
        r"любов",
        r"любим",
        r"люблю",
        r"любит",
        r"влюб",
        r"отношени",
        r"парн",
        r"девушк",
        r"муж(?:а|у|ем|ья)?\b",
        r"мужчин",
        r"женщин",
        r"жен(?:а|ы|у|ой)\b",
        r"брак",
        r"свадьб",
        r"свидани",
        r"роман\b",
        r"чувств",
        r"бывш",
        r"симпати",
        r"расстав",
        r"ревн",
        r"измен(?:а|ы|у|ой|ил|ила|яет)\b",
        r"love",
        r"relationship",
        r"boyfriend",
        r"girlfriend",
        r"husband",
        r"wife",
        r"marri",
        r"wedding",
        r"dating",
        r"crush",
        r"romanc",
        r"romantic",
        r"ex\b",
        r"break\s?up",
        r"soulmate",
        r"feelings",
    ),
    "work": _patterns(
        r"работ",
        r"карьер",
        r"должност",
        r"начальни",
        r"руковод",
        r"коллег",
        r"бизнес",
        r"проект",
        r"деньг",
        r"денег",
        r"зарплат",
        r"доход",
        r"финанс",
        r"собеседовани",
        r"ваканси",
        r"увол",
        r"повышени",
        r"офис",
        r"клиент",
        r"контракт",
        r"сделк",
        r"экзамен",
        r"учёб|учеб",
        r"work",
        r"job",
        r"career",
        r"boss",
        r"colleague",
        r"business",
        r"project",
        r"money",
        r"salary",
        r"income",
        r"financ",
        r"interview",
        r"promotion",
        r"fired",
        r"hire",
        r"office",
        r"client",
        r"contract",
        r"deal\b",
        r"exam",
        r"stud(?:y|ies)",
        r"startup",
    ),
}

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")


def question_clean(text: str | None) -> str:
    """The question as we store and show it: normalised, one line, no control characters, length capped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_QUESTION_LENGTH:
        text = text[: MAX_QUESTION_LENGTH - 1].rstrip() + "…"
    return text


def _searchable(text: str) -> str:
    return text.lower().replace("ё", "е")


def question_concern(text: str) -> Concern | None:
    """The sensitive topic a question touches, most serious first; None for an ordinary question."""
    if not text:
        return None
    haystack = _searchable(text)
    for concern, pattern in _CONCERNS:
        if pattern.search(haystack) or pattern.search(text.lower()):
            return concern
    return None


def question_area(text: str) -> str:
    """Which card meanings fit the question best: ``love``, ``work`` or ``general``."""
    if not text:
        return "general"
    haystack = _searchable(text)
    hits = {area: len(pattern.findall(haystack)) for area, pattern in _AREAS.items()}
    love, work = hits["love"], hits["work"]
    if love > work:
        return "love"
    if work > love:
        return "work"
    return "general"
