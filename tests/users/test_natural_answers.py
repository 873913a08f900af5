"""Natural answers in the real conversation: spoken times, "don't know", month-only and ambiguous dates, and
free text that names a feature, through the webhook to the fake Bot API."""

from datetime import date, time

import pytest

from bot.menu.intents import intent_of, sign_named
from tests.driver import Dialog
from tests.factories import TelegramUserFactory
from tests.users.test_profile import member, moscow

pytestmark = pytest.mark.django_db


def newcomer(api, *, chat_id: int, language: str) -> Dialog:
    """Someone who pressed /start and chose the language: the birth date question is open."""
    person = Dialog(api, chat_id=chat_id, first_name="Sam", language_code=language)
    person.send("/start")
    person.press("English" if language == "en" else "Русский")
    return person


def test_an_english_numeric_date_is_asked_about_and_a_spoken_time_is_understood(bot_settings):
    sam = newcomer(bot_settings, chat_id=7_200_000_001, language="en")

    [question] = sam.send("05/04/1987")
    assert question == "Did you mean 4 May or 5 April?"
    assert sam.user.birth_date is None
    labels = [label for label, data, _ in sam.buttons() if data.startswith("bdp:")]
    assert labels == ["4 May 1987", "5 Apr 1987"]

    reveal, time_question = sam.press("4 May")
    assert "Taurus" in reveal
    assert sam.user.birth_date == date(1987, 5, 4)
    assert "time you were born" in time_question

    saved, _place_question = sam.send("around 7 in the morning")
    assert "07:00" in saved
    assert sam.user.birth_time == time(7, 0)


def test_a_forged_date_button_is_checked_like_a_typed_date(bot_settings):
    sam = newcomer(bot_settings, chat_id=7_200_000_002, language="en")
    [answer] = sam.press_data("bdp:20990101")
    assert "has not come yet" in answer
    assert sam.user.birth_date is None


def test_a_month_and_year_ask_for_the_day_and_typed_dont_know_is_the_button(bot_settings):
    olga = newcomer(bot_settings, chat_id=7_200_000_003, language="ru")

    [ask_day] = olga.send("май 1987")
    assert ask_day == "Записал: май 1987. А какого числа? Пришлите только число, например 15."
    assert olga.user.birth_date is None

    reveal, _time_question = olga.send("5")
    assert "Телец" in reveal
    assert olga.user.birth_date == date(1987, 5, 5)

    [saved, _place_question] = olga.send("Не знаю")
    assert "время рождения остаётся неизвестным" in saved.lower() or "неизвест" in saved.lower()
    user = olga.user
    assert user.birth_time_unknown and user.birth_time is None


def test_an_impossible_day_is_named(bot_settings):
    olga = newcomer(bot_settings, chat_id=7_200_000_004, language="ru")
    [answer] = olga.send("31.02.1990")
    assert "31 февраля 1990" in answer and "28 дней" in answer
    sam = newcomer(bot_settings, chat_id=7_200_000_005, language="en")
    [answer] = sam.send("February 30, 1992")
    assert "There is no 30 February 1992: that month has 29 days." in answer


def test_a_spoken_russian_evening_time(bot_settings):
    olga = newcomer(bot_settings, chat_id=7_200_000_006, language="ru")
    olga.send("5 мая 87")
    saved, _ = olga.send("полседьмого вечера")
    assert "18:30" in saved
    assert olga.user.birth_time == time(18, 30)


FREE_TEXT: list[tuple[str, str | None]] = [
    ("гороскоп на завтра", "horoscope_tomorrow"),
    ("Гороскоп на завтра пожалуйста", "horoscope_tomorrow"),
    ("прогноз на завтра", "horoscope_tomorrow"),
    ("что меня ждёт завтра по гороскопу", "horoscope_tomorrow"),
    ("horoscope for tomorrow", "horoscope_tomorrow"),
    ("tomorrow's horoscope", "horoscope_tomorrow"),
    ("гороскоп", "horoscope_asked"),
    ("Мой гороскоп на сегодня", "horoscope_asked"),
    ("что меня ждет сегодня", "horoscope_asked"),
    ("horoscope", "horoscope_asked"),
    ("today's horoscope please", "horoscope_asked"),
    ("таро", "tarot"),
    ("Таро!", "tarot"),
    ("погадай мне", "tarot"),
    ("хочу расклад", "tarot"),
    ("tarot", "tarot"),
    ("a tarot reading please", "tarot"),
    ("карта дня", "tarot_day"),
    ("Карту дня", "tarot_day"),
    ("card of the day", "tarot_day"),
    ("daily card", "tarot_day"),
    ("натальная карта", "natal"),
    ("моя карта рождения", "natal"),
    ("natal chart", "natal"),
    ("birth chart", "natal"),
    ("совместимость рыбы и скорпион", "compatibility"),
    ("compatibility of leo and virgo", "compatibility"),
    ("подходим ли мы друг другу", "compatibility"),
    ("премиум", "premium"),
    ("how much is premium", "premium"),
    ("профиль", "profile"),
    ("settings", "profile"),
    ("помощь", "help"),
    ("что ты умеешь?", "help"),
    ("what can you do", "help"),
    ("привет", None),
    ("hello", None),
    ("спасибо", None),
    ("ок", None),
    ("расскажи анекдот", None),
    ("а " * 60 + "таро", None),
]


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("гороскоп для льва", "leo"),
        ("Гороскоп Лев", "leo"),
        ("гороскоп для рыб на завтра", "pisces"),
        ("гороскоп для девы", "virgo"),
        ("что ждёт Скорпиона завтра", "scorpio"),
        ("гороскоп для тельца", "taurus"),
        ("horoscope leo", "leo"),
        ("Pisces horoscope for tomorrow", "pisces"),
        ("гороскоп", None),
        ("совместимость рыбы и скорпион", None),
        ("гороскоп на завтра", None),
    ],
)
def test_the_sign_a_request_names(text: str, sign: str | None) -> None:
    assert sign_named(text) == sign


@pytest.mark.parametrize(("text", "intent"), FREE_TEXT)
def test_free_text_intents(text: str, intent: str | None) -> None:
    assert intent_of(text) == intent


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("гороскоп на завтра", "ru", "◀️ Сегодня"),
        ("horoscope", "en", "Tomorrow ▶️"),
        ("гороскоп для рыб на завтра", "ru", "Рыбы"),
        ("horoscope leo", "en", "Leo"),
        ("таро", "ru", "🌅 Карта дня"),
        ("tarot", "en", "🌅 Card of the day"),
        ("карта дня", "ru", "card"),
        ("совместимость рыбы и скорпион", "ru", "Совместимость я пока не умею"),
        ("compatibility", "en", "I cannot read compatibility yet"),
    ],
)
def test_free_text_reaches_the_feature(bot_settings, text: str, language: str, expected: str) -> None:
    user = TelegramUserFactory(language=language, onboarded=True, born=True)
    person = Dialog.of(bot_settings, user)
    shown = person.send(text)
    labels = [label for label, _, _ in person.buttons()]
    if expected == "card":
        assert bot_settings.calls_to("sendPhoto"), "the card of the day is a picture"
    else:
        assert any(expected in item for item in shown + labels), (shown, labels)
    assert not any("не совсем понял" in item or "did not quite get" in item for item in shown)


def test_plain_chat_still_gets_the_hint(bot_settings):
    user = TelegramUserFactory(language="ru", onboarded=True, born=True)
    assert "не совсем понял" in Dialog.of(bot_settings, user).send("привет")[0]


def test_the_horoscope_sign_question_asks_about_an_ambiguous_english_date(bot_settings):
    user = TelegramUserFactory(language="en", onboarded=True)
    kate = Dialog.of(bot_settings, user)
    kate.send("/horoscope")
    [answer] = kate.send("05/04/1987")[:1]
    assert answer.startswith("Is that 4 May or 5 April?")
    assert kate.user.birth_date is None
    shown = kate.send("4 May 1987")
    assert "Taurus" in shown[0]
    assert kate.user.birth_date == date(1987, 5, 4)


def test_typed_dont_know_under_the_clock_change_question_is_the_button(bot_settings):
    maria = member(bot_settings, chat_id=7_200_000_010, birth_date=date(1990, 9, 30), place=moscow())
    maria.press_data("pf:time")
    [question] = maria.send("в половине третьего ночи")
    assert "перевели назад" in question
    maria.send("не помню")
    user = maria.user
    assert user.birth_time_unknown and user.birth_time is None and user.state == ""


def test_the_month_and_year_are_forgotten_once_the_date_is_saved(bot_settings):
    olga = newcomer(bot_settings, chat_id=7_200_000_011, language="ru")
    olga.send("в мае 1987")
    assert olga.user.state_data.get("month_year") == [5, 1987]
    olga.send("5-го")
    user = olga.user
    assert user.birth_date == date(1987, 5, 5)
    assert "month_year" not in (user.state_data or {})
