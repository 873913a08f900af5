"""/privacy, /my_data and /delete_me end to end, and a scan of every table for what an erased person left."""

import json
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bot.models import TelegramUpdate
from bot.privacy import person
from payments.models import Payment
from tests.driver import Dialog
from tests.factories import PaymentFactory, TelegramUserFactory
from users import services
from users.models import TelegramUser
from users.places import get_index
from users.services import Birthplace, user_record_start, user_set_birth_data, user_set_notify

pytestmark = pytest.mark.django_db

CHAT = 7_345_678_901
NAME, USERNAME = "Зинаида", "zinaida_secret_42"


def onboarded_person(api) -> tuple[Dialog, TelegramUser]:
    """Someone who went through onboarding in the bot, with every kind of personal data."""
    zina = Dialog(api, chat_id=CHAT, first_name=NAME, username=USERNAME)
    zina.send("/start vk_ads_spring")
    zina.press("Русский")
    zina.send("05.06.1987")
    zina.send("07:45")
    zina.send("Кировск, Мурманская")
    zina.send("7:00")
    return zina, TelegramUser.objects.get(telegram_id=CHAT)


def test_privacy_policy_in_both_languages(bot_settings, settings):
    settings.BOT_SUPPORT_CONTACT = "@astro_help"
    [ru] = Dialog(bot_settings).send("/privacy")
    [en] = Dialog(bot_settings, chat_id=7_345_000_002, language_code="en").send("/privacy")

    assert "Политика конфиденциальности" in ru and "/delete_me" in ru and "@astro_help" in ru
    assert "Privacy policy" in en and "/my_data" in en
    assert f"version {services.PRIVACY_POLICY_VERSION}" in en


def test_my_data_exports_everything_stored(bot_settings, monkeypatch):
    monkeypatch.setattr(person, "EXPORTERS", (*person.EXPORTERS, lambda u: ("extra", [1])))
    zina, user = onboarded_person(bot_settings)

    zina.send("/my_data")

    document = bot_settings.calls_to("sendDocument")[-1]
    assert "Всё, что я о вас храню" in document.params["caption"]
    [body] = document.files.values()
    data = json.loads(body)
    profile = data["profile"]
    expected = {f.name for f in TelegramUser._meta.concrete_fields} - {"id", "invited_by"}
    assert expected <= set(profile)
    assert profile["telegram_id"] == CHAT
    assert (profile["username"], profile["first_name"]) == (USERNAME, NAME)
    assert (profile["birth_date"], profile["birth_time"], profile["birth_place"]) == (
        "1987-06-05",
        "07:45:00",
        "Кировск",
    )
    assert profile["birth_utc"] == "1987-06-05T03:45:00+00:00"  # Soviet summer time: UTC+4
    assert profile["source"] == "vk_ads_spring"
    assert profile["consent_at"] and profile["consent_version"] == services.PRIVACY_POLICY_VERSION
    assert profile["invite_code"] == user.invite_code
    assert profile["friends_invited"] == 0
    assert data["extra"] == [1]
    assert "payments" in data and "telegram_updates_kept" in data


def _markers(user: TelegramUser) -> list[str]:
    plain = [str(CHAT), USERNAME, NAME, "1987-06-05", "07:45", user.invite_code]
    # SQLite keeps JSON with \\u escapes: look for those spellings too.
    return plain + [json.dumps(m)[1:-1] for m in plain if json.dumps(m)[1:-1] != m]


def personal_data_left(markers: list[str]) -> list[str]:
    """Every (table, marker) where a piece of the person is still stored, anywhere in the database."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                cells = []
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    cells.append(
                        value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
                    )
                text = " ".join(cells)
                found += [f"{table}: {marker}" for marker in markers if marker in text]
    return found


def test_delete_me_leaves_no_personal_data_anywhere(bot_settings):
    zina, user = onboarded_person(bot_settings)
    friend = TelegramUserFactory(telegram_id=7_345_000_009, first_name="Друг")
    user_record_start(user_id=friend.pk, payload=f"ref_{user.invite_code}")
    # Traces elsewhere: a failed update kept for replay, a staff edit in the admin log, a payment.
    bot_settings.fail_next("sendMessage", "bad_request")
    zina.send("/profile")
    assert TelegramUpdate.objects.filter(chat_id=CHAT, status="failed").exclude(payload=None).exists()
    LogEntry.objects.create(
        user_id=_staff().pk,
        content_type=ContentType.objects.get_for_model(TelegramUser),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message="[]",
    )
    payment = PaymentFactory(
        user=user,
        provider="stars",
        amount=Decimal(150),
        currency="XTR",
        days=30,
        status="succeeded",
        raw={"from": {"id": CHAT, "username": USERNAME, "first_name": NAME}},
    )
    markers = _markers(user)
    before = personal_data_left(markers)
    assert any(hit.startswith("users_telegramuser") for hit in before)
    assert any(hit.startswith("bot_telegramupdate") for hit in before)
    assert any(hit.startswith("django_admin_log") for hit in before)
    assert any(hit.startswith("payments_payment") for hit in before)

    [confirm] = zina.send("/delete_me")
    assert "Стереть все ваши данные?" in confirm
    [edited, done] = zina.press("Да, стереть всё")

    assert edited == "🗑 Вы решили удалить данные: они удалены."
    assert "ваши данные стёрты" in done
    assert zina.keyboard() == []
    assert not TelegramUser.objects.filter(telegram_id=CHAT).exists()
    # Only the paid Stars payment's payer id is kept (Telegram refunds need it, /privacy says so): set it
    # aside, and nothing of the person is left.
    payment.refresh_from_db()
    assert payment.payer_telegram_id == CHAT
    Payment.objects.filter(pk=payment.pk).update(payer_telegram_id=None)
    assert personal_data_left(markers) == []
    payment.refresh_from_db()
    assert (payment.user_id, payment.amount, payment.status) == (None, Decimal(150), "succeeded")
    assert payment.payer_ref
    friend.refresh_from_db()
    assert friend.invited_by is None


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("staff", password="x")


def test_keep_my_data_and_an_expired_confirmation_erase_nothing(bot_settings):
    zina, _ = onboarded_person(bot_settings)
    TelegramUser.objects.filter(telegram_id=CHAT).update(first_seen_at=datetime.now(UTC) - timedelta(days=30))
    zina.send("/delete_me")

    assert zina.press("Оставить данные") == ["Вы решили сохранить данные: ничего не удалено."]
    old = int(clock.time()) - 3600
    [expired] = zina.press_data(f"pv:erase:{old}")
    assert "устарело" in expired
    [forged] = zina.press_data("pv:erase:yesterday")
    assert "устарело" in forged
    assert TelegramUser.objects.filter(telegram_id=CHAT).exists()


def test_premium_users_are_warned_before_erasing(bot_settings):
    zina, user = onboarded_person(bot_settings)
    services.user_premium_extend(user_id=user.pk, days=30)

    [confirm] = zina.send("/delete_me")

    assert "Премиум (до" in confirm


def test_an_erased_person_who_comes_back_starts_afresh(bot_settings):
    zina, old = onboarded_person(bot_settings)
    zina.send("/delete_me")
    zina.press("Да, стереть всё")

    [greeting] = zina.send("/start")

    assert "Здравствуйте" in greeting
    user = TelegramUser.objects.get(telegram_id=CHAT)
    assert user.pk != old.pk
    assert (user.birth_date, user.onboarded_at, user.source, user.consent_at) == (None, None, "", None)
    assert user.invite_code != old.invite_code


def test_erasing_runs_every_registered_eraser_before_the_row_goes(monkeypatch):
    user = TelegramUserFactory(telegram_id=CHAT, first_name=NAME)
    seen = []
    monkeypatch.setattr(
        person, "ERASERS", (*person.ERASERS, lambda u: seen.append(TelegramUser.objects.filter(pk=u.pk).exists()))
    )

    assert person.person_erase(user_id=user.pk) is True
    assert seen == [True]
    assert person.person_erase(user_id=user.pk) is False


def test_blocking_the_bot_is_recorded_and_cleared_on_return(bot_settings):
    zina = Dialog(bot_settings, chat_id=CHAT)
    zina.send("/start")

    zina.send_update(bot_settings.make_chat_member_update(CHAT, "kicked"))
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is not None
    zina.send_update(bot_settings.make_chat_member_update(CHAT, "member"))
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is None


def test_settings_changes_are_exported_as_they_are(bot_settings):
    user = TelegramUserFactory(telegram_id=CHAT, first_name=NAME)
    place = Birthplace.from_place(get_index().match("Москва")[0].place, "ru")
    user_set_birth_data(user_id=user.pk, birth_date=date(2000, 1, 1), birth_time=time(0, 5), place=place)
    user_set_notify(user_id=user.pk, enabled=False)

    profile = person.person_export(user_id=user.pk)["profile"]

    assert (profile["notify_enabled"], profile["birth_tz"], profile["sign"]) == (False, "Europe/Moscow", "capricorn")
    assert profile["birth_utc"] == "1999-12-31T21:05:00+00:00"
