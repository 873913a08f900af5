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


# --- Checking markup as Telegram does -----------------------------------------------------------------------

# The tags of Telegram's HTML parse mode.
TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span", "a", "code", "pre"}
    | {"blockquote", "tg-emoji"}
)


def refused(error: str) -> bool:
    """Whether a Bot API error says Telegram could not parse the message's markup."""
    return "can't parse entities" in error.lower()


class MarkupError(ValueError):
    """HTML that Telegram refuses ("can't parse entities"): what is wrong (`code`), where, and with which tag."""

    def __init__(self, code: str, text: str, index: int, tag: str = "") -> None:
        self.code, self.index, self.tag = code, index, tag
        self.byte_offset = len(text[:index].encode("utf-8", "surrogatepass"))
        super().__init__(self.telegram_description())

    def telegram_description(self) -> str:
        """Telegram's own wording of the error (English, as the Bot API answers)."""
        at = f"at byte offset {self.byte_offset}"
        return {
            "unclosed_start_tag": f"Unclosed start tag {at}",
            "unexpected_end_tag": f"Unexpected end tag {at}",
            "unsupported_tag": f'Unsupported start tag "{self.tag}" {at}',
            "bad_attribute": f"Expected equal sign in declaration of an attribute {at}",
            "span_class": f'Tag "span" must have class "tg-spoiler" {at}',
            "no_end_tag": f'Can\'t find end tag corresponding to start tag "{self.tag}" {at}',
        }[self.code]


@dataclass(slots=True)
class Span:
    """A closed tag: where its text is in the plain text (UTF-16 units), and the tag it sits in."""

    tag: str
    attrs: dict[str, str]
    offset: int
    length: int
    parent_tag: str = ""
    parent_attrs: dict[str, str] | None = None


def _stray_bracket(text: str, at: int) -> MarkupError:
    close = text.find(">", at)
    if close == -1:
        return MarkupError("unclosed_start_tag", text, at)
    inner = text[at + 1 : close]
    if inner.startswith("/"):
        return MarkupError("unexpected_end_tag", text, at)
    name = re.match(r"[A-Za-z][-A-Za-z0-9]*", inner)
    return MarkupError("unsupported_tag", text, at, name.group(0).lower() if name else "")


def parse(text: str) -> tuple[str, list[Span]]:
    """The plain text Telegram shows and the tags it applies, in closing order; MarkupError where it refuses."""
    out: list[str] = []
    out_len = 0
    spans: list[Span] = []
    stack: list[tuple[str, int, dict[str, str], int]] = []
    for token in tokenize(text):
        if token.raw == "<":
            raise _stray_bracket(text, token.start)
        if not token.tag:
            out.append(token.visible)
            out_len += utf16_len(token.visible)
            continue
        if token.closing:
            if not stack:
                raise MarkupError("unexpected_end_tag", text, token.start)
            name, start, attrs, open_at = stack.pop()
            if token.tag != name or token.attrs.strip():
                raise MarkupError("no_end_tag", text, open_at, name)
            parent = stack[-1] if stack else None
            spans.append(
                Span(name, attrs, start, out_len - start, parent[0] if parent else "", parent[2] if parent else None)
            )
            continue
        if token.tag not in TAGS:
            raise MarkupError("unsupported_tag", text, token.start, token.tag)
        found = attributes(token.attrs)
        if found is None:
            raise MarkupError("bad_attribute", text, token.start)
        if token.tag == "span" and found.get("class") != "tg-spoiler":
            raise MarkupError("span_class", text, token.start)
        stack.append((token.tag, out_len, found, token.start))
    if stack:
        name, _, _, open_at = stack[-1]
        raise MarkupError("no_end_tag", text, open_at, name)
    return "".join(out), spans
