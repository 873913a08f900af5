"""Dashboard benchmark: 100,000 users and about a million events; the rollup's time and the page's.

    .venv/bin/python benchmarks/dashboard.py [--users 100000] [--events 1000000] [--renders 20]
    DATABASE_URL=postgres://USER@HOST:5432/NAME .venv/bin/python benchmarks/dashboard.py

On a throw-away database (a temporary SQLite file, or bench_dashboard_NAME next to a PostgreSQL NAME), filled
with bulk_create: `--users` users who arrived over 120 days (sources, invites, birth dates), and `--events`
rows split across claimed updates (the last week), tarot readings, push deliveries, the generation log,
payments in Stars and roubles (some refunded, some renewals) and subscriptions. Then:

1. The rollup: the whole 120 days (a backfill) and the nightly run (the last 40 days and today), twice.
2. The dashboard page (/admin/, the last 30 days) through the test client: p50 and p95 over `--renders`
   runs, SQL queries per page; the same for a 120-day range and one CSV download.

Each figure is printed as `name: value unit`. The database is dropped at the end.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAYS = 120
SOURCES = ["", "", "", "vk", "tg_ads", "blog", "yandex"]
BATCH = 5_000


def populate(users: int, events: int, now: datetime) -> dict[str, int]:
    """Users and events in bulk, spread over the last DAYS days; the rows made per table."""
    from bot.models import TelegramUpdate, UpdateStatus
    from horoscopes.daily.models import PushDelivery, PushStatus
    from horoscopes.llm.models import GenerationLog, GenerationStatus
    from horoscopes.tarot.models import TarotReading
    from payments.models import Payment, PaymentStatus, Plan, Subscription
    from users.models import TelegramUser

    rng = random.Random(13)
    first_seen = []
    batch = []
    for index in range(1, users + 1):
        joined = now - timedelta(days=DAYS * rng.random() ** 1.5, seconds=rng.randrange(86_400))
        seen = joined + timedelta(seconds=rng.randrange(max(1, int((now - joined).total_seconds()))))
        first_seen.append(joined)
        batch.append(
            TelegramUser(
                id=index,
                telegram_id=6_000_000_000 + index,
                first_seen_at=joined,
                last_seen_at=seen if rng.random() < 0.6 else joined,
                source=rng.choice(SOURCES),
                invited_by_id=rng.randrange(1, index) if index > 10 and rng.random() < 0.05 else None,
                birth_date=date(1990, 1, 1) if rng.random() < 0.7 else None,
                onboarded_at=joined if rng.random() < 0.6 else None,
                invite_code=f"b{index}",
            )
        )
    TelegramUser.objects.bulk_create(batch, batch_size=BATCH)
    counts = {"users": users}

    def spread(share: float) -> int:
        return int(events * share)

    def user_and_moment(within_days: float = DAYS) -> tuple[int, datetime]:
        user = rng.randrange(1, users + 1)
        since = max(first_seen[user - 1], now - timedelta(days=within_days))
        return user, since + (now - since) * rng.random()

    plans = {plan.code: plan for plan in Plan.objects.all()}
    payments, subscriptions = [], []
    for index in range(spread(0.03)):
        user, moment = user_and_moment()
        stars = rng.random() < 0.6
        plan = plans["month" if rng.random() < 0.8 else "year"]
        status = rng.choice([PaymentStatus.SUCCEEDED] * 8 + [PaymentStatus.REFUNDED, PaymentStatus.FAILED])
        payments.append(
            Payment(
                public_id=f"bench{index:08d}",
                user_id=user,
                plan=plan,
                provider="stars" if stars else "yookassa",
                currency="XTR" if stars else "RUB",
                amount=Decimal(plan.price_stars) if stars else plan.price_rub,
                days=plan.days,
                status=status,
                created_at=moment,
                paid_at=moment if status != PaymentStatus.FAILED else None,
                refunded_at=moment + timedelta(days=1) if status == PaymentStatus.REFUNDED else None,
            )
        )
    subscription_plan = plans["month-subscription"]
    for index in range(spread(0.003)):
        user, moment = user_and_moment()
        subscriptions.append(
            Subscription(
                user_id=user,
                plan=subscription_plan,
                charge_id=f"bench-sub-{index}",
                created_at=moment,
                expires_at=moment + timedelta(days=30 * rng.randint(1, 4)),
            )
        )
        payments.append(
            Payment(
                public_id=f"benchs{index:07d}",
                user_id=user,
                plan=subscription_plan,
                provider="stars",
                currency="XTR",
                amount=Decimal(subscription_plan.price_stars),
                days=30,
                status=PaymentStatus.SUCCEEDED,
                created_at=moment + timedelta(days=30),
                paid_at=moment + timedelta(days=30),
                is_recurring=True,
            )
        )
    Subscription.objects.bulk_create(subscriptions, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    counts.update(payments=len(payments), subscriptions=len(subscriptions))

    readings = []
    for _ in range(spread(0.25)):
        user, moment = user_and_moment()
        readings.append(
            TarotReading(
                user_id=user,
                kind="three",
                local_date=moment.date(),
                cards=[{"key": "the_fool", "reversed": False, "position": 0}],
                created_at=moment,
                interpreted_at=moment if rng.random() < 0.3 else None,
            )
        )
    TarotReading.objects.bulk_create(readings, batch_size=BATCH)
    counts["tarot_readings"] = len(readings)
    del readings

    # One push a day per user at most: the most recent days for a random slice of users.
    pushes, wanted = [], spread(0.25)
    statuses = [PushStatus.SENT] * 18 + [PushStatus.BLOCKED, PushStatus.FAILED]
    for day_back in range(30):
        day = (now - timedelta(days=day_back)).date()
        for user in rng.sample(range(1, users + 1), min(users, wanted // 30)):
            pushes.append(PushDelivery(user_id=user, local_date=day, status=rng.choice(statuses)))
    PushDelivery.objects.bulk_create(pushes, batch_size=BATCH)
    counts["push_deliveries"] = len(pushes)
    del pushes

    logs = []
    for _ in range(spread(0.05)):
        _user, moment = user_and_moment(90)
        ok = rng.random() < 0.9
        logs.append(
            GenerationLog(
                kind=rng.choice(["daily", "personal", "tarot"]),
                status=GenerationStatus.OK if ok else GenerationStatus.ERROR,
                model="gpt-4o-mini",
                tokens_in=900,
                tokens_out=400,
                latency_ms=rng.randint(800, 6000),
                cost=Decimal("0.000375") if ok else None,
                created_at=moment,
            )
        )
    GenerationLog.objects.bulk_create(logs, batch_size=BATCH)
    counts["generations"] = len(logs)
    del logs

    # Claims carry their own arrival time here, spread over the week.
    TelegramUpdate._meta.get_field("received_at").auto_now_add = False
    updates = []
    for index in range(events - sum(v for k, v in counts.items() if k != "users")):
        user, moment = user_and_moment(7)
        failed = rng.random() < 0.01
        updates.append(
            TelegramUpdate(
                update_id=index + 1,
                status=UpdateStatus.FAILED if failed else UpdateStatus.DONE,
                kind="message",
                chat_id=6_000_000_000 + user,
                received_at=moment,
                started_at=moment,
                finished_at=moment + timedelta(milliseconds=rng.lognormvariate(3.5, 0.6)),
            )
        )
        if len(updates) == BATCH * 4:
            TelegramUpdate.objects.bulk_create(updates, batch_size=BATCH)
            counts["claims"] = counts.get("claims", 0) + len(updates)
            updates = []
    TelegramUpdate.objects.bulk_create(updates, batch_size=BATCH)
    counts["claims"] = counts.get("claims", 0) + len(updates)
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def render(client, url: str, params: dict[str, str], runs: int) -> tuple[list[float], int, int]:
    """Timings in ms, queries of the last run, and the last status code."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for _ in range(runs):
        reset_queries()  # the log keeps 9,000 queries: full after filling, it would count nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return timings, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="1",
            TESTING="0",
            Q_SYNC="1",
            LOG_LEVEL="ERROR",
            ENV_FILE=os.devnull,
            SQLITE_PATH=str(Path(tmp) / "dashboard.sqlite3"),
            ALLOWED_HOSTS="testserver",
        )
        import django

        django.setup()
        from django.contrib.auth.models import Permission, User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from staff.services import local_today, metrics_rollup
        from staff.tasks import dashboard_rollup

        test_name = None
        if postgres:
            connection.settings_dict.setdefault("TEST", {})["NAME"] = (
                f"bench_dashboard_{connection.settings_dict['NAME']}"
            )
            test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
        try:
            print(f"database: {connection.vendor}")
            now = timezone.now()
            started = time.perf_counter()
            counts = populate(args.users, args.events, now)
            for name, count in counts.items():
                print(f"filled_{name}: {count} rows")
            print(f"filled_events: {sum(v for k, v in counts.items() if k != 'users')} rows")
            print(f"fill_time: {time.perf_counter() - started:.1f} s")

            today = local_today()
            started = time.perf_counter()
            rows = metrics_rollup(start=today - timedelta(days=DAYS), end=today)
            print(f"rollup_backfill_{DAYS}_days: {time.perf_counter() - started:.2f} s")
            print(f"rollup_rows: {rows} rows")
            for run in (1, 2):
                started = time.perf_counter()
                dashboard_rollup()
                print(f"rollup_nightly_run{run}: {time.perf_counter() - started:.2f} s")

            owner = User.objects.create_user("owner", is_staff=True)
            owner.user_permissions.add(*Permission.objects.filter(codename__in=["view_dashboard", "refresh_dashboard"]))
            client = Client()
            client.force_login(owner)
            render(client, "/admin/", {}, 2)  # warm the template cache
            for name, params in (
                ("30_days", {}),
                (f"{DAYS}_days", {"start": (today - timedelta(days=DAYS)).isoformat(), "end": today.isoformat()}),
            ):
                timings, queries, status = render(client, "/admin/", params, args.renders)
                assert status == 200, status
                print(f"page_{name}_p50: {statistics.median(timings):.0f} ms")
                print(f"page_{name}_p95: {percentile(timings, 0.95):.0f} ms")
                print(f"page_{name}_queries: {queries} queries")
            timings, queries, status = render(client, "/admin/staff/dailymetric/csv/revenue_stars/", {}, args.renders)
            assert status == 200, status
            print(f"csv_p50: {statistics.median(timings):.0f} ms")
            print(f"csv_queries: {queries} queries")
        finally:
            if test_name:
                from django.db import connections

                connections.close_all()
                if hasattr(connection, "close_pool"):
                    connection.close_pool()
                connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
