"""What the bot says is true and in one language: a scripted tour of every command in Russian and English,
consent dates, buttons that never lie, place labels, history after a language switch and the small print."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.menu.texts import COMMANDS
from horoscopes.natal.services import natal_birth_moment, natal_wheel_png
from horoscopes.tarot.models import TarotReading
from horoscopes.tarot.services import tarot_reading_interpret
from tests.driver import Dialog
from tests.factories import TarotReadingFactory
from users.models import TelegramUser
from users.places import get_index
from users.places.countries import country_name

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

RU_CHAT, EN_CHAT = 7_412_000_001, 7_412_000_002
# Latin words a Russian reply may contain: names the Russian interface uses as they are.
LATIN_ALLOWED_IN_RUSSIAN = {"Telegram", "Stars", "UTC", "JSON", "MC"}
# The language chooser names each language in its own words; the person's own name and what they typed.
BILINGUAL = {"🌐 Русский / English", "Choose the language / Выберите язык", "Русский", "English"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'\-]*")


def _plain(text: str) -> str:
    """The words a person reads: no tags, entities, commands, links, usernames or placeholders."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"&[a-z]+;", " ", text)
    text = re.sub(r"https?://\S+|t\.me/\S+|@\w+|/[a-z_]+\b|\.json\b|astrobot-my-data-\S+", " ", text)
    for line in BILINGUAL:
        text = text.replace(line, " ")
    return text


def latin_words(text: str) -> set[str]:
    return {word for word in LATIN_WORD.findall(_plain(text)) if word not in LATIN_ALLOWED_IN_RUSSIAN}


def has_cyrillic(text: str) -> bool:
    return bool(CYRILLIC.search(_plain(text)))


def everything_read(dialog: Dialog) -> list[str]:
    """Every text, caption, toast and button label the person was shown."""
    read = []
    for call in dialog.history:
        params = call.params
        for key in ("text", "caption"):
            if isinstance(params.get(key), str):
                read.append(params[key])
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []) + markup.get("keyboard", []):
                read += [button["text"] if isinstance(button, dict) else button for button in row]
    return read


def repeated_lines(dialog: Dialog) -> list[str]:
    """Lines that occur twice within one message."""
    found = []
    for call in dialog.history:
        text = call.params.get("text") or call.params.get("caption") or ""
        lines = [line.strip() for line in str(text).splitlines() if line.strip()]
        found += [line for line in set(lines) if lines.count(line) > 1]
    return found


def onboard_russian(api) -> Dialog:
    zina = Dialog(api, chat_id=RU_CHAT, first_name="Зинаида", username="zina")
    zina.send("/start")
    zina.press("Русский")
    zina.send("05.06.1987")
    zina.send("07:45")
    zina.send("Кировск, Мурманская")
    zina.send("7:00")
    return zina


def onboard_english(api) -> Dialog:
    john = Dialog(api, chat_id=EN_CHAT, first_name="John", username="john", language_code="en")
    john.send("/start")
    john.press("English")
    john.send("15 March 1990")
    john.send("14:30")
    john.send("Springfield, Ohio")
    john.send("8:00")
    return john


def tour(dialog: Dialog, *, card_of_the_day: str, tomorrow: str, invite: str, keep: str) -> None:
    """Every command, and the buttons a curious person presses on the way."""
    for command in [name for name, _ in COMMANDS if name not in {"support", "paysupport", "delete_me"}]:
        dialog.send(f"/{command}")
    dialog.send("/tarot")
    dialog.press(card_of_the_day)
    dialog.send("/horoscope")
    dialog.press(tomorrow)
    dialog.send("/profile")
    dialog.press(invite)
    dialog.send("/support")
    dialog.send("/help")
    dialog.send("/paysupport")
    dialog.send("/help")
    dialog.send("/delete_me")
    dialog.press(keep)


# --- the tour --------------------------------------------------------------------------------------------------


@pytest.fixture
def no_throttle(settings):
    settings.TELEGRAM_USER_RATE_LIMIT = 10_000


def test_a_russian_tour_of_every_command_reads_russian_only(bot_settings, no_throttle):
    zina = onboard_russian(bot_settings)
    tour(zina, card_of_the_day="Карта дня", tomorrow="Завтра", invite="Пригласить", keep="Оставить данные")

    read = everything_read(zina)
    assert len(read) > 60
    leaks = {text[:80]: sorted(latin_words(text)) for text in read if latin_words(text)}
    assert leaks == {}
    assert repeated_lines(zina) == []
    assert not any("Springfield" in text or ", RU" in text for text in read)


def test_an_english_tour_of_every_command_reads_english_only(bot_settings, no_throttle):
    john = onboard_english(bot_settings)
    tour(john, card_of_the_day="Card of the day", tomorrow="Tomorrow", invite="Invite", keep="Keep my data")

    read = everything_read(john)
    assert len(read) > 60
    leaks = [text[:120] for text in read if has_cyrillic(text)]
    assert leaks == []
    assert not any("«" in text or "»" in text for text in read)
    assert repeated_lines(john) == []
    assert any("Springfield, Ohio, USA" in text for text in read)


# --- /help and the small print -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "support_line"),
    [
        ("ru", "Вопросы о боте — в /support, вопросы об оплате — в /paysupport"),
        ("en", "Questions about the bot go to /support, questions about payments to /paysupport"),
    ],
)
def test_terms_lead_to_the_support_inbox(bot_settings, language, support_line):
    [terms] = Dialog(bot_settings, chat_id=RU_CHAT, language_code=language).send("/terms")

    assert support_line in terms
    assert "description" not in terms and "описании" not in terms


@pytest.mark.parametrize(
    ("language", "nobody"),
    [("ru", "По вашей ссылке пока никто не пришёл."), ("en", "Nobody has joined through your link yet.")],
)
def test_nobody_invited_yet_reads_naturally(bot_settings, language, nobody):
    dialog = onboard_russian(bot_settings) if language == "ru" else onboard_english(bot_settings)
    dialog.send("/profile")
    [invite] = dialog.press("Пригласить" if language == "ru" else "Invite")

    assert nobody in invite
    assert " 0 " not in invite


# --- consent -----------------------------------------------------------------------------------------------


def _agreed_in_vladivostok(dialog: Dialog) -> None:
    TelegramUser.objects.filter(telegram_id=dialog.chat_id).update(
        consent_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC), current_tz="Asia/Vladivostok"
    )


def test_privacy_and_my_data_say_when_the_user_agreed_on_their_clock(bot_settings):
    zina = onboard_russian(bot_settings)
    john = onboard_english(bot_settings)
    for dialog in (zina, john):
        _agreed_in_vladivostok(dialog)
    version = zina.user.consent_version
    assert version

    [ru] = zina.send("/privacy")
    [en] = john.send("/privacy")
    assert f"✅ Вы приняли эту политику (версия {version}) 02.03.2026 в 08:30 по вашему времени." in ru
    assert f"✅ You accepted this policy (version {version}) on 2 Mar 2026 at 08:30, your time." in en

    [ru_export] = zina.send("/my_data")
    [en_export] = john.send("/my_data")
    assert "02.03.2026 в 08:30" in ru_export
    assert "on 2 Mar 2026 at 08:30" in en_export


@pytest.mark.parametrize(
    ("language", "not_yet"),
    [("ru", "Вы ещё не принимали эту политику"), ("en", "You have not accepted this policy yet")],
)
def test_privacy_before_agreeing_says_so(bot_settings, language, not_yet):
    [policy] = Dialog(bot_settings, chat_id=RU_CHAT, language_code=language).send("/privacy")

    assert not_yet in policy


# --- buttons never lie -------------------------------------------------------------------------------------


def test_keep_my_data_after_erasing_changes_nothing_and_says_so(bot_settings):
    zina = onboard_russian(bot_settings)
    zina.send("/tarot")
    [_question] = zina.send("/delete_me")
    buttons = {label: (data, message_id) for label, data, message_id in zina.buttons()}
    keep, confirm_id = buttons["Оставить данные"]
    tarot_day, _ = buttons["🌅 Карта дня"]

    edited, farewell = zina.press("Да, стереть всё")
    assert edited == "🗑 Вы решили удалить данные: они удалены."
    assert "ваши данные стёрты" in farewell

    assert zina.press_data(keep, confirm_id) == []
    assert zina.press_data(tarot_day, confirm_id) == []
    assert (
        zina.notices()[-2:]
        == ["Ваших данных у меня больше нет, поэтому кнопка ничего не изменит. Чтобы начать заново, отправьте /start."]
        * 2
    )
    assert not TelegramUser.objects.filter(telegram_id=RU_CHAT).exists()
    assert "Nothing was erased" not in " ".join(everything_read(zina))
    assert "ничего не удалено" not in " ".join(everything_read(zina)[-3:])


def test_the_confirmation_is_edited_after_keeping(bot_settings):
    john = onboard_english(bot_settings)
    TelegramUser.objects.filter(telegram_id=EN_CHAT).update(first_seen_at=datetime.now(UTC) - timedelta(days=3))
    john.send("/delete_me")
    [kept] = john.press("Keep my data")

    [edit] = [call for call in john.history if call.method == "editMessageText"]
    assert edit.params["text"] == kept == "You chose to keep your data: nothing was erased."
    assert not [button for button in john.buttons() if button[1].startswith("pv:")]
    assert TelegramUser.objects.filter(telegram_id=EN_CHAT).exists()


def test_a_question_from_before_an_erase_does_not_speak_for_the_new_account(bot_settings):
    zina = onboard_russian(bot_settings)
    zina.send("/delete_me")
    [(_, keep, confirm_id)] = [button for button in zina.buttons() if button[0] == "Оставить данные"]
    [(_, erase, _)] = [button for button in zina.buttons() if "стереть" in button[0]]
    zina.press("Да, стереть всё")
    TelegramUser.objects.all().delete()  # belt and braces: nobody is left
    zina.send("/start")  # a new account, created after the question was asked
    TelegramUser.objects.filter(telegram_id=RU_CHAT).update(first_seen_at=datetime.now(UTC) + timedelta(seconds=5))

    [stale] = zina.press_data(keep, confirm_id)
    assert "уже удалены" in stale
    [stale_erase] = zina.press_data(erase, confirm_id)
    assert "уже удалены" in stale_erase
    assert TelegramUser.objects.filter(telegram_id=RU_CHAT).exists()


# --- history after the day and after a language switch ----------------------------------------------------


def _last_message_id(dialog: Dialog) -> int:
    return next(c.result["message_id"] for c in reversed(dialog.history) if isinstance(c.result, dict))


def test_an_old_card_of_the_day_from_history_does_not_claim_today(bot_settings):
    zina = onboard_russian(bot_settings)
    old = TarotReadingFactory(
        user=zina.user,
        kind=TarotReading.Kind.DAY,
        local_date=date.today() - timedelta(days=3),
        language="ru",
    )
    zina.send("/tarot")
    zina.press("Карта дня")
    today = [call for call in zina.history if call.method == "sendPhoto"][-1]
    assert "с вами весь день" in today.params["caption"]

    zina.press_data(f"tr:o:{old.pk}", _last_message_id(zina))
    reopened = [call for call in zina.history if call.method == "sendPhoto"][-1]
    caption = reopened.params["caption"]
    assert "весь день" not in caption
    assert "Это была ваша карта дня" in caption


def test_a_russian_reading_is_told_again_in_english_after_a_language_switch(bot_settings):
    john = onboard_english(bot_settings)
    reading = TarotReadingFactory(
        user=john.user,
        kind=TarotReading.Kind.THREE,
        language="ru",
        question="",
        cards=[
            {"key": "the_fool", "reversed": False, "position": 0},
            {"key": "the_sun", "reversed": True, "position": 1},
            {"key": "the_star", "reversed": False, "position": 2},
        ],
    )
    reading = tarot_reading_interpret(reading_id=reading.pk)
    assert has_cyrillic(reading.interpretation)

    john.send("/tarot")
    shown = john.press_data(f"tr:o:{reading.pk}", _last_message_id(john))
    assert len(shown) >= 2
    assert any("told again in English" in text for text in shown)
    assert not any(has_cyrillic(text) for text in shown)


# --- places and the wheel ------------------------------------------------------------------------------------


def test_places_are_labelled_in_the_users_language():
    index = get_index()
    spb = index.search("Санкт-Петербург")[0]
    springfield = next(p for p in index.search("Springfield") if p.region_en == "Ohio")

    assert spb.title("ru") == "Санкт-Петербург, Россия"
    assert spb.title("en") == "Saint Petersburg, Russia"
    assert springfield.title("ru") == "Спрингфилд, Огайо, США"
    assert springfield.title("en") == "Springfield, Ohio, USA"


def test_every_country_has_a_name_in_each_language():
    index = get_index()
    codes = {place.country for place in index.all_places()}
    assert len(codes) > 200
    for code in codes:
        assert CYRILLIC.search(country_name(code, "ru")), code
        assert not CYRILLIC.search(country_name(code, "en")), code


def test_russian_place_titles_have_no_latin_where_the_place_has_a_russian_name():
    leaks = [
        place.title("ru")
        for place in get_index().all_places()
        if place.country in {"RU", "US", "CA", "KZ", "BY", "UA"}
        and CYRILLIC.search(place.name_ru)
        and LATIN_WORD.search(place.title("ru"))
    ]
    assert leaks == []


@pytest.mark.parametrize(
    ("language", "moment", "place"),
    [
        ("ru", "05.06.1987, 07:45", "Кировск, Мурманская обл., Россия"),
        ("en", "5 Jun 1987, 07:45", "Kirovsk, Murmansk Oblast, Russia"),
    ],
)
def test_the_wheel_footer_shows_the_local_birth_time_and_the_place(bot_settings, drawn_texts, language, moment, place):
    user = onboard_russian(bot_settings).user
    drawn = drawn_texts
    assert natal_birth_moment(user, language) == moment
    natal_wheel_png(user=user, language=language)

    assert moment in drawn
    assert place in drawn
    assert not any("UTC" in line or "°N" in line for line in drawn)
    assert user.birth_time == time(7, 45)
