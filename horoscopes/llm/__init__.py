"""The LLM layer: any OpenAI-compatible endpoint, grounded prompts, cleaned output, a log of every call.

    from horoscopes.llm import LLMError, llm_complete, untrusted_block, UNTRUSTED_RULE

    try:
        result = llm_complete(kind="tarot", system=..., user=..., prompt=prompt, validate=my_parser)
    except LLMError:
        ...  # not configured, down, slow or garbage: write the text offline instead

Prompts live in the database (horoscopes.llm.prompts: `prompt_active(key, language)`), with defaults in code.
"""

from horoscopes.llm.cleaning import clean_text, json_object, language_matches, plain_length, sections_parse
from horoscopes.llm.client import (
    OFFLINE_MODEL,
    LLMBudgetSpent,
    LLMError,
    LLMNotConfigured,
    LLMResult,
    cost_estimate,
    llm_breaker_open,
    llm_complete,
    llm_configured,
    offline_log,
)
from horoscopes.llm.safety import UNTRUSTED_RULE, untrusted_block, untrusted_text

__all__ = [
    "OFFLINE_MODEL",
    "UNTRUSTED_RULE",
    "LLMBudgetSpent",
    "LLMError",
    "LLMNotConfigured",
    "LLMResult",
    "clean_text",
    "cost_estimate",
    "json_object",
    "language_matches",
    "llm_breaker_open",
    "llm_complete",
    "llm_configured",
    "offline_log",
    "plain_length",
    "sections_parse",
    "untrusted_block",
    "untrusted_text",
]
