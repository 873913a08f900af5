"""/profile end to end: every field edited through the bot, clock changes at the birthplace, settings, language."""

import dataclasses
import types
from datetime import UTC, date, datetime, time

import pytest
from telegram.ext import CommandHandler

from bot import application as bot_application
from bot.profile.flow import birth_data_request, send
from tests.driver import Dialog
from tests.factories import TelegramUserFactory
from users.models import TelegramUser
from users.places import get_index
from users.services import Birthplace, user_set_birth_data

pytestmark = pytest.mark.django_db

MOSCOW = next(m.place for m in get_index().match("Москва") if m.place.country == "RU")


def member(api, *, chat_id: int = 7_100_000_001, language: str = "ru", **birth: object) -> Dialog:
    """Maria, who finished onboarding, with the given birth data (stored as the bot stores it)."""
    user = TelegramUserFactory(telegram_id=chat_id, first_name="Мария", language=language, onboarded=True)
    if birth:
        user_set_birth_data(user_id=user.pk, **birth)
    return Dialog.of(api, user)


def moscow(lang: str = "ru") -> Birthplace:
    return Birthplace.from_place(MOSCOW, lang)


def test_profile_card_shows_everything_stored(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15), birth_time=time(14, 30), place=moscow())
    TelegramUser.objects.filter(telegram_id=maria.chat_id).update(premium_until=datetime(2099, 1, 1, tzinfo=UTC))

    [card] = maria.send("/profile")

    assert "👤 <b>Ваш профиль</b>" in card
    assert "Дата рождения: 15.03.1990 · ♓ Рыбы" in card
    assert "Время рождения: 14:30" in card
    assert "Место рождения: Москва, Россия" in card
    assert "Часовой пояс: Москва (UTC+03:00)" in card
    assert "каждый день в 09:00" in card
    assert "Язык: Русский" in card
    assert "Премиум: до 01.01.2099" in card
    labels = {label for label, _, _ in maria.buttons()}
    assert {"📅 Дата рождения", "🕐 Время рождения", "📍 Место рождения", "🌍 Часовой пояс"} <= labels
    assert {"🔕 Выключить уведомления", "🌐 Язык", "📦 Мои данные", "🗑 Удалить мои данные"} <= labels
    # The menu button opens the same card.
    assert maria.send("👤 Профиль") == [card]


def test_editing_the_birth_date_recomputes_sign_and_moment_with_soviet_summer_time(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15), birth_time=time(12, 0), place=moscow())

    [question] = maria.press_data("pf:date")
    assert "Когда вы родились?" in question
    saved, card = maria.send("01.07.1985")

    assert "01.07.1985, ♋ Рак" in saved
    assert "Ваш профиль" in card
    user = maria.user
    assert user.sign == "cancer"
    # Moscow kept summer time (UTC+4) in the 1980s.
    assert user.birth_utc == datetime(1985, 7, 1, 8, 0, tzinfo=UTC)


def test_a_birth_time_that_never_existed_is_asked_about(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 25), place=moscow())

    maria.press_data("pf:time")
    [question] = maria.send("02:30")

    assert "перевели вперёд" in question and "02:30" in question
    labels = [label for label, data, _ in maria.buttons() if data.startswith("bm:")]
    assert labels == ["01:30 (UTC+03:00)", "03:30 (UTC+04:00)"]
    assert maria.user.birth_time is None  # nothing saved until the user says which

    saved, card = maria.press("03:30")
    assert "03:30 (UTC+04:00)" in saved
    user = maria.user
    assert user.birth_time == time(3, 30)
    assert user.birth_utc == datetime(1990, 3, 24, 23, 30, tzinfo=UTC)
    assert "Время рождения: 03:30" in card


def test_a_birth_time_that_happened_twice_is_asked_about_and_remembered(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 9, 30), place=moscow())

    maria.press_data("pf:time")
    [question] = maria.send("2:30")

    assert "перевели назад" in question
    labels = [label for label, data, _ in maria.buttons() if data.startswith("bm:")]
    assert labels == ["первое 02:30 (UTC+04:00)", "второе 02:30 (UTC+03:00)"]
    _, card = maria.press("второе")
    user = maria.user
    assert (user.birth_time, user.birth_time_fold) == (time(2, 30), 1)
    assert user.birth_utc == datetime(1990, 9, 29, 23, 30, tzinfo=UTC)
    assert "Время рождения: 02:30 (UTC+03:00)" in card


def test_a_new_place_that_makes_the_time_impossible_keeps_the_place_while_another_time_is_typed(bot_settings):
    london = get_index().match("London")[0].place
    maria = member(
        bot_settings,
        birth_date=date(1990, 3, 25),
        birth_time=time(2, 30),
        place=Birthplace.from_place(london, "ru"),
    )

    maria.press_data("pf:place")
    [question] = maria.send("Москва")
    assert "перевели вперёд" in question
    [ask_time] = maria.press("Ввести другое время")
    assert "время рождения" in ask_time.lower()
    maria.send("04:00")

    user = maria.user
    assert (user.birth_place, user.birth_tz, user.birth_time) == ("Москва", "Europe/Moscow", time(4, 0))
    assert user.birth_utc == datetime(1990, 3, 25, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Питер", "Санкт-Петербург"),
        ("Ленинград", "Санкт-Петербург"),
        ("Свердловск", "Екатеринбург"),
        ("Горький", "Нижний Новгород"),
        ("г. Екатеринбург", "Екатеринбург"),
        ("Новосибрск", "Новосибирск"),
        ("Saint Petersburg", "Санкт-Петербург"),
    ],
)
def test_birthplaces_people_type(bot_settings, typed, expected):
    maria = member(bot_settings, birth_date=date(1980, 5, 5))
    maria.press_data("pf:place")

    saved, _card = maria.send(typed)

    assert f"Место рождения: <b>{expected}" in saved
    assert maria.user.birth_place == expected


def test_a_location_pin_picks_the_nearest_place(bot_settings):
    maria = member(bot_settings, birth_date=date(1980, 5, 5))
    maria.press_data("pf:place")

    saved, _ = maria.location(56.8389, 60.6057)

    assert "Екатеринбург" in saved
    user = maria.user
    assert user.birth_tz == "Asia/Yekaterinburg"
    assert user.birth_utc == datetime(1980, 5, 5, 7, 0, tzinfo=UTC)  # local noon, UTC+5 in 1980 summer


def test_a_pin_in_the_open_sea_is_answered(bot_settings):
    maria = member(bot_settings, birth_date=date(1980, 5, 5))
    maria.press_data("pf:place")

    assert "300 км" in maria.location(0.0, -140.0)[0]
    assert maria.user.state == "profile:place"


def test_changing_the_current_time_zone_never_touches_natal_data(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15), birth_time=time(14, 30), place=moscow())
    before = maria.user

    maria.press_data("pf:tz")
    saved, card = maria.send("Владивосток")
    assert "Владивосток (UTC+10:00)" in saved
    assert "Часовой пояс: Владивосток (UTC+10:00)" in card
    maria.press_data("pf:tz")
    maria.send("мск+2")
    after = maria.user

    assert after.current_tz == "Asia/Yekaterinburg"
    natal = ("birth_date", "birth_time", "birth_tz", "birth_utc", "birth_place", "sign")
    assert [getattr(after, f) for f in natal] == [getattr(before, f) for f in natal]


def test_the_time_zone_from_a_pin_and_odd_input(bot_settings):
    maria = member(bot_settings)
    maria.press_data("pf:tz")

    assert "Не нашёл" in maria.send("ывапролд")[0]
    assert "целых часах" in maria.send("UTC+15")[0]
    assert "текстом" not in maria.sticker()[0]
    maria.location(43.1155, 131.8855)
    assert maria.user.current_tz == "Asia/Vladivostok"


def test_notifications_on_off_and_time(bot_settings):
    maria = member(bot_settings)
    maria.send("/profile")
    card_id = bot_settings.calls_to("sendMessage")[-1].result["message_id"]

    maria.press("Выключить уведомления")
    assert maria.user.notify_enabled is False
    edited = bot_settings.calls_to("editMessageText")[-1]
    assert int(edited.params["message_id"]) == card_id
    assert "Ежедневный гороскоп: выключен" in edited.params["text"]
    assert "уведомления выключены" in maria.notices()[-1]

    maria.press("Включить уведомления")
    assert maria.user.notify_enabled is True

    maria.press_data("pf:notify")
    assert "Не получилось разобрать время" in maria.send("в обед")[0]
    saved, _ = maria.send("21.15")
    assert "21:15" in saved
    assert maria.user.notify_time == time(21, 15)
    assert maria.user.notify_changed_at is not None


def test_switching_the_language_changes_the_whole_interface_at_once(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15))
    maria.send("/profile")

    maria.press("Язык")
    changed, card = maria.press("English")

    assert changed == "Done: I will speak English now."
    assert "🔮 Horoscope" in maria.keyboard()
    assert "👤 <b>Your profile</b>" in card
    assert "Birth date: 15 Mar 1990 · ♓ Pisces" in card
    assert maria.user.language == "en"


def test_cancel_leaves_everything_as_it_was(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15))
    maria.press_data("pf:date")

    [card] = maria.press("Отмена")

    assert "Ваш профиль" in card
    user = maria.user
    assert (user.state, user.birth_date) == ("", date(1990, 3, 15))


@pytest.mark.parametrize(
    ("state", "data"),
    [("", "bp:524901"), ("", "bm:0"), ("profile:date", "nt:0900"), ("", "bd:unknown"), ("profile:tz", "bd:again")],
)
def test_stale_buttons_are_answered_and_change_nothing(bot_settings, state, data):
    maria = member(bot_settings, birth_date=date(1990, 3, 15))
    TelegramUser.objects.filter(telegram_id=maria.chat_id).update(state=state)
    before = maria.user

    assert maria.press_data(data) == []

    assert maria.notices() == ["Эта кнопка больше не действует. Вот меню."]
    after = maria.user
    assert (after.birth_place, after.birth_time, after.notify_time, after.state) == (
        before.birth_place,
        before.birth_time,
        before.notify_time,
        before.state,
    )


def test_forged_button_values_are_handled(bot_settings):
    maria = member(bot_settings, birth_date=date(1990, 3, 15))
    maria.press_data("pf:place")
    assert "Где вы родились?" in maria.press_data("bp:not-a-number")[0]
    assert "Где вы родились?" in maria.press_data("bp:999999999")[0]
    maria.press_data("pf:notify")
    assert "Не получилось разобрать время" in maria.press_data("nt:9999")[0]
    assert maria.press_data("pf:nonsense")[0].startswith("👤")


def test_invite_link_and_count(bot_settings):
    maria = member(bot_settings)
    maria.send("/profile")
    [invite] = maria.press("Пригласить друзей")
    code = maria.user.invite_code
    assert f"https://t.me/astrobot_fake_bot?start=ref_{code}" in invite
    assert "По вашей ссылке пока никто не пришёл." in invite
    assert " 0 " not in invite
    assert str(maria.chat_id) not in invite

    friend = Dialog(bot_settings, chat_id=7_100_000_099, first_name="Пётр")
    friend.send(f"/start ref_{code}")
    [invite] = maria.press("Пригласить друзей")

    assert TelegramUser.objects.get(telegram_id=friend.chat_id).invited_by == maria.user
    assert "пришёл 1 друг" in invite


def test_birth_data_request_asks_only_what_is_missing_then_resumes(bot_settings, monkeypatch):
    """The contract other features use: birth_data_request(..., resume=key), with key listed in the routes."""

    async def needs_birth(update, context):
        await birth_data_request(update, context, resume="test-chart")

    async def chart(update, context):
        user = context.db_user
        await send(update, f"CHART {user.birth_date} {user.birth_time_unknown} {user.birth_tz} {user.birth_utc:%H:%M}")

    feature = types.SimpleNamespace(register=lambda app: app.add_handler(CommandHandler("chart", needs_birth)))
    monkeypatch.setattr(bot_application, "FEATURES", (*bot_application.FEATURES, feature))
    routes = bot_application.ROUTES
    monkeypatch.setattr(
        bot_application, "ROUTES", dataclasses.replace(routes, resume={**routes.resume, "test-chart": chart})
    )

    maria = member(bot_settings, birth_date=date(1990, 3, 15))
    [question] = maria.send("/chart")
    assert "Знаете ли вы время рождения" in question
    assert "✖ Отмена" in {label for label, _, _ in maria.buttons()}
    maria.press("Не знаю")
    *_, done = maria.send("Москва")
    assert done == "CHART 1990-03-15 True Europe/Moscow 09:00"
    assert maria.user.state == ""

    assert maria.send("/chart") == ["CHART 1990-03-15 True Europe/Moscow 09:00"]

    other = member(bot_settings, chat_id=7_100_000_002)
    other.send("/chart")
    [cancelled] = other.press("Отмена")
    assert "ничего не изменилось" in cancelled


def test_profile_as_the_very_first_message(bot_settings):
    """A brand-new user's first word is /profile: the card shows the default daily time, not an error."""
    stranger = Dialog(bot_settings, chat_id=7_000_000_077, first_name="Вера")

    [card] = stranger.send("/profile")

    assert "09:00" in card
    assert TelegramUser.objects.get(telegram_id=7_000_000_077).notify_time == time(9, 0)
