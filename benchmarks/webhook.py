"""Webhook benchmark: the web process as the Procfile starts it, against a fake Bot API on loopback.

    .venv/bin/python benchmarks/webhook.py [--updates 2000] [--concurrency 16] [--database-url URL]

1. Latency: updates one at a time (/start, /help, a menu button, a callback), for our web process and
   for the same handlers under python-telegram-bot's own webhook server (run_webhook). "http" is until
   the webhook answers; "reply" is until the fake Bot API receives the bot's answer, which is what a
   person waits for (PTB's server acknowledges before its handlers run, ours after).
2. Throughput: many updates at once to our web process; every answer comes after the update is processed.
3. SQL queries per update of each kind, counted in-process on the same code.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "benchmark-webhook-secret"
WEBHOOK_PATH = "/telegram/webhook/"
FIRST_USER = 7_000_000_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def environment(fake, database_url: str | None, sqlite_path: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "TESTING"}}
    env.update(
        DEBUG="0",
        TESTING="0",
        ENV_FILE=os.devnull,
        SECRET_KEY="benchmark-" + "x" * 50,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_API_FILE_URL=fake.base_file_url,
        LOG_LEVEL="WARNING",
        SQLITE_PATH=sqlite_path,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def procfile_web() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise SystemExit("Procfile has no web process")


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def update_mix(count: int, users: int, start_id: int) -> list[dict]:
    """Ordinary updates from returning users, cycling /start, /help, a menu button and a callback."""
    from tests import driver

    mix = []
    for index in range(count):
        user = FIRST_USER + index % users
        kind = index % 4
        if kind == 0:
            update = driver.message("/start", user_id=user)
        elif kind == 1:
            update = driver.message("/help", user_id=user)
        elif kind == 2:
            update = driver.message("❓ Помощь", user_id=user)
        else:
            update = driver.callback("lang:ru", user_id=user)
        update["update_id"] = start_id + index
        mix.append(update)
    return mix


def chat_of(update: dict) -> int:
    body = update.get("message") or update["callback_query"]
    return body["from"]["id"]


async def send_all(port: int, batch: list[dict], concurrency: int) -> list[tuple[int, float, float, int]]:
    import httpx

    queue: asyncio.Queue = asyncio.Queue()
    for update in batch:
        queue.put_nowait(update)
    results = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:

        async def worker() -> None:
            while not queue.empty():
                update = queue.get_nowait()
                started = time.monotonic()
                response = await client.post(
                    WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
                results.append((chat_of(update), started, time.monotonic(), response.status_code))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


async def send_one_by_one(fake, port: int, batch: list[dict]) -> list[tuple[int, float, float, float]]:
    """Send an update, wait for the bot's reply to reach the fake Bot API, then send the next."""
    import httpx

    results = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for update in batch:
            seen = len(fake.calls)
            started = time.monotonic()
            response = await client.post(WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            answered = time.monotonic()
            if response.status_code != 200:
                raise SystemExit(f"request failed with {response.status_code}")
            # The fake stamps each call as it arrives, so polling coarsely loses no precision.
            deadline = started + 10
            while time.monotonic() < deadline:
                # A newcomer's /start is answered with the greeting picture.
                sends = [call for call in fake.calls[seen:] if call.method in ("sendMessage", "sendPhoto")]
                if sends:
                    break
                await asyncio.sleep(0.001)
            else:
                raise SystemExit("no reply within 10 s")
            results.append((chat_of(update), started, answered, sends[0].at))
    return results


def latency_phase(prefix: str, fake, port: int, batch: list[dict]) -> float:
    fake.clear()
    results = asyncio.run(send_one_by_one(fake, port, batch))
    http = [(answered - started) * 1000 for _, started, answered, _ in results]
    reply = [(replied - started) * 1000 for _, started, _, replied in results]
    print(f"{prefix}_http_p50: {percentile(http, 0.5):.2f} ms")
    print(f"{prefix}_http_p99: {percentile(http, 0.99):.2f} ms")
    print(f"{prefix}_reply_p50: {percentile(reply, 0.5):.2f} ms")
    print(f"{prefix}_reply_p99: {percentile(reply, 0.99):.2f} ms")
    return percentile(reply, 0.5)


def run_phase(fake, port: int, batch: list[dict], concurrency: int) -> tuple[list, float]:
    fake.clear()
    started = time.monotonic()
    results = asyncio.run(send_all(port, batch, concurrency))
    elapsed = time.monotonic() - started
    bad = [status for *_, status in results if status != 200]
    if bad:
        raise SystemExit(f"{len(bad)} requests failed: {sorted(set(bad))}")
    return results, elapsed


def count_queries(env: dict) -> dict[str, int]:
    """SQL queries per update of each kind for a returning user, on the same code in this process."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from asgiref.sync import async_to_sync
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bot.application import build_application
    from bot.processing import update_process

    kinds = dict(zip(["start", "help", "menu_button", "callback"], update_mix(4, 1, 900_000_000), strict=True))

    async def process(update: dict) -> None:
        async with build_application() as application:
            await update_process(application, update)

    counts = {}
    for name, update in kinds.items():
        # The handlers' database work runs in this outer thread, on this connection.
        with CaptureQueriesContext(connection) as queries:
            async_to_sync(process)(update)
        counts[name] = len(queries.captured_queries)
    return counts


def serve_bare(port: int) -> None:
    """The same handlers behind python-telegram-bot's own webhook server (the baseline)."""
    import django

    django.setup()
    from bot.application import ALLOWED_UPDATES, build_application

    application = build_application(with_updater=True)
    application.run_webhook(
        listen="127.0.0.1",
        port=port,
        url_path=WEBHOOK_PATH.strip("/"),
        secret_token=SECRET,
        webhook_url=f"https://bench.example.com:8443{WEBHOOK_PATH}",
        allowed_updates=ALLOWED_UPDATES,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=2000, help="updates in the throughput phase")
    parser.add_argument("--latency-updates", type=int, default=400, help="updates in each latency phase")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of a fresh SQLite file")
    parser.add_argument("--serve-bare", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return

    from bot.console.fake_api import FakeBotAPI

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as fake:
        env = environment(fake, args.database_url, str(Path(tmp) / "bench.sqlite3"))
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        web = subprocess.Popen(
            ["sh", "-c", procfile_web()],
            cwd=ROOT,
            env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for_port(port, web)
            latency_phase("warmup_web", fake, port, update_mix(args.users, args.users, 1))  # users exist
            # Returning users have finished onboarding: /start shows them the menu, not the greeting.
            onboard = "from users.models import TelegramUser as U; from django.utils import timezone as t; "
            onboard += "U.objects.update(onboarded_at=t.now(), state='')"
            shell = [sys.executable, "manage.py", "shell", "--no-imports", "-c", onboard]
            subprocess.run(shell, cwd=ROOT, env=env, check=True)
            ours = latency_phase("web", fake, port, update_mix(args.latency_updates, args.users, 10_000_000))
            results, elapsed = run_phase(fake, port, update_mix(args.updates, args.users, 20_000_000), args.concurrency)
            http = [(end - start) * 1000 for _, start, end, _ in results]
            print(f"web_throughput: {len(results) / elapsed:.0f} updates/s")
            print(f"web_loaded_http_p50: {percentile(http, 0.5):.2f} ms (concurrency {args.concurrency})")
            print(f"web_loaded_http_p99: {percentile(http, 0.99):.2f} ms (concurrency {args.concurrency})")
        finally:
            os.killpg(web.pid, 15)
            web.wait(timeout=30)

        port = free_port()
        bare = subprocess.Popen(
            [sys.executable, __file__, "--serve-bare", str(port)],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, bare)
            latency_phase("warmup_bare", fake, port, update_mix(args.users // 4, args.users, 30_000_000))
            baseline = latency_phase("ptb_bare", fake, port, update_mix(args.latency_updates, args.users, 40_000_000))
        finally:
            bare.terminate()
            bare.wait(timeout=30)
        print(f"reply_p50_ratio_web_to_bare: {ours / baseline:.2f} x")

        counts = count_queries(env)
        for name, count in counts.items():
            print(f"sql_queries_{name}: {count} queries")
        print(f"sql_queries_per_update_max: {max(counts.values())} queries")
        print(f"sql_queries_per_update_mean: {statistics.mean(counts.values()):.1f} queries")


if __name__ == "__main__":
    main()
