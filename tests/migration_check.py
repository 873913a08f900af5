"""Run by tests/test_migrations.py in a fresh database: migrate to an old release, fill, migrate forward, check."""

import django

django.setup()

from datetime import date, datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from bot.models import TelegramUpdate  # noqa: E402
from horoscopes.daily.models import DailyHoroscope  # noqa: E402
from horoscopes.llm.models import Prompt  # noqa: E402
from horoscopes.natal.models import NatalChart  # noqa: E402
from horoscopes.tarot.models import TarotReading  # noqa: E402
from payments.models import Payment  # noqa: E402
from users.models import TelegramUser  # noqa: E402

RELEASE_BEFORE_ROOMS = [
    ("bot", "0003_heartbeat_names"),
    ("users", "0002_onboarding_profile_privacy"),
    ("horoscopes", "0001_initial"),
    ("payments", "0002_seed_plans"),
]
MOMENT = datetime.fromisoformat("2026-11-20T09:30:00+00:00")


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _fill(apps) -> dict[str, int]:
    """Rows as the earlier release wrote them, through its historical models."""
    user = apps.get_model("users", "TelegramUser").objects.create(
        telegram_id=7_100_000_001, first_name="Вера", language="ru", birth_date=date(1990, 3, 15), sign="pisces"
    )
    reading = apps.get_model("horoscopes", "TarotReading").objects.create(
        user=user, kind="three", local_date=date(2026, 11, 20), question="Что ждёт меня?", cards=[["the_fool", False]]
    )
    chart = apps.get_model("horoscopes", "NatalChart").objects.create(
        user=user, birth_key="k1", data={"points": {}}, interpretations={"ru": "Текст"}
    )
    daily = apps.get_model("horoscopes", "DailyHoroscope").objects.create(
        sign="leo", date=date(2026, 11, 20), language="ru", overview="Обзор", love="Любовь"
    )
    prompt = apps.get_model("horoscopes", "Prompt").objects.create(
        key="daily", language="ru", version=99, system="s", template="t"
    )
    payment = apps.get_model("payments", "Payment").objects.create(
        public_id="p-migration-01",
        user=user,
        provider="stars",
        amount=Decimal(250),
        currency="XTR",
        days=30,
        status="succeeded",
        provider_payment_id="charge-1",
        paid_at=MOMENT,
    )
    apps.get_model("bot", "TelegramUpdate").objects.create(
        update_id=555, kind="message", chat_id=7_100_000_001, started_at=MOMENT
    )
    return {
        "user": user.pk,
        "reading": reading.pk,
        "chart": chart.pk,
        "daily": daily.pk,
        "prompt": prompt.pk,
        "payment": payment.pk,
    }


def main() -> None:
    old = _migrate(RELEASE_BEFORE_ROOMS)
    ids = _fill(old.loader.project_state(RELEASE_BEFORE_ROOMS).apps)

    executor = _migrate(list(MigrationExecutor(connection).loader.graph.leaf_nodes()))
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())

    user = TelegramUser.objects.get(pk=ids["user"])
    assert (user.first_name, user.birth_date, user.sign) == ("Вера", date(1990, 3, 15), "pisces")
    reading = TarotReading.objects.get(pk=ids["reading"])
    assert (reading.user_id, reading.question, reading.cards) == (user.pk, "Что ждёт меня?", [["the_fool", False]])
    assert NatalChart.objects.get(pk=ids["chart"]).interpretations == {"ru": "Текст"}
    daily = DailyHoroscope.objects.get(pk=ids["daily"])
    assert (daily.sign, daily.overview, daily.love) == ("leo", "Обзор", "Любовь")
    assert daily.utc_offset == 180  # written for Moscow before offset groups: still what Moscow reads
    assert Prompt.objects.get(pk=ids["prompt"]).version == 99
    payment = Payment.objects.get(pk=ids["payment"])
    assert (payment.user_id, payment.amount, payment.status, payment.paid_at) == (
        user.pk,
        Decimal(250),
        "succeeded",
        MOMENT,
    )
    assert TelegramUpdate.objects.get(update_id=555).chat_id == 7_100_000_001
    print("migrated forward with every row")


main()
