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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .deck import AREAS, LANGS, SPREADS, Card
from .questions import TOPIC_AREA, Topic, question_topic
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
_TOPIC_NOTE = {
    Topic.LOVE: _AREA_NOTE["love"],
    Topic.STUDY: _("I read the cards in the light of study and the career it leads to."),
    Topic.CAREER: _("I read the cards in the light of work and career."),
    Topic.MONEY: _("I read the cards in the light of money and finances."),
    Topic.FAMILY: _("I read the cards in the light of family and home."),
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
# Advice is written here, never taken from the card's keywords: those describe a situation ("rivalry,
# disputes"), and a list of them read as a recommendation. Each suit (or the major arcana), orientation and
# area has one constructive piece of advice.
_ADVICE = _("Advice ({card}): {advice}")
_ADVICE_BANK: dict[tuple[str, bool], dict[str, Promise]] = {
    ("major", False): {
        "general": _("Treat this as a turning point: name the one step that depends on you and take it calmly."),
        "love": _("Let the relationship grow honestly: say what matters to you and listen to the answer."),
        "work": _(
            "Look at the bigger picture: choose the goal that will still matter in a year and take a step towards it."
        ),
    },
    ("wands", False): {
        "general": _("Put your energy into one clear goal and take the first practical step today."),
        "love": _("Show your interest openly and warmly: a sincere gesture says more than waiting."),
        "work": _("Take the initiative on the task you care about most and find allies who share the idea."),
    },
    ("cups", False): {
        "general": _("Trust your feelings and share them with someone close to you."),
        "love": _("Be gentle and open: a kind word and attention to the other person's feelings bring you closer."),
        "work": _("Work with people you trust and choose tasks that bring you joy as well as results."),
    },
    ("swords", False): {
        "general": _("Think things through, speak honestly and calmly, and decide one question at a time."),
        "love": _("Talk openly and kindly: a calm, honest conversation clears the air."),
        "work": _("Rely on facts and clear plans; put your arguments calmly and in writing."),
    },
    ("pentacles", False): {
        "general": _("Take small, steady steps: patience and care for the practical side pay off."),
        "love": _("Show care through deeds: reliability and everyday attention strengthen the bond."),
        "work": _("Plan your budget and time carefully and keep building step by step."),
    },
    ("major", True): {
        "general": _("Slow down and take stock: rest, then begin again from what you can change."),
        "love": _("Give yourselves time: talk about what has changed and look for what you both want now."),
        "work": _("Review your plans without haste: what needs to change is a chance to set a better course."),
    },
    ("wands", True): {
        "general": _("Restore your strength before pushing on: rest, then pick one goal and return to it."),
        "love": _("Let emotions settle before acting: patience and a warm word help more than haste."),
        "work": _("Spread your energy wisely: finish what you have begun and agree calmly on roles with others."),
    },
    ("cups", True): {
        "general": _("Take care of your own feelings: rest, do something kind for yourself and talk to a friend."),
        "love": _("Be honest with yourself about what you feel, and share it gently."),
        "work": _("Find again what you enjoy in your work, and ask for support when you need it."),
    },
    ("swords", True): {
        "general": _("Give yourself time to think and choose kind words: clarity comes step by step."),
        "love": _("Choose a quiet moment for an honest, gentle talk, and listen without hurrying."),
        "work": _("Check the facts once more and look for a solution that suits everyone."),
    },
    ("pentacles", True): {
        "general": _("Put your practical affairs in order: a simple plan and small steps bring back stability."),
        "love": _("Balance giving and receiving, and show care in small everyday things."),
        "work": _("Review your spending and priorities calmly: steady work brings results back."),
    },
}
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


def advice_line(*, drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str, area: str = "general") -> str:
    """One constructive piece of advice from the spread's last card (its suit and orientation), as plain text."""
    last = drawn[-1]
    card = deck[last.key]
    advice = _ADVICE_BANK[(card.suit or "major", last.reversed)][area if area in AREAS else "general"]
    with translation.override(lang):
        return _ADVICE.format(card=card.name[lang], advice=advice)


def _area_note(area: str, question: str) -> str:
    """The opening's note on what the cards are read for: the question's topic when it agrees with the area."""
    topic = question_topic(question)
    if TOPIC_AREA[topic] == area and topic in _TOPIC_NOTE:
        return f" {_TOPIC_NOTE[topic]}"
    return f" {_AREA_NOTE[area]}" if area in _AREA_NOTE else ""


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
    intro.append(_e(opener + _area_note(area, question)))
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
    summary.append(advice_line(drawn=ordered, deck=deck, lang=lang, area=area))
    observations = " ".join(_e(line) for line in summary[:-1])
    parts.append(f"<b>{_e(str(_SUMMARY))}</b>\n{observations}\n{_e(summary[-1])}")
    parts.append(f"<i>{_e(str(_CLOSING))}</i>")
    return "\n\n".join(parts)
