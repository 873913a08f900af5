"""The offline writer: horoscopes written locally from the computed sky with curated phrase banks (ru, en).

It is the embedded default (no LLM configured) and the fallback whenever the LLM fails, so its texts have
the same sections as the LLM's and must read well. The same computed facts also ground the LLM prompts.
"""

from horoscopes.writer.daily import SECTIONS, write_daily
from horoscopes.writer.facts import daily_facts, personal_facts
from horoscopes.writer.personal import write_personal

__all__ = ["SECTIONS", "daily_facts", "personal_facts", "write_daily", "write_personal"]
