"""Rows the tests need, built one way. Defaults are the models' own: a factory adds nothing a test did not ask for."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from horoscopes.tarot.models import TarotReading
from payments.models import Payment, Plan, Subscription
from users.models import TelegramUser


def _birth_utc(user: object) -> datetime | None:
    """The birth moment in UTC, from the local date, time and zone (None without a time)."""
    if user.birth_date is None or user.birth_time is None or not user.birth_tz:
        return None
    local = datetime.combine(user.birth_date, user.birth_time, tzinfo=ZoneInfo(user.birth_tz))
    return local.astimezone(UTC)


def _premium_until(user: object) -> datetime | None:
    return None if user.premium_for is None else timezone.now() + user.premium_for


class TelegramUserFactory(DjangoModelFactory):
    """A bot user. Traits: `onboarded`, `born` (Moscow, 15.05.1990 14:30), `premium` (30 days).

    `premium_for=timedelta(...)` sets Premium to end that long from now (negative: it ended that long ago);
    `language` is the model field ("ru" unless told).
    """

    class Meta:
        model = TelegramUser

    class Params:
        premium_for = None
        onboarded = factory.Trait(onboarded_at=factory.LazyFunction(timezone.now))
        premium = factory.Trait(premium_for=timedelta(days=30))
        born = factory.Trait(
            birth_date=date(1990, 5, 15),
            birth_time=time(14, 30),
            birth_place="Москва",
            birth_country="RU",
            birth_lat=55.7558,
            birth_lon=37.6173,
            birth_tz="Europe/Moscow",
            birth_utc=factory.LazyAttribute(_birth_utc),
            sign="taurus",
        )

    telegram_id = factory.Sequence(lambda n: 8_800_000_000 + n)
    premium_until = factory.LazyAttribute(_premium_until)


class SubscriptionFactory(DjangoModelFactory):
    """A Stars subscription of a user to the seeded monthly subscription plan."""

    class Meta:
        model = Subscription

    user = factory.SubFactory(TelegramUserFactory)
    plan = factory.LazyFunction(lambda: Plan.objects.get(code="month-subscription"))
    charge_id = factory.Sequence(lambda n: f"stxCHARGE{n}")


class PaymentFactory(DjangoModelFactory):
    """A payment row as a provider left it (tests that go through payments.services use the services instead)."""

    class Meta:
        model = Payment

    user = factory.SubFactory(TelegramUserFactory)
    provider = "stars"
    amount = Decimal(150)
    currency = "XTR"
    days = 30


class TarotReadingFactory(DjangoModelFactory):
    """A stored reading, as a draw leaves it (tests of the draw itself use horoscopes.tarot.services)."""

    class Meta:
        model = TarotReading

    user = factory.SubFactory(TelegramUserFactory)
    kind = "three"
    local_date = factory.LazyFunction(timezone.localdate)
    cards = factory.LazyFunction(lambda: [{"key": "the_fool", "reversed": False, "position": 0}])
