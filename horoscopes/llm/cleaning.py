"""LLM output made fit for Telegram: Markdown converted or dropped, stray HTML escaped, tags balanced.

Models sometimes answer in Markdown, sometimes with HTML of their own, sometimes with a code fence around
JSON. What leaves here is Telegram HTML using only <b>, <i>, <u> and <s>, balanced within each paragraph.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable

from horoscopes import markup

# Tags a model may use that we keep (mapped to Telegram's), anything else is dropped.
_KEEP_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s", "del": "s", "strike": "s"}
_LINE_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"})
_OPEN, _CLOSE = "\x02", "\x03"  # markers standing for kept tags while the text is escaped
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_FENCE = re.compile(r"^\s*```.*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.+?)\s*#*\s*$", re.MULTILINE)
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.MULTILINE)
_QUOTE = re.compile(r"^\s*>\s?", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*+•·]\s+", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`+([^`]*)`+")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_MARKER_TAG = re.compile(f"{_OPEN}(/?)([a-z]+){_CLOSE}")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
_LATIN = re.compile("[a-z]", re.IGNORECASE)
# Languages written in Cyrillic; every other language is expected in Latin letters.
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "kk"})


def _mark(name: str, closing: bool = False) -> str:
    return f"{_OPEN}{'/' if closing else ''}{name}{_CLOSE}"


def _keep_or_drop_tags(text: str) -> str:
    """Tags we keep as markers, line-breaking ones as newlines, the rest dropped; text and entities as written."""
    out: list[str] = []
    for token in markup.tokenize(text):
        if not token.tag:
            out.append(token.raw)
        elif token.tag in _KEEP_TAGS:
            out.append(_mark(_KEEP_TAGS[token.tag], token.closing))
        elif token.tag in _LINE_TAGS:
            out.append("\n")
    return "".join(out)


def _balance(paragraph: str) -> str:
    """Marker tags to real tags, dropping unmatched ones and closing what is left open."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _MARKER_TAG.finditer(paragraph):
        out.append(paragraph[position : match.start()])
        position = match.end()
        closing, name = bool(match.group(1)), match.group(2)
        if not closing:
            if name in stack:
                continue  # nested repeats (<b><b>) mean nothing in Telegram
            stack.append(name)
            out.append(f"<{name}>")
        elif name in stack:
            while stack:
                top = stack.pop()
                out.append(f"</{top}>")
                if top == name:
                    break
    out.append(paragraph[position:])
    out.extend(f"</{name}>" for name in reversed(stack))
    text = "".join(out)
    # Empty pairs, and pairs around nothing but spaces, are noise.
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"<(b|i|u|s)>(\s*)</\1>", r"\2", text)
    return text


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a sentence (or word) boundary."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for end in (". ", "! ", "? ", "… "):
        index = head.rfind(end)
        if index >= limit // 2:
            return head[: index + 1]
    index = head.rfind(" ")
    return (head[:index] if index > 0 else head).rstrip(",;:—- ") + "…"


def clean_text(raw: str, *, paragraphs: bool = True, max_chars: int | None = None) -> str:
    """Model output as Telegram HTML (b, i, u, s only). Without `paragraphs` everything becomes one line."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    text = "".join(char for char in text if char == "\n" or unicodedata.category(char) != "Cc")
    text = _FENCE.sub("", text)
    text = _RULE.sub("", text)
    text = _QUOTE.sub("", text)
    text = _HEADING.sub(lambda match: _mark("b") + match.group(1) + _mark("b", True), text)
    text = _BULLET.sub("• ", text)
    text = _keep_or_drop_tags(text)
    # Models write any HTML entity (&mdash;, &nbsp;): decode them all, not only the few Telegram knows.
    text = html.escape(html.unescape(text), quote=False)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(lambda match: _mark("b") + match.group(2) + _mark("b", True), text)
    text = _STRIKE.sub(lambda match: _mark("s") + match.group(1) + _mark("s", True), text)
    text = _ITALIC_STAR.sub(lambda match: _mark("i") + match.group(1) + _mark("i", True), text)
    text = _ITALIC_UNDERSCORE.sub(lambda match: _mark("i") + match.group(1) + _mark("i", True), text)
    text = text.replace("**", "").replace("__", "").replace("~~", "")
    if not paragraphs:
        text = text.replace("\n", " ")
    text = "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if max_chars is not None:
        text = _cut(text, max_chars)
    blocks = text.split("\n\n")
    return "\n\n".join(_balance(block) for block in blocks).strip()


def plain_length(text: str) -> int:
    """Characters a reader sees in cleaned text (tags and entities not counted)."""
    return len(markup.to_plain(text))


def json_object(text: str) -> object:
    """The JSON object in a model's answer, tolerating a code fence or words around it."""
    stripped = _FENCE.sub("", text or "").strip()
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    start, end = stripped.find("{"), stripped.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("the answer holds no JSON object")
    return json.loads(stripped[start : end + 1])


def language_matches(text: str, language: str) -> bool:
    """Whether the letters of a text are mostly in the expected language's alphabet (Cyrillic or Latin)."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    letters = cyrillic + latin
    if letters < 20:
        return True
    if language in CYRILLIC_LANGUAGES:
        # Planet names or an English word here and there are fine.
        return cyrillic / letters >= 0.7
    return latin / letters >= 0.9


def sections_parse(
    answer: str, *, keys: Iterable[str], language: str, max_chars: int = 700, min_chars: int = 12
) -> dict[str, str]:
    """Cleaned sections from a JSON answer; ValueError when a section is missing, empty, tiny or off-language."""
    data = json_object(answer)
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    sections: dict[str, str] = {}
    for key in keys:
        value = data.get(key)
        if not isinstance(value, str):
            raise ValueError(f"section {key!r} is missing")
        cleaned = clean_text(value, paragraphs=False, max_chars=max_chars)
        if plain_length(cleaned) < min_chars:
            raise ValueError(f"section {key!r} is empty or too short")
        sections[key] = cleaned
    if not language_matches(" ".join(sections.values()), language):
        raise ValueError(f"the answer is not in {language!r}")
    return sections
