"""The daily push: once per user per local day at their own time, across zones, DST, outages and crashes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bot.horoscope import tasks as delivery
from bot.models import Lease
from bot.schedules import SCHEDULES
from horoscopes.daily import services
from horoscopes.daily.models import PersonalHoroscope, PersonalStatus, PushDelivery, PushStatus
from tests.concurrency import race
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def subscriber(tz: str = "Europe/Moscow", at: str = "09:00", **fields: object) -> TelegramUser:
    """A Leo, here since 2025, who wants the horoscope at `at` in `tz`."""
    values = {
        "sign": "leo",
        "current_tz": tz,
        "notify_time": time.fromisoformat(at),
        "first_seen_at": utc(2025, 1, 1),
        "onboarded_at": utc(2025, 1, 1),
    }
    return TelegramUserFactory(**{**values, **fields})


def run_at(moment: datetime, **kwargs: object) -> delivery.PushReport:
    return delivery.push_run(now_fn=lambda: moment, **kwargs)


def texts_to(api, user: TelegramUser) -> list[str]:
    return [call.params["text"] for call in api.sent_to(user.telegram_id) if call.status == 200]


def test_moscow_user_gets_it_once_at_their_time(bot_settings):
    user = subscriber(at="09:00")

    assert run_at(utc(2025, 3, 10, 5, 59)).sent == 0  # 08:59 in Moscow
    report = run_at(utc(2025, 3, 10, 6, 0))
    assert (report.claimed, report.sent) == (1, 1)
    assert run_at(utc(2025, 3, 10, 6, 5)).sent == 0
    assert run_at(utc(2025, 3, 10, 20, 0)).sent == 0

    [text] = texts_to(bot_settings, user)
    assert "Лев" in text and "10 марта" in text and "/profile" in text
    row = PushDelivery.objects.get()
    assert (row.status, row.local_date, row.personal) == (PushStatus.SENT, date(2025, 3, 10), False)
    assert row.message_id is not None and row.sent_at is not None
    [call] = bot_settings.sent_to(user.telegram_id)
    buttons = [b["callback_data"] for r in call.params["reply_markup"]["inline_keyboard"] for b in r]
    assert "hs:v:leo:20250311" in buttons  # tomorrow, in the user's own calendar


def test_vladivostok_and_new_york_each_at_their_own_local_time(bot_settings):
    vladivostok = subscriber("Asia/Vladivostok", "08:00", language="en", sign="aries")
    new_york = subscriber("America/New_York", "19:30", language="en", sign="pisces")

    run_at(utc(2025, 3, 10, 21, 59))  # 07:59 in Vladivostok (11 March), 17:59 in New York
    assert not texts_to(bot_settings, vladivostok)
    run_at(utc(2025, 3, 10, 22, 0))
    [text] = texts_to(bot_settings, vladivostok)
    assert "Aries" in text and "11 March" in text
    assert not texts_to(bot_settings, new_york)

    run_at(utc(2025, 3, 10, 23, 29))  # 19:29 EDT
    assert not texts_to(bot_settings, new_york)
    run_at(utc(2025, 3, 10, 23, 30))
    [text] = texts_to(bot_settings, new_york)
    assert "Pisces" in text and "10 March" in text
    assert len(texts_to(bot_settings, vladivostok)) == 1


def test_spring_forward_time_that_never_existed_goes_out_when_the_clock_jumps(bot_settings):
    # 9 March 2025 in New York: 02:00 EST became 03:00 EDT; 02:30 never happened.
    user = subscriber("America/New_York", "02:30", language="en")

    run_at(utc(2025, 3, 9, 6, 59))  # 01:59 EST
    assert not texts_to(bot_settings, user)
    run_at(utc(2025, 3, 9, 7, 0))  # 03:00 EDT
    run_at(utc(2025, 3, 9, 7, 30))
    assert len(texts_to(bot_settings, user)) == 1


def test_fall_back_time_that_happened_twice_goes_out_once(bot_settings):
    # 2 November 2025 in New York: 01:00-02:00 happened twice (EDT, then EST).
    user = subscriber("America/New_York", "01:30", language="en")

    run_at(utc(2025, 11, 2, 5, 30))  # 01:30 EDT
    run_at(utc(2025, 11, 2, 6, 30))  # 01:30 EST, the same wall time again
    run_at(utc(2025, 11, 2, 7, 30))
    assert len(texts_to(bot_settings, user)) == 1
    assert PushDelivery.objects.get().local_date == date(2025, 11, 2)


def test_after_an_outage_the_same_day_it_comes_late_once_and_never_for_days_gone(bot_settings):
    user = subscriber(at="09:00")

    run_at(utc(2025, 3, 10, 12, 0))  # the worker was down from 08:00 to 15:00 Moscow time
    run_at(utc(2025, 3, 10, 12, 1))
    assert len(texts_to(bot_settings, user)) == 1

    # Down all of 11 March: nothing is sent for it on the 12th before the user's time, nor after.
    run_at(utc(2025, 3, 12, 5, 0))
    assert len(texts_to(bot_settings, user)) == 1
    run_at(utc(2025, 3, 12, 6, 0))
    assert len(texts_to(bot_settings, user)) == 2
    assert sorted(PushDelivery.objects.values_list("local_date", flat=True)) == [date(2025, 3, 10), date(2025, 3, 12)]


def test_the_edges_of_the_clock_utc_minus_12_and_plus_14(bot_settings):
    baker = subscriber("Etc/GMT+12", "09:00", language="en", sign="virgo")
    kiritimati = subscriber("Pacific/Kiritimati", "09:00", language="en", sign="libra")

    run_at(utc(2025, 6, 1, 19, 0))  # 09:00 on 2 June at UTC+14; 07:00 on 1 June at UTC-12
    run_at(utc(2025, 6, 1, 21, 0))  # 09:00 on 1 June at UTC-12
    [kiritimati_text] = texts_to(bot_settings, kiritimati)
    [baker_text] = texts_to(bot_settings, baker)
    assert "2 June" in kiritimati_text and "1 June" in baker_text
    days = dict(PushDelivery.objects.values_list("user__current_tz", "local_date"))
    assert days == {"Pacific/Kiritimati": date(2025, 6, 2), "Etc/GMT+12": date(2025, 6, 1)}


def test_a_user_who_joined_after_todays_time_starts_tomorrow(bot_settings):
    user = subscriber(at="09:00", first_seen_at=utc(2025, 3, 10, 10, 0))  # 13:00 in Moscow

    run_at(utc(2025, 3, 10, 10, 5))
    run_at(utc(2025, 3, 10, 11, 0))
    assert not bot_settings.sent_to(user.telegram_id)
    assert PushDelivery.objects.get().status == PushStatus.SKIPPED
    run_at(utc(2025, 3, 11, 6, 0))
    assert len(texts_to(bot_settings, user)) == 1


def test_who_gets_nothing(bot_settings):
    off = subscriber(notify_enabled=False)
    blocked = subscriber(blocked_at=timezone.now())
    no_sign = subscriber(sign="")
    later = subscriber(at="18:00")

    assert run_at(utc(2025, 3, 10, 6, 0)).claimed == 0
    for user in (off, blocked, no_sign, later):
        assert not bot_settings.sent_to(user.telegram_id)


def test_a_user_who_blocked_the_bot_is_marked_and_skipped_afterwards(bot_settings):
    user = subscriber()
    bot_settings.block_chat(user.telegram_id)

    report = run_at(utc(2025, 3, 10, 6, 0))

    assert report.blocked == 1
    assert PushDelivery.objects.get().status == PushStatus.BLOCKED
    user.refresh_from_db()
    assert user.blocked_at is not None
    assert run_at(utc(2025, 3, 11, 6, 0)).claimed == 0


def test_premium_users_get_their_personal_horoscope(bot_settings):
    premium = subscriber(
        language="en",
        sign="taurus",
        birth_date=date(1990, 5, 15),
        premium_until=timezone.now() + timedelta(days=30),
    )
    free = subscriber(language="en", sign="taurus", birth_date=date(1990, 5, 15))

    run_at(utc(2025, 3, 10, 6, 0))

    [personal] = texts_to(bot_settings, premium)
    [general] = texts_to(bot_settings, free)
    assert "personal horoscope" in personal and "Sun in Taurus" in personal
    assert "Taurus ·" in general and "personal horoscope" not in general
    row = PushDelivery.objects.get(user=premium)
    assert row.personal and row.status == PushStatus.SENT
    assert PersonalHoroscope.objects.get(user=premium).status == PersonalStatus.READY


def test_personal_horoscopes_are_written_ahead_of_the_push_time(bot_settings):
    user = subscriber(at="09:00", birth_date=date(1990, 5, 15), premium_until=timezone.now() + timedelta(days=30))

    report = run_at(utc(2025, 3, 10, 5, 15))  # 08:15 in Moscow: due within the hour

    assert report.prepared == 1 and report.sent == 0
    assert PersonalHoroscope.objects.get(user=user, date=date(2025, 3, 10)).status == PersonalStatus.READY
    assert run_at(utc(2025, 3, 10, 5, 20)).prepared == 0  # once


def test_a_premium_push_waits_a_little_for_a_personal_text_being_written_then_goes_offline(bot_settings):
    user = subscriber(at="09:00", birth_date=date(1990, 5, 15), premium_until=timezone.now() + timedelta(days=30))
    moment = utc(2025, 3, 10, 6, 0)
    # A worker is writing it right now (requested a minute ago): the push waits for it.
    PersonalHoroscope.objects.create(
        user=user, date=date(2025, 3, 10), language="ru", requested_at=moment - timedelta(minutes=1)
    )

    assert run_at(moment).claimed == 0
    assert run_at(moment + timedelta(minutes=3)).claimed == 0
    report = run_at(moment + timedelta(minutes=11))

    assert report.sent == 1
    personal = PersonalHoroscope.objects.get()
    assert (personal.status, personal.source) == (PersonalStatus.READY, "offline")
    assert "персональный гороскоп" in texts_to(bot_settings, user)[0].lower()


def test_a_run_killed_mid_way_is_resumed_without_resending(bot_settings):
    users = [subscriber() for _ in range(5)]
    moment = utc(2025, 3, 10, 6, 0)
    # A run claimed all five, sent two, was handing one over to Telegram, then died.
    claimed = services.push_claim(run="deadrun", now=moment)
    assert len(claimed) == 5
    for row in claimed[:2]:
        services.push_finish(delivery_id=row.pk, status=PushStatus.SENT, message_id=1)
    assert services.push_start_sending(delivery_id=claimed[2].pk, token=claimed[2].batch)

    report = run_at(moment + timedelta(minutes=1))

    assert report.sent == 2  # the two never handed over; the one mid-send is not risked twice
    sent = {user.pk for user in users if bot_settings.sent_to(user.telegram_id)}
    assert sent == {row.user_id for row in claimed[3:]}
    statuses = sorted(PushDelivery.objects.values_list("status", flat=True))
    assert statuses == ["sending", "sent", "sent", "sent", "sent"]


def test_rows_left_pending_from_a_day_that_is_over_are_not_sent(bot_settings):
    user = subscriber()
    services.push_claim(run="deadrun", now=utc(2025, 3, 10, 6, 0))

    run_at(utc(2025, 3, 11, 5, 0))  # the next day, before the user's time

    assert not bot_settings.sent_to(user.telegram_id)
    row = PushDelivery.objects.get()
    assert row.status == PushStatus.FAILED and "day ended" in row.error


def test_a_second_worker_finds_the_lease_taken_and_sends_nothing(bot_settings):
    subscriber()
    Lease.objects.create(
        name="telegram-mass-send", holder="other-host:1:x", expires_at=timezone.now() + timedelta(seconds=30)
    )

    report = run_at(utc(2025, 3, 10, 6, 0))

    assert report.busy and report.claimed == 0
    assert not bot_settings.calls_to("sendMessage")


def test_a_run_stops_at_its_time_budget_and_the_next_one_continues(bot_settings):
    users = [subscriber() for _ in range(3)]
    moment = utc(2025, 3, 10, 6, 0)

    assert run_at(moment, budget=0).claimed == 0
    assert run_at(moment).sent == 3
    assert all(len(texts_to(bot_settings, user)) == 1 for user in users)


def test_a_broken_text_fails_only_that_user(bot_settings, monkeypatch):
    good, bad = subscriber(sign="leo"), subscriber(sign="virgo")
    original = services.daily_read

    def daily_read(*, sign: str, day: date, language: str, tz: str = ""):
        if sign == "virgo":
            raise RuntimeError("broken text")
        return original(sign=sign, day=day, language=language, tz=tz)

    monkeypatch.setattr(services, "daily_read", daily_read)
    report = run_at(utc(2025, 3, 10, 6, 0))

    assert (report.sent, report.failed) == (1, 1)
    assert texts_to(bot_settings, good) and not texts_to(bot_settings, bad)
    assert PushDelivery.objects.get(user=bad).status == PushStatus.FAILED


def test_without_a_bot_token_nothing_is_claimed(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    subscriber()
    assert run_at(utc(2025, 3, 10, 6, 0)).claimed == 0
    assert not PushDelivery.objects.exists()


def test_the_task_and_its_schedule(bot_settings):
    names = {spec.name: spec for spec in SCHEDULES}
    assert names["daily push"].func == "bot.horoscope.tasks.push_due" and names["daily push"].minutes == 1
    assert names["daily horoscopes"].cron == "0 6,18 * * *"
    subscriber(at="00:00")
    result = delivery.push_due()
    assert result["sent"] == 1 and not result["busy"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_share_a_user():
    users = [subscriber() for _ in range(60)]
    moment = utc(2025, 3, 10, 6, 0)

    def claim(index: int) -> list[int]:
        run, mine = f"run{index}", []
        while rows := services.push_claim(run=run, now=moment, limit=7):
            for row in rows:
                if services.push_start_sending(delivery_id=row.pk, token=row.batch):
                    mine.append(row.user_id)
        return mine

    results = race(claim, 4)

    assert not [result for result in results if isinstance(result, Exception)], results
    everyone = [user_id for claimed in results for user_id in claimed]
    assert sorted(everyone) == sorted(user.pk for user in users)
    assert PushDelivery.objects.count() == 60


def test_only_people_who_finished_onboarding_get_the_push(bot_settings):
    """Asking for a sign's horoscope, or stopping half-way through onboarding, orders no daily push."""
    onboarded = subscriber(at="09:00")
    sign_only = subscriber(at="09:00", onboarded_at=None)  # pressed "Horoscope" and picked a sign, nothing more
    half_way = subscriber(at="09:00", onboarded_at=None, birth_date=date(1990, 5, 15), consent_at=utc(2025, 1, 1))

    run_at(utc(2025, 3, 10, 6, 0))  # 09:00 in Moscow

    assert len(texts_to(bot_settings, onboarded)) == 1
    assert texts_to(bot_settings, sign_only) == []
    assert texts_to(bot_settings, half_way) == []
