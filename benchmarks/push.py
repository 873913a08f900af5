"""Daily push benchmark: thousands of users due at the same minute, a fake Bot API enforcing Telegram's limits.

    .venv/bin/python benchmarks/push.py [--users 5000] [--database-url postgres://...]

The worker is a separate process running the real push (bot.horoscope.tasks.push_run, what the
`daily push` schedule calls), against a fake Bot API in this process that answers 429 exactly as Telegram's
limits say (30 messages in any second per bot, one a second per chat). Two runs:

1. straight: messages/s sustained, the most accepted in any one second, 429s received, duplicates;
2. killed: the worker gets SIGKILL once half the users have their message, a new worker starts, and we
   count how many users got their message exactly once, twice, or never.
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

FIRST_USER = 8_000_000_000
SETTINGS = """\
from config.settings import *  # noqa: F403
"""
WORKER = """
import django, os, sys
from datetime import datetime
django.setup()
from bot.horoscope.tasks import push_run
moment = datetime.fromisoformat(os.environ["BENCH_NOW"])
report = push_run(budget=float(os.environ["BENCH_BUDGET"]), now_fn=lambda: moment)
for name in ("sent", "blocked", "failed", "busy"):
    print(f"worker_{name}: {getattr(report, name)} messages", flush=True)
"""


def environment(fake, workdir: Path, database_url: str | None, name: str = "push") -> dict[str, str]:
    """The workers' environment: settings module `bench_<name>_settings` (written to workdir), the fake Bot API,
    no LLM, tasks inline, and a SQLite file in workdir unless a PostgreSQL URL is given."""
    (workdir / f"bench_{name}_settings.py").write_text(SETTINGS)
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "TESTING"}}
    env.update(
        DJANGO_SETTINGS_MODULE=f"bench_{name}_settings",
        PYTHONPATH=f"{workdir}{os.pathsep}{ROOT}",
        DEBUG="1",
        TESTING="0",
        ENV_FILE=os.devnull,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_API_FILE_URL=fake.base_file_url,
        SQLITE_PATH=str(workdir / f"{name}.sqlite3"),
        LLM_BASE_URL="",
        LLM_API_KEY="",
        LOG_LEVEL="WARNING",
        Q_SYNC="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(users: int, moment: datetime) -> None:
    """A fresh database with `users` users due at `moment`, and the day's texts already written."""
    import django
    from django.core.management import call_command

    django.setup()
    from horoscopes.astro.constants import SIGNS
    from horoscopes.daily import services
    from horoscopes.daily.models import DailyHoroscope, PushDelivery
    from users.models import TelegramUser

    call_command("migrate", verbosity=0)  # the apps with migrations first: tables others point to
    call_command("migrate", run_syncdb=True, verbosity=0)
    PushDelivery.objects.all().delete()
    TelegramUser.objects.filter(telegram_id__gte=FIRST_USER).delete()
    local = moment.astimezone(ZoneInfo("Europe/Moscow"))
    TelegramUser.objects.bulk_create(
        TelegramUser(
            telegram_id=FIRST_USER + index,
            language="ru" if index % 3 else "en",
            sign=SIGNS[index % 12],
            current_tz="Europe/Moscow",
            notify_time=clock(local.hour, local.minute),
            first_seen_at=moment - timedelta(days=30),
            onboarded_at=moment - timedelta(days=30),
        )
        for index in range(users)
    )
    for language in ("ru", "en"):
        for sign in SIGNS:
            if not DailyHoroscope.objects.filter(sign=sign, date=local.date(), language=language).exists():
                services.daily_generate(sign=sign, day=local.date(), language=language)


def start_worker(env: dict[str, str], moment: datetime, budget: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env={**env, "BENCH_NOW": moment.isoformat(), "BENCH_BUDGET": str(budget)},
    )


def delivered(fake) -> list:
    return [call for call in fake.calls_to("sendMessage") if call.status == 200]


def deliveries_per_chat(fake, users: int) -> Counter:
    counts = Counter(int(call.params["chat_id"]) for call in delivered(fake))
    return Counter(counts.get(FIRST_USER + index, 0) for index in range(users))


def straight_run(fake, env: dict[str, str], users: int, moment: datetime) -> None:
    fake.clear()
    started = time.monotonic()
    worker = start_worker(env, moment, budget=users / 20 + 60)
    worker.wait()
    elapsed = time.monotonic() - started
    sends = delivered(fake)
    times = sorted(call.at for call in sends)
    # Whole seconds from the first message; the last, partial second is left out.
    buckets = Counter(int(at - times[0]) for at in times)
    full = [buckets.get(second, 0) for second in range(int(times[-1] - times[0]))] or [len(times)]
    span = times[-1] - times[0]
    per_chat = deliveries_per_chat(fake, users)
    print(f"users: {users} users")
    print(f"delivered: {len(sends)} messages")
    print(f"delivery_time: {elapsed:.1f} s")
    print(f"first_to_last: {span:.1f} s")
    print(f"messages_per_second_sustained: {statistics.median(full):.1f} msg/s")
    print(f"messages_per_second_lowest: {min(full)} msg/s")
    print(f"messages_per_second_overall: {len(times) / (span + 1):.2f} msg/s")
    print(f"max_accepted_in_any_second: {fake.max_global_rate_seen} msg")
    print(f"429_received: {fake.throttled} responses")
    print(f"duplicates: {sum(count for times_sent, count in per_chat.items() if times_sent > 1)} users")
    print(f"missing: {per_chat.get(0, 0)} users")


def killed_run(fake, env: dict[str, str], users: int, moment: datetime) -> None:
    fake.clear()
    first = start_worker(env, moment, budget=users / 20 + 60)
    while len(delivered(fake)) < users // 2:
        if first.poll() is not None:
            raise SystemExit("the worker finished before it could be killed")
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    at_kill = len(delivered(fake))
    restarted = time.monotonic()
    second = start_worker(env, moment, budget=users / 20 + 60)
    second.wait()
    per_chat = deliveries_per_chat(fake, users)
    import django

    django.setup()
    from horoscopes.daily.models import PushDelivery

    statuses = Counter(PushDelivery.objects.values_list("status", flat=True))
    print(f"killed_after: {at_kill} messages")
    print(f"restart_finished_in: {time.monotonic() - restarted:.1f} s")
    print(f"restart_exactly_once: {per_chat.get(1, 0)} of {users} users")
    print(f"restart_twice_or_more: {sum(count for times_sent, count in per_chat.items() if times_sent > 1)} users")
    print(f"restart_never: {per_chat.get(0, 0)} users")
    for status, count in sorted(statuses.items()):
        print(f"restart_rows_{status}: {count} rows")
    print(f"restart_429_received: {fake.throttled} responses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL to run on (default: a SQLite file)")
    args = parser.parse_args()

    from bot.console.fake_api import FakeBotAPI

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(enforce_limits=True) as fake:
        workdir = Path(tmp)
        env = environment(fake, workdir, args.database_url)
        os.environ.update(env)
        sys.path.insert(0, str(workdir))
        moment = datetime.now(UTC).replace(second=30, microsecond=0)

        # A straight run.
        prepare(args.users, moment)
        straight_run(fake, env, args.users, moment)

        # The worker killed halfway and restarted.
        prepare(args.users, moment)
        killed_run(fake, env, args.users, moment)
        if fake.errors:
            raise SystemExit(f"the fake Bot API failed: {fake.errors[:3]}")


if __name__ == "__main__":
    main()
