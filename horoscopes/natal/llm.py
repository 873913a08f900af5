"""The natal interpretation by the LLM: the prompt (key "natal") and the chart's facts it narrates."""

import logging
from string import Template

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from horoscopes.astro.constants import format_longitude, sign_of
from horoscopes.llm.cleaning import clean_text, language_matches, plain_length
from horoscopes.llm.client import LLMError, llm_complete, llm_configured
from horoscopes.llm.models import Prompt
from horoscopes.llm.prompts import prompt_active
from horoscopes.names import ASPECT_NAMES, HOUSE_WORD, POINT_NAMES, SIGN_NAMES
from horoscopes.natal.prompts import NATAL_PROMPTS, PROMPT_KEY
from horoscopes.writer.natal import INTERPRETATION_HEADING, chart_notes, tightest_aspects
from horoscopes.writer.uncertain import fact_lines, uncertain_of

logger = logging.getLogger(__name__)

MIN_CHARS = 400
NO_TIME_FACT = _("Birth time unknown: no houses and no Ascendant.")


def chart_facts(data: dict, lang: str) -> str:
    """The chart as plain lines: points by sign, degree and house, the angles, the tightest aspects."""
    with translation.override(lang):
        return _facts(data)


def _facts(data: dict) -> str:
    """The lines of chart_facts in the active language."""
    lines = []
    uncertain = uncertain_of(data)
    for point, position in data["points"].items():
        if point in uncertain:
            continue
        house = f", {HOUSE_WORD} {position['house']}" if position.get("house") else ""
        retro = " (R)" if position.get("retrograde") and point != "mean_node" else ""
        where = f"{format_longitude(position['longitude'])} {SIGN_NAMES[position['sign']]}"
        lines.append(f"{POINT_NAMES[point]}: {where}{house}{retro}")
    node = data.get("true_node")
    if node:
        house = f", {HOUSE_WORD} {node['house']}" if node.get("house") else ""
        where = f"{format_longitude(node['longitude'])} {SIGN_NAMES[node['sign']]}"
        lines.append(f"{POINT_NAMES['true_node']}: {where}{house}")
    for angle in ("asc", "mc"):
        if data.get(angle) is not None:
            lines.append(f"{POINT_NAMES[angle]}: {format_longitude(data[angle])} {SIGN_NAMES[sign_of(data[angle])]}")
    for aspect in tightest_aspects(data, limit=6):
        lines.append(
            f"{POINT_NAMES[aspect['a']]} – {POINT_NAMES[aspect['b']]}: "
            f"{ASPECT_NAMES[aspect['kind']]}, orb {format_longitude(aspect['orb'])}"
        )
    if not data.get("houses"):
        lines.append(str(NO_TIME_FACT))
    lines.extend(fact_lines(uncertain, translation.get_language() or "en"))
    return "\n".join(lines)


def _prompt(language: str) -> tuple[str, str, Prompt | None]:
    stored = prompt_active(PROMPT_KEY, language)
    if stored is not None and stored.system and stored.template:
        return stored.system, stored.template, stored
    system, template = NATAL_PROMPTS[(PROMPT_KEY, language)]
    return system, template, None


def _validator(lang: str):
    def validate(answer: str) -> str:
        text = clean_text(answer, max_chars=3500)
        if plain_length(text) < MIN_CHARS:
            raise ValueError("the interpretation is too short")
        if not language_matches(text, lang):
            raise ValueError(f"the interpretation is not in {lang!r}")
        return text

    return validate


def interpretation_llm(*, chart_id: int, data: dict, language: str, user_id: int | None = None) -> str | None:
    """The chart interpreted by the LLM as Telegram HTML, or None when no LLM is configured or it failed."""
    if not llm_configured():
        return None
    system, template, stored = _prompt(language)
    try:
        result = llm_complete(
            kind="natal",
            system=system,
            user=Template(template).safe_substitute(facts=chart_facts(data, language)),
            subject=f"natal chart {chart_id} ({language})",
            prompt=stored,
            validate=_validator(language),
            max_tokens=1400,
            user_id=user_id,
        )
    except LLMError as exc:
        logger.info("No LLM interpretation for natal chart %s: %s", chart_id, exc)
        return None
    return "\n\n".join([str(INTERPRETATION_HEADING), result.value, *chart_notes(data, language)])
