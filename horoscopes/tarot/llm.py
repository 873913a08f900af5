"""Tarot interpretations by the LLM layer: grounded in the drawn cards, the question passed as data only.

The prompt (key "tarot") is editable and versioned in the staff panel when horoscopes.llm.prompts knows it; the
defaults below are used otherwise. The model gets the spread, each position with its card and the meaning
staff wrote for the question's area, and the question inside a <user_data> element it is told never to obey.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from string import Template
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from horoscopes.llm import (
    UNTRUSTED_RULE,
    LLMError,
    clean_text,
    language_matches,
    llm_complete,
    llm_configured,
    plain_length,
    untrusted_block,
)
from horoscopes.llm.prompts import prompt_active
from horoscopes.tarot import SPREADS, Card
from horoscopes.tarot.deck import LANGS
from horoscopes.tarot.models import TarotReading
from horoscopes.tarot.prompts import PROMPT_KEY, TAROT_PROMPTS
from horoscopes.tarot.selectors import drawn_cards

logger = logging.getLogger(__name__)

# Visible characters the answer may have, per spread, and the least that still counts as a reading.
MAX_CHARS = {"three": 2200, "celtic_cross": 3800}
MIN_CHARS = 250
MAX_TOKENS = {"three": 900, "celtic_cross": 1600}

# Words of the message the model gets, in the reading's language.
_AREAS = {
    "general": pgettext_lazy("tarot area in a prompt", "general"),
    "love": pgettext_lazy("tarot area in a prompt", "love and relationships"),
    "work": pgettext_lazy("tarot area in a prompt", "work and money"),
}
_NO_QUESTION = pgettext_lazy("tarot prompt", "none, a general reading")
_REVERSED = pgettext_lazy("tarot orientation", "reversed")
_UPRIGHT = pgettext_lazy("tarot orientation", "upright")
_KEYWORDS = pgettext_lazy("tarot prompt", "keywords")
_MEANING = pgettext_lazy("tarot prompt", "meaning")
_QUESTION = _("Your question: “{question}”")


@dataclass(frozen=True)
class TarotPrompt:
    """The instructions and message template in use, and the stored prompt version they came from."""

    system: str
    template: str
    stored: Any = None  # horoscopes.models.Prompt when the text comes from the database


def tarot_prompt(language: str) -> TarotPrompt:
    """The active tarot prompt for a language: staff's latest version when there is one, else the default."""
    stored = prompt_active(PROMPT_KEY, language)
    if stored is not None and stored.system and stored.template:
        return TarotPrompt(system=stored.system, template=stored.template, stored=stored)
    system, template = TAROT_PROMPTS[(PROMPT_KEY, language)]
    return TarotPrompt(system=system, template=template)


def cards_facts(reading: TarotReading, deck: dict[str, Card], lang: str) -> str:
    """Each position of the reading with its card, orientation, keywords and the meaning for the area."""
    with translation.override(lang):
        return _facts(reading, deck, lang)


def _facts(reading: TarotReading, deck: dict[str, Card], lang: str) -> str:
    """The lines of cards_facts with the prompt's words in the active language (card texts in `lang`)."""
    spread = SPREADS[reading.kind]
    lines = []
    for drawn in drawn_cards(reading):
        card = deck[drawn.key]
        position = spread.positions[drawn.position]
        orientation = _REVERSED if drawn.reversed else _UPRIGHT
        keywords = ", ".join(card.keyword_list(reversed=drawn.reversed, lang=lang))
        meaning = card.meaning(reversed=drawn.reversed, area=reading.area, lang=lang)
        lines.append(
            f"{drawn.position + 1}. {position.name[lang]} ({position.description[lang]}): {card.name[lang]}, "
            f"{orientation}. {_KEYWORDS}: {keywords}. {_MEANING}: {meaning}"
        )
    return "\n".join(lines)


def _validator(lang: str, kind: str):
    def validate(answer: str) -> str:
        text = clean_text(answer, max_chars=MAX_CHARS[kind])
        if plain_length(text) < MIN_CHARS:
            raise ValueError("the reading is too short")
        if not language_matches(html.unescape(text), lang):
            raise ValueError(f"the reading is not in {lang!r}")
        return text

    return validate


def interpretation(*, reading: TarotReading, deck: dict[str, Card]) -> tuple[str, str] | None:
    """The reading written by the LLM as Telegram HTML and the model's name; None when the LLM gave nothing."""
    if not llm_configured():
        return None
    lang = reading.language if reading.language in LANGS else settings.LANGUAGE_CODE
    prompt = tarot_prompt(lang)
    spread = SPREADS[reading.kind]
    question = untrusted_block(reading.question, name="question", limit=300) if reading.question else ""
    with translation.override(lang):
        user = Template(prompt.template).safe_substitute(
            spread=spread.name[lang],
            area=str(_AREAS.get(reading.area, _AREAS["general"])),
            question=question or str(_NO_QUESTION),
            cards=cards_facts(reading, deck, lang),
        )
        label = _QUESTION.format(question=reading.question)
    try:
        result = llm_complete(
            kind="tarot",
            system=f"{prompt.system}\n\n{UNTRUSTED_RULE[lang]}",
            user=user,
            subject=f"reading {reading.pk} ({reading.kind}, {lang})",
            prompt=prompt.stored,
            validate=_validator(lang, reading.kind),
            max_tokens=MAX_TOKENS[reading.kind],
            user_id=reading.user_id,
        )
    except LLMError as exc:
        logger.info("No LLM interpretation for tarot reading %s: %s", reading.pk, exc)
        return None
    head = [f"<b>🔮 {html.escape(spread.name[lang], quote=False)}</b>"]
    if reading.question:
        head.append(f"<i>{html.escape(label, quote=False)}</i>")
    return "\n\n".join(["\n\n".join(head), result.value]), result.log.model
