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

_PROFESSIONS = (
    r"(?:врач|доктор|медик|медицин|медсестр|медбрат|фармацевт|стоматолог|хирург|педиатр|ветеринар|юрист|юрид|"
    r"адвокат|судь|полицейск|следовател|нотариус|doctor|nurse|surgeon|medic|dentist|pharmacist|physician|vet\b|"
    r"lawyer|attorney|judge|police|paralegal|law\b)\w*"
)
# Choosing medicine or law as a study or a job is not a health or legal question: "поступать в медицинский",
# "учиться на юриста", "become a doctor".
_PROFESSION_AS_CAREER = re.compile(
    r"(?:стать|становиться|стану|работать|учиться\s+на|выучиться\s+на|поступ\w*\s+(?:в|на)|пойти\s+(?:в|на)|"
    r"професси\w*|карьер\w*|become|becoming|be|work(?:ing)?\s+as|stud(?:y|ying)(?:\s+to\s+be)?|"
    r"train(?:ing)?\s+(?:as|to\s+be)|career\s+(?:as|in)|go\s+to|apply\s+to|get\s+into)\s+"
    rf"(?:an?\s+|the\s+)?(?:\w+\s+)?{_PROFESSIONS}"
    r"|(?:медицинск|юридическ)\w*\s+(?:вуз|университет|институт|колледж|училищ|академи|факультет|образовани)\w*"
    r"|(?:medical|med|law|nursing)\s+(?:school|college|degree|career|university|student|studies)|pre-?med",
    re.IGNORECASE,
)


class Topic(enum.StrEnum):
    """What a question is about; it picks the card meanings (through its area) and the reading's opening note."""

    LOVE = "love"
    FAMILY = "family"
    STUDY = "study"
    CAREER = "career"
    MONEY = "money"
    GENERAL = "general"


# Card meanings exist for three areas; each topic reads the meanings of one of them.
TOPIC_AREA: dict[Topic, str] = {
    Topic.LOVE: "love",
    Topic.FAMILY: "general",
    Topic.STUDY: "work",
    Topic.CAREER: "work",
    Topic.MONEY: "work",
    Topic.GENERAL: "general",
}

# Each topic's words; the topic with most hits wins, ties go to the one listed first.
_TOPICS: dict[Topic, re.Pattern[str]] = {
    Topic.LOVE: _patterns(
        r"любов",
        r"любим",
        r"люблю",
        r"любит",
        r"влюб",
        r"парн",
        r"девушк",
        r"муж(?:а|у|ем|ья|чин\w*)?\b",
        r"замуж",
        r"жених",
        r"невест",
        r"жен(?:а|ы|у|ой|юсь|ится|иться|ился|ат)\b",
        r"женщин",
        r"брак",
        r"свадьб",
        r"свидани",
        r"роман\b",
        r"бывш",
        r"симпати",
        r"расстав",
        r"ревн",
        r"измен(?:а|ы|у|ой|ил|ила|яет)\b",
        r"вторая\s+половин",
        r"втор(?:ую|ой)\s+половин",
        r"нравлюсь",
        r"помир(?:имся|иться)",
        r"вернется\s+ли\s+(?:он|она)",
        r"позвонит\s+ли",
        r"напишет\s+ли",
        r"love",
        r"boyfriend",
        r"girlfriend",
        r"partner",
        r"husband",
        r"wife",
        r"marri",
        r"marry",
        r"wedding",
        r"engaged",
        r"propose",
        r"dating",
        r"date\s+with",
        r"crush",
        r"romanc",
        r"romantic",
        r"ex\b",
        r"break\s?up",
        r"soulmate",
        r"(?:he|she)\s+(?:like|love|miss|text|call)s?\s+me",
        r"get\s+back\s+together",
    ),
    Topic.FAMILY: _patterns(
        r"семь(?:я|и|е|ю|ей)\b",
        r"семейн",
        r"родител",
        r"мам(?:а|ы|е|у|ой)\b",
        r"пап(?:а|ы|е|у|ой)\b",
        r"сестр",
        r"брат(?:а|у|ом|ья|ьями)?\b",
        r"дет(?:и|ей|ям|ьми)\b",
        r"ребен",
        r"сын(?:а|у|ом)?\b",
        r"доч(?:ь|ери|ерью)\b",
        r"свекров",
        r"теща",
        r"переезд",
        r"квартир",
        r"family",
        r"parent",
        r"mother",
        r"father",
        r"\bmom\b",
        r"\bdad\b",
        r"sister",
        r"brother",
        r"children",
        r"\bkids?\b",
        r"\bson\b",
        r"daughter",
        r"in-laws",
        r"moving\s+house",
        r"new\s+home",
    ),
    Topic.STUDY: _patterns(
        r"учеб|учёб",
        r"учит(?:ься|ь)",
        r"поступ(?:ать|ить|лю|лю\s|ление|лении)",
        r"экзамен",
        r"егэ",
        r"огэ",
        r"сесси",
        r"диплом",
        r"универ",
        r"вуз",
        r"институт",
        r"колледж",
        r"факультет",
        r"аспирантур",
        r"магистратур",
        r"студен",
        r"школ",
        r"курсы\b",
        r"медицинск\w*\s+(?:вуз|университет|институт|колледж|училищ|академи|факультет)",
        r"exam",
        r"stud(?:y|ies|ying)",
        r"universit",
        r"college",
        r"school",
        r"degree",
        r"admission",
        r"apply\s+to",
        r"get\s+into",
        r"course\b",
        r"thesis",
        r"grades?\b",
    ),
    Topic.CAREER: _patterns(
        r"работ",
        r"карьер",
        r"професси",
        r"должност",
        r"начальни",
        r"руковод",
        r"коллег",
        r"бизнес",
        r"проект",
        r"собеседовани",
        r"ваканси",
        r"увол",
        r"повышени",
        r"офис",
        r"клиент",
        r"контракт",
        r"сделк",
        r"стать\s+(?:врачом|юристом|актрисой|актером|учителем|программистом|дизайнером|\w+ом)\b",
        r"work",
        r"job",
        r"career",
        r"profession",
        r"boss",
        r"colleague",
        r"business",
        r"project",
        r"interview",
        r"promotion",
        r"fired",
        r"hire",
        r"office",
        r"client",
        r"contract",
        r"deal\b",
        r"startup",
        r"become\s+an?\s+\w+",
    ),
    Topic.MONEY: _patterns(
        r"деньг",
        r"денег",
        r"денеж",
        r"зарплат",
        r"доход",
        r"финанс",
        r"долг",
        r"кредит",
        r"ипотек",
        r"богат",
        r"прибыл",
        r"инвест",
        r"покупк",
        r"money",
        r"salary",
        r"income",
        r"financ",
        r"debt",
        r"loan",
        r"mortgage",
        r"rich",
        r"invest",
        r"afford",
        r"savings",
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


# Words of love only when nothing else is named: "отношения с начальником" are about work.
_LOVE_WEAK = _patterns(r"отношени", r"чувств", r"relationship", r"feelings?\b")


def _searchable(text: str) -> str:
    return text.lower().replace("ё", "е")


def question_concern(text: str) -> Concern | None:
    """The sensitive topic a question touches, most serious first; None for an ordinary question."""
    if not text:
        return None
    haystack = _searchable(text)
    for concern, pattern in _CONCERNS:
        subjects = [haystack, text.lower()]
        if concern in (Concern.MEDICAL, Concern.LEGAL):
            subjects = [_PROFESSION_AS_CAREER.sub(" ", subject) for subject in subjects]
        if any(pattern.search(subject) for subject in subjects):
            return concern
    return None


def question_topic(text: str) -> Topic:
    """What the question is about; GENERAL when it names nothing in particular."""
    if not text:
        return Topic.GENERAL
    haystack = _searchable(text)
    hits = {topic: len(pattern.findall(haystack)) for topic, pattern in _TOPICS.items()}
    best = max(hits.values())
    if best == 0:
        return Topic.LOVE if _LOVE_WEAK.search(haystack) else Topic.GENERAL
    return next(topic for topic, count in hits.items() if count == best)


def question_area(text: str) -> str:
    """Which card meanings fit the question best: ``love``, ``work`` or ``general``."""
    return TOPIC_AREA[question_topic(text)]
