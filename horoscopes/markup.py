"""Telegram's HTML subset, read one way everywhere: tags, entities and the text Telegram shows.

The LLM cleaner keeps or drops tags with it, the sender measures and splits messages with it, the fake Bot
API turns markup into text and entities with it. Pure Python: the domain and the bot both import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Telegram knows only these named entities; every numeric one is fine, anything else is shown as written.
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TOKEN = re.compile(
    r"(?P<tag><(?P<closing>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)\b(?P<attrs>[^>]*)>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]+);)"
    r"|[^<&]+|[<&]"
)
_ATTRIBUTE = re.compile(r"""\s*([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass(frozen=True, slots=True)
class Token:
    """A tag, an entity or a run of text, with what Telegram shows for it ("" for a tag)."""

    raw: str
    start: int  # index of `raw` in the source text
    visible: str
    tag: str = ""  # lower-cased name, for tags only
    closing: bool = False
    attrs: str = ""  # raw attribute text of a tag


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of Telegram HTML, in order; a `<` or `&` that starts no tag or entity is text."""
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if match.group("tag"):
            name, closing = match.group("name").lower(), bool(match.group("closing"))
            yield Token(raw, match.start(), "", name, closing, match.group("attrs"))
        elif match.group("entity"):
            yield Token(raw, match.start(), unescape(raw))
        else:
            yield Token(raw, match.start(), raw)


def unescape(entity: str) -> str:
    """The character of one `&...;` entity as Telegram reads it (unknown ones stay as written)."""
    name = entity[1:-1]
    if not name.startswith("#"):
        return NAMED_ENTITIES.get(name, entity)
    code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
    # Surrogates and numbers past Unicode are no character: they stay as written.
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else entity


def attributes(raw: str) -> dict[str, str] | None:
    """Attributes of a start tag (names lower-cased, values unescaped); None when Telegram could not read them."""
    found: dict[str, str] = {}
    raw = raw.rstrip("/ ")
    position = 0
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if not match or match.end() == position:
            return None
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found[match.group(1).lower()] = to_plain(value)
        position = match.end()
    return found


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def to_plain(text: str) -> str:
    """The text Telegram shows for this HTML, without the markup."""
    return "".join(token.visible for token in tokenize(text))


def visible_length(text: str) -> int:
    """Length of the text as Telegram counts it: after markup, in UTF-16 code units."""
    return utf16_len(to_plain(text))
