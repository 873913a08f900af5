"""The users services and selectors against the real database: birth data, settings, growth, local dates."""

import importlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from bot.profile.flow import dominant_place, tz_from_offset
from tests.concurrency import race
from tests.factories import TelegramUserFactory
from users.birth import MomentStatus
from users.models import TelegramUser
from users.places import get_index
from users.selectors import tz_label, user_birth_data_missing, user_local_date, user_local_now
from users.services import (
    KEEP,
    BirthMomentUnclear,
    Birthplace,
    TelegramProfile,
    start_payload_clean,
    user_consent_record,
    user_invite_code,
    user_onboarding_complete,
    user_record_start,
    user_set_birth_data,
    user_set_current_tz,
    user_set_notify,
    user_set_sign,
    user_touch,
)

pytestmark = pytest.mark.django_db


def place(name: str, country: str = "RU") -> Birthplace:
    found = next(m.place for m in get_index().match(name, limit=10) if m.place.country == country)
    return Birthplace.from_place(found, "ru")


MOSCOW = place("Москва")


@pytest.fixture
def user() -> TelegramUser:
    return user_touch(profile=TelegramProfile(telegram_id=5_000_000_001, first_name="Вера", language_code="ru"))


# --- birth data ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "country", "day", "at", "expected"),
    [
        # Soviet-era summer time in Moscow (UTC+4) and winter time (UTC+3).
        ("Москва", "RU", date(1984, 7, 10), time(12, 0), datetime(1984, 7, 10, 8, 0, tzinfo=UTC)),
        ("Москва", "RU", date(1984, 1, 10), time(12, 0), datetime(1984, 1, 10, 9, 0, tzinfo=UTC)),
        # Samara 1990: UTC+3 in winter after the 1989 change.
        ("Самара", "RU", date(1990, 1, 10), time(12, 0), datetime(1990, 1, 10, 9, 0, tzinfo=UTC)),
        # Permanent summer time 2011-2014.
        ("Москва", "RU", date(2013, 1, 10), time(12, 0), datetime(2013, 1, 10, 8, 0, tzinfo=UTC)),
        ("Екатеринбург", "RU", date(1995, 6, 1), time(0, 30), datetime(1995, 5, 31, 18, 30, tzinfo=UTC)),
        ("London", "GB", date(1990, 7, 1), time(12, 0), datetime(1990, 7, 1, 11, 0, tzinfo=UTC)),
    ],
)
def test_birth_moment_uses_the_birthplace_history(user, city, country, day, at, expected):
    saved = user_set_birth_data(user_id=user.pk, birth_date=day, birth_time=at, place=place(city, country))

    assert saved.birth_utc == expected
    assert TelegramUser.objects.get(pk=user.pk).birth_utc == expected


def test_a_time_in_the_spring_gap_is_refused_until_the_user_chooses(user):
    with pytest.raises(BirthMomentUnclear) as unclear:
        user_set_birth_data(
            user_id=user.pk, birth_date=date(1990, 3, 25), birth_time=time(2, 30), place=place("Москва")
        )

    assert unclear.value.status == MomentStatus.NONEXISTENT
    assert sorted(unclear.value.options) == [
        datetime(1990, 3, 24, 22, 30, tzinfo=UTC),
        datetime(1990, 3, 24, 23, 30, tzinfo=UTC),
    ]
    assert TelegramUser.objects.get(pk=user.pk).birth_date is None  # nothing saved

    earlier = unclear.value.options.index(datetime(1990, 3, 24, 22, 30, tzinfo=UTC))
    saved = user_set_birth_data(
        user_id=user.pk, birth_date=date(1990, 3, 25), birth_time=time(2, 30), place=place("Москва"), fold=earlier
    )
    assert saved.birth_utc == datetime(1990, 3, 24, 22, 30, tzinfo=UTC)
    # The clocks showed 01:30 at that instant: that is what is kept, with no ambiguity left.
    assert (saved.birth_time, saved.birth_time_fold) == (time(1, 30), None)


def test_an_hour_that_happened_twice_keeps_the_choice(user):
    with pytest.raises(BirthMomentUnclear) as unclear:
        user_set_birth_data(
            user_id=user.pk, birth_date=date(1990, 9, 30), birth_time=time(2, 30), place=place("Москва")
        )
    assert unclear.value.status == MomentStatus.AMBIGUOUS

    saved = user_set_birth_data(
        user_id=user.pk, birth_date=date(1990, 9, 30), birth_time=time(2, 30), place=place("Москва"), fold=1
    )

    assert (saved.birth_time, saved.birth_time_fold) == (time(2, 30), 1)
    assert saved.birth_utc == datetime(1990, 9, 29, 23, 30, tzinfo=UTC)
    # Changing something else recomputes, and asks again when the time is still ambiguous.
    with pytest.raises(BirthMomentUnclear):
        user_set_birth_data(user_id=user.pk, place=place("Тула"))
    moved = user_set_birth_data(user_id=user.pk, birth_date=date(1990, 9, 29))
    assert moved.birth_time_fold is None and moved.birth_utc == datetime(1990, 9, 28, 22, 30, tzinfo=UTC)


def test_unknown_time_place_and_sign(user):
    saved = user_set_birth_data(user_id=user.pk, birth_date=date(1990, 3, 25), time_unknown=True)
    assert (saved.sign, saved.birth_utc) == ("aries", None)
    assert user_birth_data_missing(saved) == ("place",)

    saved = user_set_birth_data(user_id=user.pk, place=place("Москва"))
    # Local noon stands in for an unknown time; no question even on a clock-change day.
    assert saved.birth_utc == datetime(1990, 3, 25, 8, 0, tzinfo=UTC)
    assert user_birth_data_missing(saved) == ()

    saved = user_set_birth_data(user_id=user.pk, birth_time=time(23, 59))
    assert (saved.birth_time, saved.birth_time_unknown) == (time(23, 59), False)

    saved = user_set_birth_data(user_id=user.pk, place=None)
    assert (saved.birth_tz, saved.birth_place, saved.birth_lat, saved.birth_utc) == ("", "", None, None)
    assert saved.birth_time == time(23, 59)

    saved = user_set_birth_data(user_id=user.pk, birth_date=None)
    assert (saved.birth_date, saved.sign) == (None, "")


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": date(1899, 12, 31)},
        {"birth_date": timezone.now().date() + timedelta(days=2)},
        {"birth_time": time(12, 0), "time_unknown": True},
        {"place": Birthplace(name="Nowhere", region="", country="", lat=0, lon=0, tz="Mars/Olympus")},
        {"place": Birthplace(name="Nowhere", region="", country="", lat=95, lon=0, tz="UTC")},
    ],
)
def test_impossible_birth_data_is_refused(user, changes):
    with pytest.raises(ValueError):
        user_set_birth_data(user_id=user.pk, **changes)


def test_keep_leaves_fields_alone(user):
    user_set_birth_data(user_id=user.pk, birth_date=date(2001, 2, 3), birth_time=time(4, 5))

    saved = user_set_birth_data(user_id=user.pk, birth_date=KEEP, birth_time=KEEP, place=place("Москва"))

    assert (saved.birth_date, saved.birth_time) == (date(2001, 2, 3), time(4, 5))


def test_the_current_time_zone_is_separate_from_natal_data(user):
    user_set_birth_data(user_id=user.pk, birth_date=date(1990, 3, 15), birth_time=time(14, 30), place=place("Москва"))

    saved = user_set_current_tz(user_id=user.pk, tz="Asia/Vladivostok")

    assert saved.current_tz == "Asia/Vladivostok"
    assert (saved.birth_tz, saved.birth_utc) == ("Europe/Moscow", datetime(1990, 3, 15, 11, 30, tzinfo=UTC))
    with pytest.raises(ValueError):
        user_set_current_tz(user_id=user.pk, tz="Europe/Atlantis")


def test_a_sign_without_a_birth_date(user):
    assert user_set_sign(user_id=user.pk, sign="leo").sign == "leo"
    with pytest.raises(ValueError):
        user_set_sign(user_id=user.pk, sign="ophiuchus")
    user_set_birth_data(user_id=user.pk, birth_date=date(1990, 3, 15))
    with pytest.raises(ValueError):
        user_set_sign(user_id=user.pk, sign="leo")


def test_notification_settings(user):
    saved = user_set_notify(user_id=user.pk, at=time(7, 30, 59))
    assert (saved.notify_enabled, saved.notify_time) == (True, time(7, 30))
    saved = user_set_notify(user_id=user.pk, enabled=False)
    assert (saved.notify_enabled, saved.notify_time) == (False, time(7, 30))
    assert saved.notify_changed_at is not None


# --- growth and consent ------------------------------------------------------------------------------


def test_invites_count_once_never_for_oneself_and_never_change(user):
    inviter = user_touch(profile=TelegramProfile(telegram_id=5_000_000_002))
    other = user_touch(profile=TelegramProfile(telegram_id=5_000_000_003))

    assert user_record_start(user_id=user.pk, payload=f"ref_{user.invite_code}").invited_by is None
    assert user_record_start(user_id=user.pk, payload=f"ref_{inviter.invite_code}").invited_by == inviter
    assert user_record_start(user_id=user.pk, payload=f"ref_{other.invite_code}").invited_by == inviter
    assert TelegramUser.objects.get(pk=user.pk).source == "invite"


def test_someone_already_onboarded_is_not_counted_as_invited(user):
    inviter = user_touch(profile=TelegramProfile(telegram_id=5_000_000_002))
    user_onboarding_complete(user_id=user.pk)

    assert user_record_start(user_id=user.pk, payload=f"ref_{inviter.invite_code}").invited_by is None


def test_sources_are_sanitised_and_the_first_one_stays(user):
    assert user_record_start(user_id=user.pk, payload="ref_unknown-code").invited_by is None
    assert TelegramUser.objects.get(pk=user.pk).source == "invite"

    fresh = user_touch(profile=TelegramProfile(telegram_id=5_000_000_004))
    assert user_record_start(user_id=fresh.pk, payload="привет!!").source == ""
    assert user_record_start(user_id=fresh.pk, payload="vk-ads_2026!!").source == "vk-ads_2026"
    assert user_record_start(user_id=fresh.pk, payload="telegram_ads").source == "vk-ads_2026"
    assert start_payload_clean("x" * 100) == "x" * 64
    assert start_payload_clean(None) == ""


def test_invite_codes_are_random_and_not_the_telegram_id(user):
    other = user_touch(profile=TelegramProfile(telegram_id=5_000_000_002))

    assert user.invite_code and other.invite_code and user.invite_code != other.invite_code
    assert str(user.telegram_id) not in user.invite_code
    TelegramUser.objects.filter(pk=user.pk).update(invite_code=None)
    made = user_invite_code(user_id=user.pk)
    assert made and user_invite_code(user_id=user.pk) == made


def test_consent_is_recorded_once_per_policy_version(user):
    first = user_consent_record(user_id=user.pk, version="v1").consent_at
    assert user_consent_record(user_id=user.pk, version="v1").consent_at == first
    again = user_consent_record(user_id=user.pk, version="v2")
    assert again.consent_version == "v2" and again.consent_at >= first


# --- local clock and labels ---------------------------------------------------------------------------


def test_today_is_the_users_local_date(user):
    instant = datetime(2024, 1, 1, 20, 30, tzinfo=UTC)
    user.current_tz = "Asia/Vladivostok"
    assert user_local_date(user, instant) == date(2024, 1, 2)
    assert user_local_now(user, instant).hour == 6
    user.current_tz = "America/Los_Angeles"
    assert user_local_date(user, instant) == date(2024, 1, 1)
    user.current_tz = "Not/AZone"
    assert user_local_date(user, instant) == date(2024, 1, 1)  # the project's zone, Moscow: 23:30
    assert user_local_now(user, instant.replace(tzinfo=None)).hour == 23


def test_time_zone_labels():
    at = datetime(2024, 1, 10, tzinfo=UTC)
    assert tz_label("Asia/Yekaterinburg", "ru", at) == "Екатеринбург (UTC+05:00)"
    assert tz_label("Asia/Yekaterinburg", "en", at) == "Yekaterinburg (UTC+05:00)"
    assert tz_label("America/New_York", "en", at) == "New York City (UTC-05:00)"
    assert tz_label("Etc/GMT-5", "ru", at) == "UTC+05:00"
    assert tz_label("Nope/Nope", "ru", at) == "Nope/Nope"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("UTC+5", "Etc/GMT-5"),
        ("gmt -3", "Etc/GMT+3"),
        ("+03:00", "Etc/GMT-3"),
        ("UTC−2", "Etc/GMT+2"),
        ("utc", "Etc/UTC"),
        ("UTC+0", "Etc/UTC"),
        ("МСК", "Europe/Moscow"),
        ("мск+2", "Asia/Yekaterinburg"),
        ("MSK-1", "Europe/Kaliningrad"),
        ("МСК+10", ""),
        ("UTC+15", ""),
        ("UTC+5:30", ""),
        ("Москва", None),
        ("5", None),
    ],
)
def test_offsets_people_type(typed, zone):
    assert tz_from_offset(typed) == zone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Москва", "Москва"),
        ("Ленинград", "Санкт-Петербург"),
        ("Ростов", "Ростов-на-Дону"),
        ("Кировск", None),
        ("Springfield", None),
        ("Berezovsky", None),
        ("Кировск, Ленинградская", "Кировск"),
        ("Новосибрск", "Новосибирск"),
    ],
)
def test_which_typed_names_need_a_question(typed, expected):
    chosen = dominant_place(get_index().match(typed, limit=5), typed)
    assert (chosen.name_ru if chosen else None) == expected


# --- migration, concurrency ---------------------------------------------------------------------------


def test_the_migration_fills_invite_codes_and_marks_known_users_onboarded():
    migration = importlib.import_module("users.migrations.0002_onboarding_profile_privacy")
    old = TelegramUserFactory(telegram_id=1, birth_date=date(1990, 1, 1), invite_code=None)
    new = TelegramUserFactory(telegram_id=2, invite_code=None)

    migration.fill_existing_users(apps, None)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.invite_code and new.invite_code and old.invite_code != new.invite_code
    assert old.onboarded_at == old.first_seen_at and new.onboarded_at is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_invite_links_set_one_inviter():
    newcomer = TelegramUserFactory(telegram_id=9_000_000_001)
    inviters = [TelegramUserFactory(telegram_id=9_000_000_010 + i, invite_code=f"code{i}") for i in range(8)]
    results = race(
        lambda i: user_record_start(user_id=newcomer.pk, payload=f"ref_{inviters[i].invite_code}").invited_by_id,
        len(inviters),
    )

    newcomer.refresh_from_db()
    assert newcomer.invited_by_id in {i.pk for i in inviters}
    # Every call saw the one inviter that won the lock, never another.
    assert set(results) == {newcomer.invited_by_id}
