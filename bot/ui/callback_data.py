"""Callback data of inline buttons: a short prefix, a colon, and plain values (64 bytes at most)."""

LANGUAGE = "lang"


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


def pattern(prefix: str) -> str:
    """A regular expression matching callback data with this prefix."""
    return rf"^{prefix}(:|$)"
