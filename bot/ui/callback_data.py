"""Callback data of inline buttons: a short prefix, a colon, and plain values (64 bytes at most).

The first value is usually the action ("tr:h:2" is the tarot history, page 2); each action has its own
handler, registered with `pattern(prefix, action)`.
"""

import re

LANGUAGE = "lang"
# The Premium screen (its plans and payments); other features offer it with `build(PREMIUM)`.
PREMIUM = "pay"


def build(prefix: str, *values: object) -> str:
    """Join a prefix and values into callback data, checking Telegram's 64-byte limit."""
    data = ":".join([prefix, *(str(value) for value in values)])
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None) -> tuple[str, list[str]]:
    """Split callback data into its prefix and values; an empty prefix for anything unexpected."""
    if not data:
        return "", []
    prefix, *values = data.split(":")
    return prefix, values


def arguments(data: str | None) -> list[str]:
    """The values after the action: ["2"] for "tr:h:2"."""
    return parse(data)[1][1:]


def pattern(prefix: str, action: str | None = None) -> str:
    """A regular expression matching callback data with this prefix (and this action, when given)."""
    head = prefix if action is None else f"{prefix}:{action}"
    return rf"^{re.escape(head)}(:|$)"
