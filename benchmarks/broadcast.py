"""Broadcast benchmark: many recipients, a fake Bot API enforcing Telegram's limits, real worker processes.

    .venv/bin/python benchmarks/broadcast.py [--recipients 100000] [--database-url postgres://...]

The worker is a separate process running the real broadcast run (bot.broadcast.tasks.broadcast_run, what the
"broadcasts" schedule queues) against a fake Bot API in this process that answers 429 exactly as Telegram's
limits say (30 messages in any second per bot, one a second per chat; paid broadcasts have their own budget).
Four runs:

1. straight: messages/s sustained, the most accepted in any one second, 429s, duplicates, missing;
2. killed: the worker gets SIGKILL once half the recipients have their message, a new worker starts, and we
   count who got it exactly once, twice, or never (rows the killed worker left "sending" are counted apart);
3. together: a broadcast and the daily push (to other users) in two worker processes at the same time: the
   most accepted in any second across both, and 429s;
4. paid: allow_paid_broadcast on, against the fake's paid budget (--paid-rate): the rate reached.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.push import environment  # noqa: E402 (the push benchmark's worker environment)

FIRST_USER = 8_100_000_000
PUSH_USER = 8_200_000_000
BROADCAST_WORKER = """
import django, os
django.setup()
from bot.broadcast.tasks import broadcast_run
report = broadcast_run(int(os.environ["BENCH_BROADCAST"]), budget=float(os.environ["BENCH_BUDGET"]))
print(f"worker_report: {report}", flush=True)
"""
PUSH_WORKER = """
import django, os
from datetime import datetime
django.setup()
from bot.horoscope.tasks import push_run
moment = datetime.fromisoformat(os.environ["BENCH_NOW"])
report = push_run(budget=float(os.environ["BENCH_BUDGET"]), now_fn=lambda: moment)
print(f"push_worker_sent: {report.sent} messages", flush=True)
"""


def prepare(recipients: int, *, paid: bool = False, push_users: int = 0, moment: datetime | None = None) -> int:
    """A fresh database: `recipients` users of a scheduled broadcast (and `push_users` due for the push)."""
    import django
    from django.core.management import call_command

    django.setup()
    from broadcasts.models import Broadcast, BroadcastVariant
    from broadcasts.services import broadcast_schedule
    from horoscopes.astro.constants import SIGNS
    from horoscopes.daily import services
    from horoscopes.daily.models import DailyHoroscope, PushDelivery
    from users.models import TelegramUser

    call_command("migrate", verbosity=0)
    Broadcast.objects.all().delete()
    PushDelivery.objects.all().delete()
    TelegramUser.objects.filter(telegram_id__gte=FIRST_USER).delete()
    moment = moment or datetime.now(UTC)
    local = moment.astimezone(ZoneInfo("Europe/Moscow"))
    users = [
        TelegramUser(
            telegram_id=FIRST_USER + index,
            language="ru" if index % 3 else "en",
            source="bench-broadcast",
            notify_enabled=False,
            onboarded_at=moment - timedelta(days=30),
        )
        for index in range(recipients)
    ]
    users += [
        TelegramUser(
            telegram_id=PUSH_USER + index,
            language="ru",
            sign=SIGNS[index % 12],
            current_tz="Europe/Moscow",
            notify_time=clock(local.hour, local.minute),
            first_seen_at=moment - timedelta(days=30),
            onboarded_at=moment - timedelta(days=30),
        )
        for index in range(push_users)
    ]
    TelegramUser.objects.bulk_create(users, batch_size=2000)
    if push_users:
        for sign in SIGNS:
            if not DailyHoroscope.objects.filter(sign=sign, date=local.date(), language="ru").exists():
                services.daily_generate(sign=sign, day=local.date(), language="ru")
    # Due in two seconds: scheduling then only writes the rows (a broadcast due now is also queued at once, and
    # with inline tasks that would send it from this process).
    due = datetime.now(UTC) + timedelta(seconds=2)
    broadcast = Broadcast.objects.create(title="bench", source="bench-broadcast", paid=paid, send_at=due)
    BroadcastVariant.objects.create(broadcast=broadcast, language="ru", text="<b>Полнолуние</b> сегодня")
    BroadcastVariant.objects.create(broadcast=broadcast, language="en", text="<b>Full moon</b> tonight")
    started = time.monotonic()
    broadcast_schedule(broadcast_id=broadcast.pk, staff_id=None)
    print(f"schedule_rows_{'paid' if paid else 'free'}: {recipients} rows in {time.monotonic() - started:.2f} s")
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
    return broadcast.pk


def start(env: dict[str, str], code: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**env, **extra})


def delivered(fake, first: int = FIRST_USER, count: int = 10**9) -> list:
    return [
        call
        for call in fake.calls_to("sendMessage")
        if call.status == 200 and first <= int(call.params["chat_id"]) < first + count
    ]


def per_user(fake, recipients: int) -> Counter:
    counts = Counter(int(call.params["chat_id"]) for call in delivered(fake, FIRST_USER, recipients))
    return Counter(counts.get(FIRST_USER + index, 0) for index in range(recipients))


def rates(sends: list) -> tuple[float, int, float]:
    """Median and lowest of whole seconds (the last, partial one left out), and the overall rate."""
    times = sorted(call.at for call in sends)
    buckets = Counter(int(at - times[0]) for at in times)
    full = [buckets.get(second, 0) for second in range(int(times[-1] - times[0]))] or [len(times)]
    return statistics.median(full), min(full), len(times) / (times[-1] - times[0] + 1e-9)


def straight(fake, env: dict[str, str], recipients: int, name: str, *, paid: bool = False) -> None:
    broadcast_id = prepare(recipients, paid=paid)
    fake.clear()
    began = time.monotonic()
    start(env, BROADCAST_WORKER, BENCH_BROADCAST=str(broadcast_id), BENCH_BUDGET=str(recipients / 5 + 60)).wait()
    elapsed = time.monotonic() - began
    sends = delivered(fake, FIRST_USER, recipients)
    median, lowest, overall = rates(sends)
    counts = per_user(fake, recipients)
    print(f"{name}_recipients: {recipients} users")
    print(f"{name}_delivered: {len(sends)} messages")
    print(f"{name}_run_time: {elapsed:.1f} s")
    print(f"{name}_messages_per_second_sustained: {median:.1f} msg/s")
    print(f"{name}_messages_per_second_lowest: {lowest} msg/s")
    print(f"{name}_messages_per_second_overall: {overall:.1f} msg/s")
    print(f"{name}_max_accepted_in_any_second: {fake.max_global_rate_seen} msg")
    print(f"{name}_429_received: {fake.throttled} responses")
    print(f"{name}_duplicates: {sum(n for times, n in counts.items() if times > 1)} users")
    print(f"{name}_missing: {counts.get(0, 0)} users")


def killed(fake, env: dict[str, str], recipients: int) -> None:
    broadcast_id = prepare(recipients)
    fake.clear()
    budget = str(recipients / 5 + 60)
    first = start(env, BROADCAST_WORKER, BENCH_BROADCAST=str(broadcast_id), BENCH_BUDGET=budget)
    while len(delivered(fake, FIRST_USER, recipients)) < recipients // 2:
        if first.poll() is not None:
            raise SystemExit("the worker finished before it could be killed")
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    at_kill = len(delivered(fake, FIRST_USER, recipients))
    restarted = time.monotonic()
    start(env, BROADCAST_WORKER, BENCH_BROADCAST=str(broadcast_id), BENCH_BUDGET=budget).wait()
    counts = per_user(fake, recipients)
    from broadcasts.models import Recipient

    statuses = Counter(Recipient.objects.values_list("status", flat=True))
    print(f"killed_after: {at_kill} messages")
    print(f"killed_restart_finished_in: {time.monotonic() - restarted:.1f} s")
    print(f"killed_exactly_once: {counts.get(1, 0)} of {recipients} users")
    print(f"killed_twice_or_more: {sum(n for times, n in counts.items() if times > 1)} users")
    print(f"killed_never: {counts.get(0, 0)} users")
    for status, count in sorted(statuses.items()):
        print(f"killed_rows_{status}: {count} rows")
    print(f"killed_429_received: {fake.throttled} responses")


def together(fake, env: dict[str, str], recipients: int) -> None:
    moment = datetime.now(UTC).replace(second=30, microsecond=0)
    broadcast_id = prepare(recipients, push_users=recipients, moment=moment)
    fake.clear()
    budget = str(recipients / 5 + 60)
    workers = [
        start(env, BROADCAST_WORKER, BENCH_BROADCAST=str(broadcast_id), BENCH_BUDGET=budget),
        start(env, PUSH_WORKER, BENCH_NOW=moment.isoformat(), BENCH_BUDGET=budget),
    ]
    for worker in workers:
        worker.wait()
    broadcast_sends = delivered(fake, FIRST_USER, recipients)
    push_sends = delivered(fake, PUSH_USER, recipients)
    median, _lowest, _overall = rates(broadcast_sends + push_sends)
    print(f"together_broadcast_delivered: {len(broadcast_sends)} messages")
    print(f"together_push_delivered: {len(push_sends)} messages")
    print(f"together_messages_per_second_sustained: {median:.1f} msg/s")
    print(f"together_max_accepted_in_any_second: {fake.max_global_rate_seen} msg")
    print(f"together_429_received: {fake.throttled} responses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--paid-recipients", type=int, default=None, help="default: as many as --recipients")
    parser.add_argument("--paid-rate", type=float, default=1000.0, help="the fake's paid budget (msg/s)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL to run on (default: a SQLite file)")
    parser.add_argument("--only", choices=["straight", "killed", "together", "paid"], action="append")
    args = parser.parse_args()
    runs = args.only or ["straight", "killed", "together", "paid"]

    from bot.console.fake_api import FakeBotAPI

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(enforce_limits=True, paid_rate=args.paid_rate) as fake:
        workdir = Path(tmp)
        env = environment(fake, workdir, args.database_url, name="broadcast")
        os.environ.update(env)
        sys.path.insert(0, str(workdir))
        if "straight" in runs:
            straight(fake, env, args.recipients, "straight")
        if "killed" in runs:
            killed(fake, env, args.recipients)
        if "together" in runs:
            together(fake, env, args.recipients // 2)
        if "paid" in runs:
            print(f"paid_fake_limit: {args.paid_rate:.0f} msg/s")
            straight(fake, env, args.paid_recipients or args.recipients, "paid", paid=True)
            print(f"paid_messages_accepted_as_paid: {fake.paid_sent} messages")
        if fake.errors:
            raise SystemExit(f"the fake Bot API failed: {fake.errors[:3]}")


if __name__ == "__main__":
    main()
