"""Scale benchmark: 100,000 users and a million rows on PostgreSQL; what each minute and each update costs.

    DATABASE_URL=postgres://USER@HOST:5432/NAME .venv/bin/python benchmarks/scale.py [--users 100000] [--rows 1000000]

Makes a throw-away database next to NAME (bench_scale_NAME, migrated like production), fills it with COPY:
`--users` users in a dozen time zones with notification times spread over the day (a tenth with notifications
off, a few who blocked the bot, some Premium), and `--rows` rows across tarot readings, claimed updates and
push deliveries, as a bot that size accumulates (claims over two weeks, push records over forty days). The
clock is "now": everyone whose time has passed today already has today's push. Then:

1. The daily push's minute tick: "who is due" (the query the claim runs), the whole claim and the Premium
   preparation when nobody is due, then with 1,000 users due at once (claimed 100 at a time, as the push
   does), and the selection the push used before `push_due_at` for comparison. EXPLAIN of the query goes to
   stderr.
2. SQL queries per webhook update (/start, /help, a menu button, a callback; the real handlers in-process
   against a fake Bot API) on an empty database and again at scale: they must be the same.
3. Pruning, as the nightly schedules run it: claims, push records, task results, the generation log; the
   rows deleted, the time, and a second run that finds nothing left to delete.

Each figure is printed as `name: value unit`. The database is dropped at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_USER = 6_000_000_000
PROBE_USER = 5_999_999_999
# Where a Russian-speaking audience lives, Moscow first.
ZONES = (
    ["Europe/Moscow"] * 10
    + ["Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"]
    + ["Europe/Minsk", "Asia/Almaty", "Asia/Tbilisi", "Europe/Berlin", "Europe/London", "America/New_York"]
)
SIGNS = ["aries", "taurus", "gemini", "cancer", "leo", "virgo", "libra", "scorpio", "sagittarius"]
SIGNS += ["capricorn", "aquarius", "pisces"]


def median_ms(run, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def execution_ms(plan: str) -> float:
    """The execution time EXPLAIN ANALYZE reports (the query in the database, without the round trip)."""
    line = next(line for line in plan.splitlines() if line.startswith("Execution Time:"))
    return float(line.split(":")[1].split()[0])


def copy_rows(model, objects) -> int:
    """COPY model instances into their table (every concrete column but the serial id); the number copied."""
    from django.db import DEFAULT_DB_ALIAS, connections, models

    database = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per access
    # psycopg adapts these as they are; other fields (JSON, pickled task data) go through Django's preparation.
    native = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateField)
    native += (models.TimeField, models.FloatField, models.ForeignKey)
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    prepare = [None if isinstance(f, native) else f.get_db_prep_save for f in fields]
    names = [f.attname for f in fields]
    columns = ", ".join(database.ops.quote_name(f.column) for f in fields)
    table = database.ops.quote_name(model._meta.db_table)
    count = 0
    with database.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            values = [getattr(obj, name) for name in names]
            copy.write_row([v if p is None else p(v, database) for v, p in zip(values, prepare, strict=True)])
            count += 1
    return count


# --- filling the database ---------------------------------------------------------------------------------


def populate(users: int, rows: int, now: datetime) -> dict[str, int]:
    from django.db import connection

    from bot.models import TelegramUpdate, UpdateStatus
    from horoscopes.daily.models import PushDelivery, PushStatus
    from horoscopes.daily.services import push_due_instant
    from horoscopes.llm.models import GenerationLog
    from horoscopes.tarot.models import TarotReading
    from users.models import TelegramUser

    rng = random.Random(42)
    people = []
    for index in range(users):
        zone = ZoneInfo(rng.choice(ZONES))
        at = clock(rng.choice([7, 8, 8, 9, 9, 9, 10, 12, 18, 21]), rng.randrange(60))
        day = now.astimezone(zone).date()
        due = push_due_instant(day, at, zone)
        people.append(
            TelegramUser(
                telegram_id=FIRST_USER + index,
                first_name=f"User {index}",
                language="ru" if index % 4 else "en",
                sign=SIGNS[index % 12],
                current_tz=zone.key,
                notify_enabled=rng.random() > 0.1,
                notify_time=at,
                blocked_at=now - timedelta(days=3) if rng.random() < 0.03 else None,
                premium_until=now + timedelta(days=10) if rng.random() < 0.05 else None,
                first_seen_at=now - timedelta(days=90),
                onboarded_at=now - timedelta(days=90),
                last_seen_at=now - timedelta(hours=rng.randrange(24 * 30)),
                invite_code=uuid.uuid4().hex[:12],
                push_due_at=due if due > now else push_due_instant(day + timedelta(days=1), at, zone),
            )
        )
    started = time.monotonic()
    copy_rows(TelegramUser, people)
    ids = dict(TelegramUser.objects.values_list("telegram_id", "pk"))
    recipients = [p for p in people if p.notify_enabled and p.blocked_at is None]

    # Today's pushes for everyone whose time has passed, then history back to 40 days.
    today_rows = []
    for person in recipients:
        zone = ZoneInfo(person.current_tz)
        if person.push_due_at.astimezone(zone).date() > now.astimezone(zone).date():
            today_rows.append((ids[person.telegram_id], now.astimezone(zone).date()))
    push_budget = rows // 2
    readings_budget = rows // 10
    claims_budget = rows - push_budget - readings_budget

    def deliveries():
        made = 0
        for user_id, day in today_rows:
            yield PushDelivery(user_id=user_id, local_date=day, status=PushStatus.SENT, sent_at=now, claimed_at=now)
            made += 1
        # The rest spread evenly over the 40 days before, a rotating slice of the recipients each day.
        per_day = max(0, push_budget - made) // 40
        for back in range(1, 41):
            moment = now - timedelta(days=back)
            for offset in range(per_day):
                person = recipients[(back * per_day + offset) % len(recipients)]
                yield PushDelivery(
                    user_id=ids[person.telegram_id],
                    local_date=moment.astimezone(ZoneInfo(person.current_tz)).date(),
                    status=PushStatus.SENT,
                    claimed_at=moment,
                    sent_at=moment,
                )

    counts = {"users": users, "push_deliveries": copy_rows(PushDelivery, deliveries())}
    user_pks = list(ids.values())

    def readings():
        for index in range(readings_budget):
            created = now - timedelta(minutes=rng.randrange(60 * 24 * 90))
            yield TarotReading(
                user_id=user_pks[(index * 7919) % len(user_pks)],
                kind="three",
                local_date=created.date(),
                question="Что меня ждёт?",
                cards=[{"key": "the_fool", "reversed": False, "position": 0}],
                idempotency_key=f"bench-{index}",
                created_at=created,
            )

    counts["tarot_readings"] = copy_rows(TarotReading, readings())

    def claims():
        for index in range(claims_budget):
            received = now - timedelta(seconds=rng.randrange(14 * 24 * 3600))
            failed = index % 100 == 0
            yield TelegramUpdate(
                update_id=10_000_000 + index,
                status=UpdateStatus.FAILED if failed else UpdateStatus.DONE,
                kind="message",
                chat_id=FIRST_USER + index % users,
                payload={"update_id": 10_000_000 + index} if failed else None,
                received_at=received,
                started_at=received,
                finished_at=received,
            )

    counts["claims"] = copy_rows(TelegramUpdate, claims())

    def generations():
        for _ in range(20_000):
            yield GenerationLog(
                kind="daily",
                status="offline",
                model="offline",
                created_at=now - timedelta(minutes=rng.randrange(60 * 24 * 120)),
            )

    counts["generation_log"] = copy_rows(GenerationLog, generations())
    counts["task_results"] = copy_task_results(now, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def copy_task_results(now: datetime, rng: random.Random) -> int:
    from django_q.models import Task

    def results():
        for index in range(3_000):
            stopped = now - timedelta(minutes=rng.randrange(60 * 24 * 30))
            yield Task(
                id=uuid.uuid4().hex,
                name=f"bench-{index}",
                func="bot.horoscope.tasks.push_due",
                args=(),
                kwargs={},
                result={"sent": 0},
                started=stopped,
                stopped=stopped,
                success=index % 10 != 0,
                attempt_count=1,
            )

    return copy_rows(Task, results())


# --- 1. the minute tick -------------------------------------------------------------------------------------


def old_due_selection(now: datetime, limit: int = 200) -> int:
    """The selection before push_due_at: per zone, everyone past their time without a row for the day."""
    from django.db.models import Exists, OuterRef

    from horoscopes.daily.models import PushDelivery
    from horoscopes.daily.services import _push_recipients, push_zones
    from users.models import TelegramUser

    found = 0
    for tz in push_zones():
        local = now.astimezone(ZoneInfo(tz))
        pushed = PushDelivery.objects.filter(user=OuterRef("pk"), kind="daily", local_date=local.date())
        due = TelegramUser.objects.filter(
            _push_recipients(), ~Exists(pushed), current_tz=tz, notify_time__lte=local.time()
        ).order_by("notify_time", "pk")
        found += len(due[: limit * 2])
    return found


def minute_tick(now: datetime) -> None:
    from horoscopes.daily import services
    from horoscopes.daily.models import PushDelivery
    from users.models import TelegramUser

    def due_query():
        return TelegramUser.objects.filter(services._push_recipients(), push_due_at__lte=now).order_by(
            "push_due_at", "pk"
        )[:200]

    assert not list(due_query()), "somebody is due before the benchmark made them due"
    print(f"due_query_nobody_due: {median_ms(lambda: list(due_query()), 200):.2f} ms")
    print(f"claim_nobody_due: {median_ms(lambda: services.push_claim(run='idle', now=now), 50):.2f} ms")
    print(f"prepare_nobody_due: {median_ms(lambda: services.push_prepare(now=now), 50):.2f} ms")
    print(f"old_selection_nobody_due: {median_ms(lambda: old_due_selection(now), 10):.1f} ms")
    plan = due_query().explain(analyze=True)
    print(plan, file=sys.stderr)
    print(f"due_query_nobody_due_in_database: {execution_ms(plan):.2f} ms")
    print(f"due_query_uses_index: {'yes' if 'users_push_due_idx' in plan else 'no'}")

    # A busy minute: 1,000 users due at once (their time has just come).
    due_users = list(
        TelegramUser.objects.filter(services._push_recipients(), premium_until__isnull=True)
        .order_by("?")
        .values_list("pk", flat=True)[:1000]
    )
    PushDelivery.objects.filter(user_id__in=due_users, claimed_at__gte=now - timedelta(days=1)).delete()
    TelegramUser.objects.filter(pk__in=due_users).update(push_due_at=now - timedelta(seconds=30))
    for user in TelegramUser.objects.filter(pk__in=due_users):
        # Make the wall clock agree: their notification time is this minute in their zone.
        local = now.astimezone(ZoneInfo(user.current_tz))
        TelegramUser.objects.filter(pk=user.pk).update(notify_time=clock(local.hour, local.minute))
    print(f"due_query_1000_due: {median_ms(lambda: list(due_query()), 50):.2f} ms")
    busy_plan = due_query().explain(analyze=True)
    print(busy_plan, file=sys.stderr)
    print(f"due_query_1000_due_in_database: {execution_ms(busy_plan):.2f} ms")
    chunks, claimed = [], 0
    while True:
        started = time.perf_counter()
        rows = services.push_claim(run="busy", now=now)
        if not rows:
            break
        chunks.append((time.perf_counter() - started) * 1000)
        claimed += len(rows)
    print(f"claimed_in_busy_minute: {claimed} users")
    print(f"claim_100_users: {statistics.median(chunks):.1f} ms")
    print(f"due_query_after_claiming: {median_ms(lambda: list(due_query()), 50):.2f} ms")


# --- 2. the webhook -----------------------------------------------------------------------------------------


def webhook_queries(telegram_id: int) -> dict[str, int]:
    """SQL queries per update kind for a returning user, in-process on the real handlers."""
    from asgiref.sync import async_to_sync
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bot.application import build_application
    from bot.processing import update_process
    from tests import driver

    kinds = {
        "start": driver.message("/start", user_id=telegram_id),
        "help": driver.message("/help", user_id=telegram_id),
        "menu_button": driver.message("❓ Помощь", user_id=telegram_id),
        "callback": driver.callback("lang:ru", user_id=telegram_id),
    }

    async def process(update: dict) -> None:
        async with build_application() as application:
            await update_process(application, update)

    async_to_sync(process)(driver.message("/start", user_id=telegram_id))  # the user exists from here on
    counts = {}
    for name, update in kinds.items():
        with CaptureQueriesContext(connection) as queries:
            async_to_sync(process)(update)
        counts[name] = len(queries.captured_queries)
    return counts


# --- 3. pruning ---------------------------------------------------------------------------------------------


def pruning() -> None:
    from django_q.models import Task

    from bot.models import TelegramUpdate
    from bot.tasks import task_results_prune, updates_prune
    from horoscopes.daily.models import PushDelivery
    from horoscopes.daily.tasks import push_deliveries_prune
    from horoscopes.llm.models import GenerationLog
    from horoscopes.llm.tasks import generations_prune

    jobs = {
        "claims": (updates_prune, TelegramUpdate),
        "push_deliveries": (push_deliveries_prune, PushDelivery),
        "task_results": (task_results_prune, Task),
        "generation_log": (generations_prune, GenerationLog),
    }
    for name, (prune, model) in jobs.items():
        started = time.monotonic()
        deleted = prune()
        elapsed = time.monotonic() - started
        again = prune()
        print(f"prune_{name}_deleted: {deleted} rows")
        print(f"prune_{name}_time: {elapsed:.2f} s")
        print(f"prune_{name}_left: {model.objects.count()} rows")
        print(f"prune_{name}_second_run_deleted: {again} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (the benchmark makes its own copy next to it)")

    from bot.console.fake_api import FakeBotAPI

    with FakeBotAPI() as fake:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="1",
            TESTING="0",
            Q_SYNC="1",
            LOG_LEVEL="ERROR",
            ENV_FILE=os.devnull,
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_API_FILE_URL=fake.base_file_url,
            LLM_BASE_URL="",
        )
        import django

        django.setup()
        from django.db import connection

        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_scale_{connection.settings_dict['NAME']}"
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            small = webhook_queries(PROBE_USER)
            now = datetime.now(UTC).replace(second=30, microsecond=0)
            counts = populate(args.users, args.rows, now)
            for name, count in counts.items():
                print(f"filled_{name}: {count} {'s' if name == 'seconds' else 'rows'}")
            main_rows = sum(counts[k] for k in ("push_deliveries", "tarot_readings", "claims"))
            print(f"filled_rows_besides_users: {main_rows} rows")
            minute_tick(now)
            large = webhook_queries(PROBE_USER - 1)
            for name, queries in large.items():
                print(f"webhook_queries_{name}_empty_db: {small[name]} queries")
                print(f"webhook_queries_{name}_at_scale: {queries} queries")
            same = small == large
            print(f"webhook_queries_unchanged_at_scale: {'yes' if same else 'no'}")
            pruning()
        finally:
            from django.db import connections

            connections.close_all()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
            connection.creation.destroy_test_db(test_name, verbosity=0)
        if fake.errors:
            raise SystemExit(f"the fake Bot API failed: {fake.errors[:3]}")


if __name__ == "__main__":
    main()
