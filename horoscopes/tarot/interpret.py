"""The offline tarot reader: an interpretation built from the cards' meanings per position and question area.

Used when no LLM is configured or the LLM fails. Output is Telegram HTML; every piece of text that comes
from data (card texts are editable by staff, the question is typed by the user) is escaped.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from collections.abc import Mapping, Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .deck import LANGS, SPREADS, Card
from .shuffle import DrawnCard

REVERSED_LABEL = pgettext_lazy("tarot card", "reversed")

_OPENERS_QUESTION = (
    _("Here is what the cards say about your question, position by position."),
    _("The cards have been laid out for your question. Let us read them one by one."),
    _("Your question has been heard. Here is how the cards answer it."),
)
_OPENERS_OPEN = (
    _("A reading without a question shows the general current of your life right now."),
    _("No question was asked, so the cards speak about what matters most to you at the moment."),
)
_AREA_NOTE = {
    "love": _("I read the cards in the light of love and relationships."),
    "work": _("I read the cards in the light of work and money."),
}
_QUESTION = _("Your question: “{question}”")
_SUMMARY = _("✨ Summary")

_MAJORS_NONE = _(
    "There are no major arcana here: the matter is about everyday things, and much of it is in your hands."
)
_MAJORS_MANY = _("Major arcana dominate ({names}): this is a significant turn, bigger than a single day's choices.")
_MAJORS_SOME = _("The major arcana ({names}) mark the turning points of this story.")
_MAJORS_ONE = _("The major arcanum ({names}) marks the turning point of this story.")
_SUIT_LEADS = {
    "wands": _("Wands lead: the reading is about energy, drive and taking the initiative."),
    "cups": _("Cups lead: feelings, closeness and relationships are at the heart of it."),
    "swords": _("Swords lead: thoughts, tension and decisions come first, so honesty and clarity matter most."),
    "pentacles": _("Pentacles lead: money, work and practical steps come first."),
}
_REVERSED_NONE = _("Every card is upright: the energy flows freely and nothing essential is blocked.")
_REVERSED_MANY = _(
    "Most cards are reversed: something is held back or turned inward. Slow down and look for where "
    "the energy is stuck."
)
_REVERSED_SOME = _("The reversed cards ({names}) show where the energy is stuck and needs attention.")
_REVERSED_ONE = _("The reversed card ({names}) shows where the energy is stuck and needs attention.")
_ADVICE_UPRIGHT = _("What to lean on: {words}.")
_ADVICE_REVERSED = _("What to pay attention to: {words}.")
_CLOSING = _("The cards show tendencies, not a verdict: the choice is always yours.")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def card_title(card: Card, *, reversed: bool, lang: str) -> str:
    """The card's name with its orientation, as plain text."""
    name = card.name[lang]
    if not reversed:
        return name
    with translation.override(lang):
        return f"{name} ({REVERSED_LABEL})"


def _names(cards: Sequence[Card], lang: str) -> str:
    return ", ".join(card.name[lang] for card in cards)


def summary_lines(*, spread_key: str, drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str) -> list[str]:
    """Plain-text observations about the whole spread: major arcana, the leading suit, reversed cards."""
    with translation.override(lang):
        return _summary(drawn, deck, lang)


def _summary(drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str) -> list[str]:
    """The lines of summary_lines in the active language (card names in `lang`)."""
    cards = [deck[item.key] for item in drawn]
    total = len(cards)
    lines: list[str] = []

    majors = [card for card in cards if card.is_major]
    if not majors:
        lines.append(str(_MAJORS_NONE))
    elif total > 1 and len(majors) * 2 >= total:
        lines.append(_MAJORS_MANY.format(names=_names(majors, lang)))
    else:
        bank = _MAJORS_ONE if len(majors) == 1 else _MAJORS_SOME
        lines.append(bank.format(names=_names(majors, lang)))

    suits = Counter(card.suit for card in cards if card.suit)
    if suits:
        (leader, count), *rest = suits.most_common()
        needed = 2 if total <= 5 else 3
        if count >= needed and (not rest or rest[0][1] < count):
            lines.append(str(_SUIT_LEADS[leader]))

    reversed_cards = [deck[item.key] for item in drawn if item.reversed]
    if not reversed_cards:
        lines.append(str(_REVERSED_NONE))
    elif total > 1 and len(reversed_cards) * 2 > total:
        lines.append(str(_REVERSED_MANY))
    else:
        bank = _REVERSED_ONE if len(reversed_cards) == 1 else _REVERSED_SOME
        lines.append(bank.format(names=_names(reversed_cards, lang)))
    return lines


def advice_line(*, drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str) -> str:
    """What to lean on (or watch for), from the keywords of the spread's last card, as plain text."""
    last = drawn[-1]
    words = deck[last.key].keyword_list(reversed=last.reversed, lang=lang)[:3]
    bank = _ADVICE_REVERSED if last.reversed else _ADVICE_UPRIGHT
    with translation.override(lang):
        return bank.format(words=", ".join(words))


def interpret_offline(
    *,
    spread_key: str,
    drawn: Sequence[DrawnCard],
    deck: Mapping[str, Card],
    area: str = "general",
    lang: str = "ru",
    question: str = "",
    seed: int = 0,
) -> str:
    """A complete reading in Telegram HTML: opening, each position with its card and meaning, a summary."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language: {lang!r}")
    with translation.override(lang):
        return _reading(spread_key, drawn, deck, area, lang, question, seed)


def _reading(
    spread_key: str,
    drawn: Sequence[DrawnCard],
    deck: Mapping[str, Card],
    area: str,
    lang: str,
    question: str,
    seed: int,
) -> str:
    """The reading of interpret_offline in the active language (card and spread texts in `lang`)."""
    spread = SPREADS[spread_key]
    ordered = sorted(drawn, key=lambda item: item.position)
    if [item.position for item in ordered] != list(range(spread.size)):
        raise ValueError(f"{spread_key} takes {spread.size} cards, one per position")
    rng = random.Random(seed)  # noqa: S311 - picks a phrasing, not a secret
    area = area if area in ("general", "love", "work") else "general"

    parts = [f"<b>🔮 {_e(spread.name[lang])}</b>"]
    intro = []
    if question:
        intro.append(f"<i>{_e(_QUESTION.format(question=question))}</i>")
    opener = str(rng.choice(_OPENERS_QUESTION if question else _OPENERS_OPEN))
    intro.append(_e(opener + (f" {_AREA_NOTE[area]}" if area in _AREA_NOTE else "")))
    parts.append("\n".join(intro))

    for item in ordered:
        card = deck[item.key]
        position = spread.positions[item.position]
        header = f"<b>{item.position + 1}. {_e(position.name[lang])} · {_e(card.name[lang])}</b>"
        if item.reversed:
            header += f" ({_e(str(REVERSED_LABEL))})"
        body = card.meaning(reversed=item.reversed, area=area, lang=lang)
        parts.append(f"{header}\n<i>{_e(position.description[lang])}</i>\n{_e(body)}")

    summary = _summary(ordered, deck, lang)
    summary.append(advice_line(drawn=ordered, deck=deck, lang=lang))
    observations = " ".join(_e(line) for line in summary[:-1])
    parts.append(f"<b>{_e(str(_SUMMARY))}</b>\n{observations}\n{_e(summary[-1])}")
    parts.append(f"<i>{_e(str(_CLOSING))}</i>")
    return "\n\n".join(parts)
