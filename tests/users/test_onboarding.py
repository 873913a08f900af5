"""Onboarding end to end: real update JSON through the ASGI web app to the fake Bot API, in both languages."""

from datetime import UTC, date, datetime, time

import pytest

from tests.driver import Dialog

pytestmark = pytest.mark.django_db


def test_new_russian_user_goes_through_onboarding_with_typos_and_nonsense(bot_settings):
    anna = Dialog(bot_settings)

    [greeting] = anna.send("/start")
    photo = bot_settings.calls_to("sendPhoto")[-1]
    assert photo.files, "the greeting picture is uploaded"
    assert "Здравствуйте, Анна!" in greeting
    assert "/privacy" in greeting
    assert [label for label, _, _ in anna.buttons()] == ["🇷🇺 Русский", "🇬🇧 English"]
    user = anna.user
    assert (user.state, user.consent_at, user.onboarded_at) == ("onboarding:language", None, None)

    [question] = anna.press("Русский")
    assert "Когда вы родились?" in question
    user = anna.user
    assert user.consent_at is not None and user.consent_version
    assert user.language == "ru"

    assert "31 февраля 1990 нет в календаре" in anna.send("31.02.1990")[0]
    assert "не получилось найти здесь дату" in anna.send("😀" * 500)[0].lower()
    assert "ещё не наступила" in anna.send("15.03.2090")[0]
    assert "с 1900 года" in anna.send("01.01.1850")[0]
    assert "текстом" in anna.sticker()[0]
    assert "не получилось найти здесь дату" in anna.send("вчера вечером")[0].lower()
    assert anna.user.birth_date is None

    reveal, time_question = anna.send("15 марта 1990")
    assert "Рыбы" in reveal and "19.02 – 20.03" in reveal and "вода" in reveal
    assert "время рождения" in time_question.lower()
    assert {"🤷 Не знаю", "⏭ Позже"} <= {label for label, _, _ in anna.buttons()}

    assert "Не получилось разобрать время" in anna.send("25:61")[0]
    saved, place_question = anna.send("14.30")
    assert "14:30" in saved
    assert "Где вы родились?" in place_question

    assert "Не нашёл «Абырвалг»" in anna.send("Абырвалг")[0]
    [choose] = anna.send("Кировск")
    assert "несколько" in choose
    labels = [label for label, data, _ in anna.buttons() if data.startswith("bp:")]
    assert len(labels) >= 3
    assert any("Мурманская" in label and "UTC+03:00" in label for label in labels)
    assert any("Ленинградская" in label for label in labels)

    place_saved, notify_question = anna.press("Мурманская")
    assert "Кировск, Мурманская обл., Россия" in place_saved
    assert "UTC+03:00" in place_saved
    assert "каждый день" in notify_question and "UTC+03:00" in notify_question

    assert "Не получилось разобрать время" in anna.send("когда-нибудь")[0]
    notify_saved, done = anna.send("8:30")
    assert "08:30" in notify_saved
    assert "Готово" in done
    assert "🔮 Гороскоп" in anna.keyboard()

    user = anna.user
    assert user.birth_date == date(1990, 3, 15)
    assert user.birth_time == time(14, 30)
    assert user.sign == "pisces"
    assert (user.birth_place, user.birth_region, user.birth_country) == ("Кировск", "Мурманская обл.", "RU")
    assert user.birth_tz == "Europe/Moscow"
    # Moscow time was UTC+3 in winter 1990.
    assert user.birth_utc == datetime(1990, 3, 15, 11, 30, tzinfo=UTC)
    assert (user.notify_enabled, user.notify_time) == (True, time(8, 30))
    assert user.onboarded_at is not None
    assert (user.state, user.state_data) == ("", {})

    [back] = anna.send("/start")
    assert "С возвращением, Анна" in back
    again = anna.user
    assert (again.birth_date, again.birth_utc, again.notify_time) == (user.birth_date, user.birth_utc, user.notify_time)


def test_english_user_with_unknown_time_a_typo_and_an_offset_time_zone(bot_settings):
    john = Dialog(bot_settings, chat_id=7_000_000_002, first_name="John", username="john", language_code="en-US")

    [greeting] = john.send("/start")
    assert greeting.startswith("✨ Hello, John!")
    assert "By continuing you accept the /privacy policy." in greeting

    [question] = john.press("English")
    assert question.startswith("📅 When were you born?")
    reveal, _ = john.send("March 15, 1990")
    assert "Your sign is <b>Pisces</b> (Feb 19 – Mar 20)" in reveal

    unknown, place_question = john.press("I don't know")
    assert "stays unknown" in unknown
    assert place_question.startswith("📍 Where were you born?")

    saved, notify_question = john.send("Novosibrsk")
    assert "Novosibirsk" in saved
    assert "UTC+07:00" in notify_question  # guessed from the birthplace

    [tz_question] = john.press("Change time zone")
    assert "Which city do you live in now?" in tz_question
    assert "whole hours" in john.send("UTC+5:30")[0]
    tz_saved, notify_again = john.send("utc + 5")
    assert "UTC+05:00" in tz_saved
    assert "At what time?" in notify_again

    off, done = john.press("No, thanks")
    assert "notifications are off" in off
    assert done.startswith("🎉 All set!")
    assert "🔮 Horoscope" in john.keyboard()

    user = john.user
    assert user.language == "en"
    assert (user.birth_time, user.birth_time_unknown) == (None, True)
    assert user.birth_tz == "Asia/Novosibirsk"
    # An unknown time is computed for local noon: Novosibirsk was UTC+7 in March 1990.
    assert user.birth_utc == datetime(1990, 3, 15, 5, 0, tzinfo=UTC)
    assert user.current_tz == "Etc/GMT-5"
    assert user.notify_enabled is False


def test_optional_steps_can_be_skipped_and_done_later(bot_settings):
    olga = Dialog(bot_settings, chat_id=7_000_000_003, first_name="Ольга")
    olga.send("/start")
    olga.press("Русский")
    olga.send("1990-07-01")

    skipped, place_question = olga.press("Позже")
    assert "позже в /profile" in skipped
    assert "Где вы родились?" in place_question
    _, notify_question = olga.press("Позже")
    assert "Москва (UTC+03:00)" in notify_question
    olga.press("09:00")

    user = olga.user
    assert user.onboarded_at is not None
    assert (user.birth_time, user.birth_time_unknown, user.birth_tz, user.birth_utc) == (None, False, "", None)
    assert user.sign == "cancer"
    [card] = olga.send("/profile")
    assert "Время рождения: не указано" in card
    assert "Место рождения: не указано" in card
    assert "Добавьте время и место рождения" in card


def test_a_date_typed_instead_of_a_language_keeps_the_guessed_language(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_004, first_name="Иван")
    ivan.send("/start")

    reveal, time_question = ivan.send("15.03.90")

    assert "Рыбы" in reveal
    assert "время рождения" in time_question.lower()
    user = ivan.user
    assert (user.language, user.birth_date, user.state) == ("ru", date(1990, 3, 15), "profile:time")
    assert user.consent_at is not None


def test_text_at_the_language_step_is_answered(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_005, first_name="Иван")
    ivan.send("/start")

    assert "кнопками выше" in ivan.send("привет")[0]
    [question] = ivan.send("English")
    assert question.startswith("📅 When were you born?")
    assert ivan.user.language == "en"


def test_language_buttons_after_onboarding_are_stale(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_006)
    ivan.send("/start")
    ivan.press("Русский")

    assert ivan.press_data("ob:en", message_id=1) == []
    assert ivan.notices()[-1] == "Эта кнопка больше не действует. Вот меню."
    assert ivan.user.language == "ru"


def test_a_menu_button_leaves_the_open_question(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_007)
    ivan.send("/start")
    ivan.press("Русский")
    assert ivan.user.state == "profile:date"

    ivan.send("❓ Помощь")

    assert ivan.user.state == ""
    [reply] = ivan.send("15.03.1990")
    assert "Рыбы" not in reply
    assert ivan.user.birth_date is None


def test_the_greeting_picture_is_uploaded_once_then_sent_by_file_id(bot_settings):
    first = Dialog(bot_settings, chat_id=7_000_000_008)
    second = Dialog(bot_settings, chat_id=7_000_000_009)
    first.send("/start")
    second.send("/start")

    uploads = bot_settings.calls_to("sendPhoto")
    assert len(uploads) == 2
    assert uploads[0].files and not uploads[1].files
    assert uploads[1].params["photo"] == uploads[0].result["photo"][-1]["file_id"]


def test_a_wrong_date_at_the_language_step_gets_the_date_answer_and_the_buttons_stay_at_hand(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_010, first_name="Иван")
    ivan.send("/start")

    [hint] = ivan.send("привет")
    assert "кнопками выше" in hint
    assert [label for label, _, _ in ivan.buttons()][-2:] == ["🇷🇺 Русский", "🇬🇧 English"]
    assert "Такой даты в календаре нет" in ivan.send("32 декабря 1990")[0]
    assert ivan.user.state == "profile:date"


def test_a_typo_in_a_big_city_and_a_pin_for_the_time_zone(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_011, first_name="Иван")
    ivan.send("/start")
    ivan.press("Русский")
    ivan.send("10.10.2000")
    ivan.press("Не знаю")

    saved, _ = ivan.send("Мосвка")
    assert "Место рождения: <b>Москва, Россия</b>" in saved
    tz_saved, notify_again = ivan.location(56.0153, 92.8932)  # Krasnoyarsk
    assert "Красноярск (UTC+07:00)" in tz_saved
    assert "В какое время?" in notify_again

    assert ivan.user.current_tz == "Asia/Krasnoyarsk"
    assert ivan.user.birth_tz == "Europe/Moscow"


def test_cancelling_the_time_zone_question_goes_back_to_the_daily_time(bot_settings):
    ivan = Dialog(bot_settings, chat_id=7_000_000_012, first_name="Иван")
    ivan.send("/start")
    ivan.press("Русский")
    ivan.send("10.10.2000")
    ivan.press("Не знаю")
    ivan.press("Позже")
    ivan.press("Сменить часовой пояс")

    [notify_again] = ivan.press("Отмена")

    assert "В какое время?" in notify_again
    assert ivan.user.state == "profile:notify"
    assert ivan.user.onboarded_at is None
    ivan.press("08:00")
    assert ivan.user.onboarded_at is not None


def test_a_birth_on_the_solstice_evening_is_capricorn_everywhere(bot_settings):
    """21.12.1988 22:00 in Leningrad: the Sun entered Capricorn at 18:28 local time; a table says Sagittarius."""
    olga = Dialog(bot_settings, chat_id=7_000_000_031, first_name="Ольга")
    olga.send("/start")
    olga.press("Русский")

    reveal, _ = olga.send("21.12.1988")
    assert "Стрелец" in reveal and "Козерог" in reveal  # both possible until the time and place are known
    assert "Солнце перешло" in reveal

    olga.send("22:00")
    _, settled, _ = olga.send("Санкт-Петербург")
    assert "Козерог" in settled and "это ваш знак" in settled
    assert olga.user.sign == "capricorn"

    [profile] = olga.send("/profile")
    assert "Козерог" in profile and "Стрелец" not in profile
    [natal] = olga.send("/natal")[-1:]
    assert "Стрелец" not in natal


def test_an_unknown_time_on_the_day_the_sun_changed_sign_says_both(bot_settings):
    kate = Dialog(bot_settings, chat_id=7_000_000_032, first_name="Kate", language_code="en")
    kate.send("/start")
    kate.press("English")

    reveal, _ = kate.send("20.03.2024")
    assert "Pisces" in reveal and "Aries" in reveal

    kate.press("I don't know")
    _, still_open, _ = kate.send("London")
    # London noon of 20 March 2024 is after the equinox (03:06 UTC): Aries, but the morning was Pisces.
    assert kate.user.sign == "aries"
    assert "Aries" in still_open and "Pisces" in still_open and "/profile" in still_open
