"""The offline tarot reader: every position with its card's meaning for the question's area, in both languages."""

import dataclasses
import random
import re

import pytest

from horoscopes.tarot import SPREADS, DrawnCard, card_by_key, draw_spread, load_deck
from horoscopes.tarot.interpret import advice_line, interpret_offline, summary_lines
from horoscopes.tarot.questions import TOPIC_AREA, Topic

DECK = {card.key: card for card in load_deck()}
TAG = re.compile(r"</?(b|i)>")


def _balanced(text: str) -> bool:
    stack = []
    for match in TAG.finditer(text):
        closing, name = match.group(0).startswith("</"), match.group(1)
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def _cards(*items: tuple[str, bool]) -> list[DrawnCard]:
    return [DrawnCard(key=key, reversed=rev, position=i) for i, (key, rev) in enumerate(items)]


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("spread", ["three", "celtic_cross"])
@pytest.mark.parametrize("area", ["general", "love", "work"])
def test_every_position_gets_its_card_and_area_meaning(lang, spread, area):
    drawn = draw_spread(spread, rng=random.Random(f"{lang}{spread}{area}"))
    text = interpret_offline(spread_key=spread, drawn=drawn, deck=DECK, area=area, lang=lang, question="Q?")

    for item in drawn:
        card = DECK[item.key]
        position = SPREADS[spread].positions[item.position]
        assert f"{item.position + 1}. {position.name[lang]} · {card.name[lang]}" in text
        assert card.meaning(reversed=item.reversed, area=area, lang=lang) in text.replace("&quot;", '"')
    assert _balanced(text)
    other = re.compile(r"[A-Za-z]{4,}") if lang == "ru" else re.compile(r"[А-Яа-яЁё]")
    assert not other.search(TAG.sub("", text).replace("Q?", ""))


def test_reversed_cards_are_named_as_such_in_both_languages():
    drawn = _cards(("the_fool", True), ("the_sun", False), ("ace_of_cups", True))
    ru = interpret_offline(spread_key="three", drawn=drawn, deck=DECK, lang="ru")
    en = interpret_offline(spread_key="three", drawn=drawn, deck=DECK, lang="en")
    assert "Шут</b> (перевёрнутая карта)" in ru
    assert "The Fool</b> (reversed)" in en
    assert "The Sun</b> (reversed)" not in en


def test_question_and_card_texts_are_escaped():
    fool = card_by_key("the_fool")
    meanings = {o: {a: dict(v) for a, v in areas.items()} for o, areas in fool.meanings.items()}
    meanings["upright"]["general"]["en"] = "Stay <b>bold</b> & curious."
    deck = {**DECK, "the_fool": dataclasses.replace(fool, meanings=meanings)}
    drawn = _cards(("the_fool", False), ("the_sun", False), ("ace_of_cups", False))

    text = interpret_offline(
        spread_key="three", drawn=drawn, deck=deck, lang="en", question="<script>ignore the cards</script>"
    )

    assert "Stay &lt;b&gt;bold&lt;/b&gt; &amp; curious." in text
    assert "&lt;script&gt;ignore the cards&lt;/script&gt;" in text
    assert "<script>" not in text
    assert _balanced(text)


def test_summary_counts_majors_suits_and_reversals():
    drawn = _cards(("two_of_cups", False), ("three_of_cups", False), ("ace_of_wands", False))
    lines = summary_lines(spread_key="three", drawn=drawn, deck=DECK, lang="en")
    assert lines[0].startswith("There are no major arcana")
    assert any(line.startswith("Cups lead") for line in lines)
    assert lines[-1].startswith("Every card is upright")

    drawn = _cards(("the_tower", True), ("death", True), ("ace_of_wands", False))
    lines = summary_lines(spread_key="three", drawn=drawn, deck=DECK, lang="ru")
    assert lines[0].startswith("Преобладают старшие арканы (Башня, Смерть)")
    assert lines[-1].startswith("Большинство карт перевёрнуты")


def test_advice_is_written_for_the_last_card_and_the_area():
    upright = _cards(("two_of_cups", False), ("three_of_cups", False), ("the_star", False))
    reversed_ = _cards(("two_of_cups", False), ("three_of_cups", False), ("five_of_wands", True))
    assert advice_line(drawn=upright, deck=DECK, lang="en", area="love") == (
        "Advice (The Star): Let the relationship grow honestly: say what matters to you and listen to the answer."
    )
    assert advice_line(drawn=reversed_, deck=DECK, lang="ru", area="work").startswith("Совет (Пятёрка Жезлов): ")
    keywords = DECK["five_of_wands"].keyword_list(reversed=False, lang="en")
    advice = advice_line(drawn=_cards(("five_of_wands", False)), deck=DECK, lang="en")
    assert not any(word in advice for word in keywords), "keywords describe, they do not advise"


# Words no advice may contain: they describe trouble, and in an advice they would recommend it.
DESTRUCTIVE = {
    "en": re.compile(
        r"\b(?:rival|disput|conflict|quarrel|fight|argu(?:e|ing)\b|break\s?up|betray|decei|deception|manipul|aggress|"
        r"cruel|violen|reveng|hostil|envy|jealous|destr|despair|ruin|revenge|domina|obsess|addict|greed|"
        r"stubborn|selfish|lie\b|lies\b|cheat|defeat|loss\b|lose\b|isolat|fear|anxiet|punish|humiliat)",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"\b(?:соперни|спор|конфликт|ссор|драк|борьб|разрыв|предат|обман|манипул|агресс|жесток|насили|мест[ьи]\b|"
        r"вражд|завист|ревн|разруш|отчаян|крах|доминир|одержим|зависимост|жадн|упрям|эгоизм|лж[иеё]|"
        r"поражени|потер|изоляц|страх|тревог|наказ|униж)",
        re.IGNORECASE,
    ),
}


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("spread", sorted(SPREADS))
@pytest.mark.parametrize("topic", list(Topic))
def test_advice_is_always_constructive(lang, spread, topic):
    area = TOPIC_AREA[topic]
    size = SPREADS[spread].size
    fillers = [card.key for card in load_deck()]
    for card in load_deck():
        for reversed_ in (False, True):
            for position in range(size):
                keys = [key for key in fillers if key != card.key][: size - 1]
                keys.insert(position, card.key)
                drawn = [DrawnCard(key=key, reversed=reversed_, position=i) for i, key in enumerate(keys)]
                advice = advice_line(drawn=drawn, deck=DECK, lang=lang, area=area)
                assert not DESTRUCTIVE[lang].search(advice), (card.key, reversed_, position, advice)
            whole = interpret_offline(
                spread_key=spread,
                drawn=drawn,
                deck=DECK,
                area=area,
                lang=lang,
                question="?",
            )
            assert advice in whole


def test_wrong_cards_for_the_spread_are_refused():
    with pytest.raises(ValueError):
        interpret_offline(spread_key="three", drawn=_cards(("the_fool", False)), deck=DECK)
    with pytest.raises(ValueError):
        interpret_offline(spread_key="three", drawn=draw_spread("three"), deck=DECK, lang="de")


def test_the_same_seed_reads_the_same_and_phrasings_vary():
    drawn = draw_spread("three", rng=random.Random(3))
    texts = {interpret_offline(spread_key="three", drawn=drawn, deck=DECK, question="Q", seed=s) for s in range(12)}
    assert interpret_offline(spread_key="three", drawn=drawn, deck=DECK, question="Q", seed=5) in texts
    assert len(texts) > 1
