"""Flood benchmark: one account sends /help far faster than a person can, while another person uses the bot.

    .venv/bin/python benchmarks/flood.py [--flood 1000] [--rate 200] [--database-url URL]

The web process as the Procfile starts it (one worker) against the fake Bot API enforcing Telegram's flood
limits (30 messages/s per bot, 1/s per chat). Prints the other person's reply latency before and during
the flood, what became of the flood's updates (claim statuses), the 429s Telegram answered, and the
tracebacks and error lines the web process logged.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from webhook import ROOT, SECRET, WEBHOOK_PATH, environment, free_port, percentile, procfile_web, wait_for_port

FLOODER = 7_500_000_001
PERSON = 7_500_000_002


async def person(fake, client, count: int, pause: float, start_id: int) -> list[float]:
    """The other person: /help, wait for the reply, pause, again; reply latencies in ms."""
    from tests import driver

    latencies = []
    for index in range(count):
        update = driver.message("/help", user_id=PERSON)
        update["update_id"] = start_id + index
        seen = len([call for call in fake.sent_to(PERSON) if call.status == 200])
        started = time.monotonic()
        await client.post(WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        while time.monotonic() < started + 10:
            sent = [call for call in fake.sent_to(PERSON) if call.status == 200]
            if len(sent) > seen:
                latencies.append((sent[-1].at - started) * 1000)
                break
            await asyncio.sleep(0.002)
        else:
            latencies.append(10_000.0)  # no reply within 10 s
        await asyncio.sleep(pause)
    return latencies


async def flood(client, count: int, rate: float, start_id: int) -> list[int]:
    """The flooder: `count` /help at `rate` per second, not waiting for answers; the HTTP statuses."""
    from tests import driver

    async def one(index: int) -> int:
        update = driver.message("/help", user_id=FLOODER)
        update["update_id"] = start_id + index
        response = await client.post(WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        return response.status_code

    tasks = []
    began = time.monotonic()
    for index in range(count):
        await asyncio.sleep(max(0.0, began + index / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one(index)))
    return await asyncio.gather(*tasks)


async def scenario(fake, port: int, args: argparse.Namespace) -> None:
    import httpx

    # Telegram opens at most 40 connections to a webhook (TELEGRAM_WEBHOOK_MAX_CONNECTIONS).
    limits = httpx.Limits(max_connections=40, max_keepalive_connections=40)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120) as client:
        await person(fake, client, 5, 1.0, 1_000)  # warm-up, and the person exists
        quiet = await person(fake, client, 20, 1.0, 2_000)
        fake.clear()
        flooding = asyncio.create_task(flood(client, args.flood, args.rate, 10_000_000))
        loaded = await person(fake, client, 20, 0.25, 3_000)
        statuses = await flooding
    print(f"person_reply_p50_quiet: {percentile(quiet, 0.5):.1f} ms")
    print(f"person_reply_p50_during_flood: {percentile(loaded, 0.5):.1f} ms")
    print(f"person_reply_max_during_flood: {max(loaded):.1f} ms")
    print(f"person_replies_during_flood: {sum(value < 10_000 for value in loaded)} of {len(loaded)} within 10 s")
    print(f"flood_http_non_200: {sum(status != 200 for status in statuses)} answers")
    print(f"flood_replies_delivered: {sum(c.status == 200 for c in fake.sent_to(FLOODER))} messages")
    print(f"telegram_429_answers: {fake.throttled} answers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flood", type=int, default=1000, help="updates the flooder sends")
    parser.add_argument("--rate", type=float, default=200.0, help="the flooder's updates per second")
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of a fresh SQLite file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bot.console.fake_api import FakeBotAPI

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(enforce_limits=True) as fake:
        env = environment(fake, args.database_url, str(Path(tmp) / "flood.sqlite3"))
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        log_path = Path(tmp) / "web.log"
        with log_path.open("wb") as log:
            web = subprocess.Popen(
                ["sh", "-c", procfile_web()],
                cwd=ROOT,
                env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_FORMAT": "text"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                wait_for_port(port, web)
                asyncio.run(scenario(fake, port, args))
            finally:
                import os

                os.killpg(web.pid, 15)
                web.wait(timeout=30)
        text = log_path.read_text(errors="replace")
        print(f"log_tracebacks: {text.count('Traceback (most recent call last)')} tracebacks")
        print(f"log_error_lines: {sum(' ERROR ' in line for line in text.splitlines())} lines")
        query = (
            "import json; from django.db.models import Count; from bot.models import TelegramUpdate as T; "
            f"print(json.dumps(dict(T.objects.filter(chat_id={FLOODER}).values_list('status')"
            ".annotate(n=Count('id')).values_list('status', 'n'))))"
        )
        shell = [sys.executable, "manage.py", "shell", "--no-imports", "-c", query]
        counts = json.loads(subprocess.run(shell, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)
        for status, count in sorted(counts.items()):
            print(f"flood_claims_{status}: {count} updates")


if __name__ == "__main__":
    main()
