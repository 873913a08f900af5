"""A reader's question: cleaning, the area it is about, and the topics that get a gentle answer instead of cards."""

import pytest

from horoscopes.tarot.questions import MAX_QUESTION_LENGTH, Concern, question_area, question_clean, question_concern


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  Что   меня\nждёт?  ", "Что меня ждёт?"),
        ("a\u0000b\u200bc\u202ed", "abcd"),
        ("\u0301", "\u0301"),  # a lone combining mark is text, not a control character
    ],
)
def test_question_is_cleaned_to_one_line(raw, clean):
    assert question_clean(raw) == clean


def test_long_question_is_cut_with_an_ellipsis():
    cleaned = question_clean("слово " * 200)
    assert len(cleaned) <= MAX_QUESTION_LENGTH
    assert cleaned.endswith("…")


@pytest.mark.parametrize(
    ("question", "area"),
    [
        ("Что ждёт мои отношения с мужем?", "love"),
        ("Любит ли он меня?", "love"),
        ("Will my boyfriend propose?", "love"),
        ("Получу ли я повышение на работе?", "work"),
        ("Should I take the new job offer?", "work"),
        ("Будут ли у меня деньги на отпуск?", "work"),
        ("Что меня ждёт в ближайший месяц?", "general"),
        ("What should I focus on?", "general"),
        ("Как пройдут изменения в моей жизни?", "general"),  # изменения is not измена
        ("", "general"),
    ],
)
def test_question_area(question, area):
    assert question_area(question) == area


@pytest.mark.parametrize(
    ("question", "concern"),
    [
        ("Я не хочу жить, что мне делать?", Concern.SELF_HARM),
        ("Думаю о суициде", Concern.SELF_HARM),
        ("Should I kill myself?", Concern.SELF_HARM),
        ("I want to die", Concern.SELF_HARM),
        ("Как отомстить бывшему?", Concern.HARM),
        ("Сделать ли приворот на него?", Concern.HARM),
        ("How do I get revenge on my boss?", Concern.HARM),
        ("Какой у меня диагноз?", Concern.MEDICAL),
        ("Вылечится ли моя болезнь?", Concern.MEDICAL),
        ("Беременна ли я?", Concern.MEDICAL),
        ("Will the chemo work?", Concern.MEDICAL),
        ("Should I stop taking my medication?", Concern.MEDICAL),
        ("Выиграю ли я суд?", Concern.LEGAL),
        ("Нужен ли мне адвокат?", Concern.LEGAL),
        ("Will I win the lawsuit?", Concern.LEGAL),
        ("Should I sue my landlord? Should I sue him?", Concern.LEGAL),
    ],
)
def test_sensitive_questions_are_recognised(question, concern):
    assert question_concern(question) == concern


@pytest.mark.parametrize(
    "question",
    [
        "Какая у меня судьба?",  # судьба is not суд
        "Что ждёт Рака в любви?",  # the zodiac sign, not the illness
        "Is a Cancer man right for me?",
        "Will Sue call me back?",  # a name, not a lawsuit
        "Как мне поискать новую работу?",  # поиск is not иск
        "Что будет в отношениях?",
        "I am sick of my job, should I leave?",
        "",
    ],
)
def test_ordinary_questions_are_not_flagged(question):
    assert question_concern(question) is None


def test_self_harm_wins_over_other_topics():
    assert question_concern("Врач не помог, я не хочу жить") == Concern.SELF_HARM
