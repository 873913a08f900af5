"""The natal interpretation by the LLM: the prompt (key "natal") and the chart's facts it narrates."""

import logging
from string import Template

from horoscopes.astro.constants import format_longitude, sign_of
from horoscopes.astro.names import ASPECT_NAMES, POINT_NAMES, SIGN_NAMES, name
from horoscopes.llm.cleaning import clean_text, language_matches, plain_length
from horoscopes.llm.client import LLMError, llm_complete, llm_configured
from horoscopes.llm.prompts import prompt_active
from horoscopes.natal.prompts import NATAL_PROMPTS, PROMPT_KEY
from horoscopes.writer.natal import INTERPRETATION_HEADING, chart_notes, tightest_aspects

logger = logging.getLogger(__name__)

MIN_CHARS = 400


def chart_facts(data: dict, lang: str) -> str:
    """The chart as plain lines: points by sign, degree and house, the angles, the tightest aspects."""
    lines = []
    for point, position in data["points"].items():
        house = f", {'дом' if lang == 'ru' else 'house'} {position['house']}" if position.get("house") else ""
        retro = " (R)" if position.get("retrograde") and point != "mean_node" else ""
        lines.append(
            f"{name(POINT_NAMES, point, lang)}: {format_longitude(position['longitude'])} "
            f"{name(SIGN_NAMES, position['sign'], lang)}{house}{retro}"
        )
    for angle in ("asc", "mc"):
        if data.get(angle) is not None:
            lines.append(
                f"{name(POINT_NAMES, angle, lang)}: {format_longitude(data[angle])} "
                f"{name(SIGN_NAMES, sign_of(data[angle]), lang)}"
            )
    for aspect in tightest_aspects(data, limit=6):
        lines.append(
            f"{name(POINT_NAMES, aspect['a'], lang)} – {name(POINT_NAMES, aspect['b'], lang)}: "
            f"{name(ASPECT_NAMES, aspect['kind'], lang)}, orb {format_longitude(aspect['orb'])}"
        )
    if not data.get("houses"):
        lines.append(
            "Время рождения неизвестно: домов и Асцендента нет."
            if lang == "ru"
            else "Birth time unknown: no houses and no Ascendant."
        )
    return "\n".join(lines)


def _prompt(language: str) -> tuple[str, str, object]:
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


def interpretation_llm(*, chart_id: int, data: dict, language: str) -> str | None:
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
        )
    except LLMError as exc:
        logger.info("No LLM interpretation for natal chart %s: %s", chart_id, exc)
        return None
    return "\n\n".join([str(INTERPRETATION_HEADING), result.value, *chart_notes(data, language)])
