"""A reader's question: cleaning, the area it is about, and the topics that get a gentle answer instead of cards."""

import pytest

from horoscopes.tarot.questions import (
    MAX_QUESTION_LENGTH,
    TOPIC_AREA,
    Concern,
    Topic,
    question_area,
    question_clean,
    question_concern,
    question_topic,
)


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


QUESTIONS_AND_TOPICS: list[tuple[str, Topic]] = [
    # love
    ("Выйду ли я замуж?", Topic.LOVE),
    ("Выйду ли я замуж в этом году?", Topic.LOVE),
    ("Когда я встречу свою вторую половинку?", Topic.LOVE),
    ("Любит ли он меня?", Topic.LOVE),
    ("Вернётся ли он ко мне?", Topic.LOVE),
    ("Позвонит ли он мне?", Topic.LOVE),
    ("Что он ко мне чувствует?", Topic.LOVE),
    ("Стоит ли мне простить измену?", Topic.LOVE),
    ("Женится ли он на мне?", Topic.LOVE),
    ("Есть ли будущее у наших отношений?", Topic.LOVE),
    ("Помиримся ли мы с парнем?", Topic.LOVE),
    ("Will I get married?", Topic.LOVE),
    ("Does he love me?", Topic.LOVE),
    ("Will my ex come back?", Topic.LOVE),
    ("Is my partner the one?", Topic.LOVE),
    ("Will he propose this year?", Topic.LOVE),
    ("Should I ask my crush out on a date?", Topic.LOVE),
    ("Will we get back together?", Topic.LOVE),
    # study
    ("Стоит ли мне поступать в медицинский и стать врачом?", Topic.STUDY),
    ("Поступлю ли я в университет?", Topic.STUDY),
    ("Сдам ли я экзамен по математике?", Topic.STUDY),
    ("Как я сдам ЕГЭ?", Topic.STUDY),
    ("Стоит ли идти в магистратуру?", Topic.STUDY),
    ("Защищу ли я диплом?", Topic.STUDY),
    ("Стоит ли мне учиться на юриста?", Topic.STUDY),
    ("Will I pass my exams?", Topic.STUDY),
    ("Will I get into medical school?", Topic.STUDY),
    ("Should I study abroad?", Topic.STUDY),
    ("Should I go to college or start working?", Topic.STUDY),
    ("Will I finish my degree?", Topic.STUDY),
    # career
    ("Получу ли я повышение на работе?", Topic.CAREER),
    ("Стоит ли мне менять работу?", Topic.CAREER),
    ("Как пройдёт собеседование?", Topic.CAREER),
    ("Стоит ли открывать свой бизнес?", Topic.CAREER),
    ("Как сложатся отношения с начальником?", Topic.CAREER),
    ("Какая профессия мне подходит?", Topic.CAREER),
    ("Should I take the new job offer?", Topic.CAREER),
    ("Will I get the promotion?", Topic.CAREER),
    ("Should I become a doctor?", Topic.CAREER),
    ("Is it time to start my own business?", Topic.CAREER),
    ("How will the interview go?", Topic.CAREER),
    ("Will my project succeed?", Topic.CAREER),
    # money
    ("Будут ли у меня деньги на отпуск?", Topic.MONEY),
    ("Смогу ли я выплатить кредит?", Topic.MONEY),
    ("Стоит ли брать ипотеку?", Topic.MONEY),
    ("Когда улучшится моё финансовое положение?", Topic.MONEY),
    ("Стоит ли вкладывать в инвестиции?", Topic.MONEY),
    ("Will my finances improve?", Topic.MONEY),
    ("Should I take out a loan?", Topic.MONEY),
    ("Can I afford a new car?", Topic.MONEY),
    ("Will I pay off my debt this year?", Topic.MONEY),
    # family
    ("Как наладить отношения с мамой?", Topic.FAMILY),
    ("Что ждёт мою семью?", Topic.FAMILY),
    ("Стоит ли нам переезжать в другую квартиру?", Topic.FAMILY),
    ("Как помочь сыну?", Topic.FAMILY),
    ("How can I get along with my parents?", Topic.FAMILY),
    ("What awaits my family this year?", Topic.FAMILY),
    ("Should we move to a new home?", Topic.FAMILY),
    # general
    ("Что меня ждёт в ближайший месяц?", Topic.GENERAL),
    ("Что мне нужно знать сегодня?", Topic.GENERAL),
    ("Какая у меня судьба?", Topic.GENERAL),
    ("Как пройдут изменения в моей жизни?", Topic.GENERAL),
    ("What should I focus on?", Topic.GENERAL),
    ("What does the next month hold for me?", Topic.GENERAL),
    ("Where is my life going?", Topic.GENERAL),
    ("", Topic.GENERAL),
]


@pytest.mark.parametrize(("question", "topic"), QUESTIONS_AND_TOPICS)
def test_question_topic(question: str, topic: Topic) -> None:
    assert question_topic(question) == topic
    assert question_area(question) == TOPIC_AREA[topic]


@pytest.mark.parametrize(
    "question",
    [
        "Стоит ли мне поступать в медицинский и стать врачом?",
        "Стоит ли мне стать врачом?",
        "Поступлю ли я в медицинский университет?",
        "Should I become a doctor?",
        "Will I get into medical school?",
        "Is nursing school right for me? Should I become a nurse?",
        "Стоит ли мне учиться на юриста?",
        "Поступлю ли я на юридический факультет?",
        "Should I go to law school?",
        "Should I become a lawyer?",
    ],
)
def test_medicine_or_law_as_a_career_is_not_a_sensitive_question(question: str) -> None:
    assert question_concern(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "Стоит ли идти к врачу?",
        "Что скажет врач о моей болезни?",
        "Should I see a doctor about my pain?",
        "Is my illness serious?",
        "Нужен ли мне адвокат?",
        "Should I hire a lawyer for the divorce?",
    ],
)
def test_health_and_legal_questions_still_get_the_careful_answer(question: str) -> None:
    assert question_concern(question) in (Concern.MEDICAL, Concern.LEGAL)
