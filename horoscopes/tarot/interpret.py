"""The offline tarot reader: an interpretation built from the cards' meanings per position and question area.

Used when no LLM is configured or the LLM fails. Output is Telegram HTML; every piece of text that comes
from data (card texts are editable by staff, the question is typed by the user) is escaped.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from collections.abc import Mapping, Sequence

from .deck import SPREADS, Card
from .shuffle import DrawnCard

REVERSED_LABEL = {"ru": "перевёрнутая карта", "en": "reversed"}

_OPENERS_QUESTION = (
    {
        "ru": "Вот что карты говорят о вашем вопросе, позиция за позицией.",
        "en": "Here is what the cards say about your question, position by position.",
    },
    {
        "ru": "Карты разложены на ваш вопрос. Прочитаем их по порядку.",
        "en": "The cards have been laid out for your question. Let us read them one by one.",
    },
    {
        "ru": "Ваш вопрос услышан. Вот как на него отвечают карты.",
        "en": "Your question has been heard. Here is how the cards answer it.",
    },
)
_OPENERS_OPEN = (
    {
        "ru": "Расклад без вопроса показывает общее течение вашей жизни сейчас.",
        "en": "A reading without a question shows the general current of your life right now.",
    },
    {
        "ru": "Вопрос не задан, поэтому карты говорят о самом важном для вас в этот момент.",
        "en": "No question was asked, so the cards speak about what matters most to you at the moment.",
    },
)
_AREA_NOTE = {
    "love": {
        "ru": "Я читаю карты в свете любви и отношений.",
        "en": "I read the cards in the light of love and relationships.",
    },
    "work": {
        "ru": "Я читаю карты в свете работы и денег.",
        "en": "I read the cards in the light of work and money.",
    },
}
_QUESTION = {"ru": "Ваш вопрос: «{question}»", "en": "Your question: “{question}”"}
_SUMMARY = {"ru": "✨ Итог расклада", "en": "✨ Summary"}

_MAJORS_NONE = {
    "ru": "Старших арканов в раскладе нет: речь о повседневных делах, и многое здесь в ваших руках.",
    "en": "There are no major arcana here: the matter is about everyday things, and much of it is in your hands.",
}
_MAJORS_MANY = {
    "ru": "Преобладают старшие арканы ({names}): это важный поворот, и он больше, чем выбор одного дня.",
    "en": "Major arcana dominate ({names}): this is a significant turn, bigger than a single day's choices.",
}
_MAJORS_SOME = {
    "ru": "Старшие арканы ({names}) отмечают ключевые точки этой истории.",
    "en": "The major arcana ({names}) mark the turning points of this story.",
}
_MAJORS_ONE = {
    "ru": "Старший аркан ({names}) отмечает ключевую точку этой истории.",
    "en": "The major arcanum ({names}) marks the turning point of this story.",
}
_SUIT_LEADS = {
    "wands": {
        "ru": "Преобладают Жезлы: расклад о силе, энергии и готовности действовать.",
        "en": "Wands lead: the reading is about energy, drive and taking the initiative.",
    },
    "cups": {
        "ru": "Преобладают Кубки: в центре расклада чувства, близость и отношения.",
        "en": "Cups lead: feelings, closeness and relationships are at the heart of it.",
    },
    "swords": {
        "ru": "Преобладают Мечи: на первом плане мысли, напряжение и решения, поэтому особенно важны "
        "честность и ясность.",
        "en": "Swords lead: thoughts, tension and decisions come first, so honesty and clarity matter most.",
    },
    "pentacles": {
        "ru": "Преобладают Пентакли: на первом плане деньги, работа и практические шаги.",
        "en": "Pentacles lead: money, work and practical steps come first.",
    },
}
_REVERSED_NONE = {
    "ru": "Все карты стоят прямо: энергия течёт свободно, ничего важного не заблокировано.",
    "en": "Every card is upright: the energy flows freely and nothing essential is blocked.",
}
_REVERSED_MANY = {
    "ru": "Большинство карт перевёрнуты: что-то сдерживается или уходит внутрь. Не торопитесь и поищите, "
    "где застряла энергия.",
    "en": "Most cards are reversed: something is held back or turned inward. Slow down and look for where "
    "the energy is stuck.",
}
_REVERSED_SOME = {
    "ru": "Перевёрнутые карты ({names}) показывают, где энергия застряла и требует внимания.",
    "en": "The reversed cards ({names}) show where the energy is stuck and needs attention.",
}
_REVERSED_ONE = {
    "ru": "Перевёрнутая карта ({names}) показывает, где энергия застряла и требует внимания.",
    "en": "The reversed card ({names}) shows where the energy is stuck and needs attention.",
}
_ADVICE_UPRIGHT = {"ru": "На что опереться: {words}.", "en": "What to lean on: {words}."}
_ADVICE_REVERSED = {"ru": "На что обратить внимание: {words}.", "en": "What to pay attention to: {words}."}
_CLOSING = {
    "ru": "Карты показывают тенденции, а не приговор: выбор всегда остаётся за вами.",
    "en": "The cards show tendencies, not a verdict: the choice is always yours.",
}


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def card_title(card: Card, *, reversed: bool, lang: str) -> str:
    """The card's name with its orientation, as plain text."""
    name = card.name[lang]
    return f"{name} ({REVERSED_LABEL[lang]})" if reversed else name


def _names(cards: Sequence[Card], lang: str) -> str:
    return ", ".join(card.name[lang] for card in cards)


def summary_lines(*, spread_key: str, drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str) -> list[str]:
    """Plain-text observations about the whole spread: major arcana, the leading suit, reversed cards."""
    cards = [deck[item.key] for item in drawn]
    total = len(cards)
    lines: list[str] = []

    majors = [card for card in cards if card.is_major]
    if not majors:
        lines.append(_MAJORS_NONE[lang])
    elif total > 1 and len(majors) * 2 >= total:
        lines.append(_MAJORS_MANY[lang].format(names=_names(majors, lang)))
    else:
        bank = _MAJORS_ONE if len(majors) == 1 else _MAJORS_SOME
        lines.append(bank[lang].format(names=_names(majors, lang)))

    suits = Counter(card.suit for card in cards if card.suit)
    if suits:
        (leader, count), *rest = suits.most_common()
        needed = 2 if total <= 5 else 3
        if count >= needed and (not rest or rest[0][1] < count):
            lines.append(_SUIT_LEADS[leader][lang])

    reversed_cards = [deck[item.key] for item in drawn if item.reversed]
    if not reversed_cards:
        lines.append(_REVERSED_NONE[lang])
    elif total > 1 and len(reversed_cards) * 2 > total:
        lines.append(_REVERSED_MANY[lang])
    else:
        bank = _REVERSED_ONE if len(reversed_cards) == 1 else _REVERSED_SOME
        lines.append(bank[lang].format(names=_names(reversed_cards, lang)))
    return lines


def advice_line(*, drawn: Sequence[DrawnCard], deck: Mapping[str, Card], lang: str) -> str:
    """What to lean on (or watch for), from the keywords of the spread's last card, as plain text."""
    last = drawn[-1]
    words = deck[last.key].keyword_list(reversed=last.reversed, lang=lang)[:3]
    bank = _ADVICE_REVERSED if last.reversed else _ADVICE_UPRIGHT
    return bank[lang].format(words=", ".join(words))


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
    if lang not in REVERSED_LABEL:
        raise ValueError(f"unsupported language: {lang!r}")
    spread = SPREADS[spread_key]
    ordered = sorted(drawn, key=lambda item: item.position)
    if [item.position for item in ordered] != list(range(spread.size)):
        raise ValueError(f"{spread_key} takes {spread.size} cards, one per position")
    rng = random.Random(seed)  # noqa: S311 - picks a phrasing, not a secret
    area = area if area in ("general", "love", "work") else "general"

    parts = [f"<b>🔮 {_e(spread.name[lang])}</b>"]
    intro = []
    if question:
        intro.append(f"<i>{_e(_QUESTION[lang].format(question=question))}</i>")
    opener = rng.choice(_OPENERS_QUESTION if question else _OPENERS_OPEN)[lang]
    intro.append(_e(opener + (" " + _AREA_NOTE[area][lang] if area in _AREA_NOTE else "")))
    parts.append("\n".join(intro))

    for item in ordered:
        card = deck[item.key]
        position = spread.positions[item.position]
        header = f"<b>{item.position + 1}. {_e(position.name[lang])} · {_e(card.name[lang])}</b>"
        if item.reversed:
            header += f" ({_e(REVERSED_LABEL[lang])})"
        body = card.meaning(reversed=item.reversed, area=area, lang=lang)
        parts.append(f"{header}\n<i>{_e(position.description[lang])}</i>\n{_e(body)}")

    summary = summary_lines(spread_key=spread_key, drawn=ordered, deck=deck, lang=lang)
    summary.append(advice_line(drawn=ordered, deck=deck, lang=lang))
    observations = " ".join(_e(line) for line in summary[:-1])
    parts.append(f"<b>{_e(_SUMMARY[lang])}</b>\n{observations}\n{_e(summary[-1])}")
    parts.append(f"<i>{_e(_CLOSING[lang])}</i>")
    return "\n\n".join(parts)
