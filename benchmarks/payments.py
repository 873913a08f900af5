"""Payments benchmark: nothing is ever credited twice, however often and however concurrently it is reported.

    DATABASE_URL=postgres://USER@HOST:5432/NAME .venv/bin/python benchmarks/payments.py [--threads 1000]

1. Confirmations: `--threads` threads (1,000 by default), released at the same moment, each confirm the
   same paid payment (payments.services.payment_confirm, the path of YooKassa notifications, polls and
   the "I have paid" button). The database pool (`--pool`, default 40 connections) is the real limit on
   how many are inside the database at once; the rest wait for a connection, as they would in production.
2. Replays: the same Telegram Stars `successful_payment` update posted 10 times at once to the webhook
   (the real ASGI app, the real handlers, a fake Bot API on loopback), then the same charge 10 more times
   under 10 new update ids (what a redelivery after the claim records were pruned would look like).

Each part prints the number of Premium extensions (must be exactly 1) and the time taken. The benchmark
makes its own throw-away database next to NAME (Django's test database, e.g. test_NAME) and drops it.
On SQLite it runs too, but SQLite serialises every write, so only PostgreSQL proves the row locks.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(pool: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DB_POOL_MAX_SIZE"] = str(pool)
    os.environ["DB_POOL_TIMEOUT"] = "300"
    os.environ["Q_SYNC"] = "1"
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()


class _NoMigrations(dict):
    """Build the throw-away schema straight from the models (what pytest --nomigrations does)."""

    def __contains__(self, item: object) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


def make_plan_and_user(telegram_id: int):
    from payments.models import Plan
    from users.models import TelegramUser

    plan, _ = Plan.objects.get_or_create(
        code="bench-month",
        defaults={
            "name_ru": "1 месяц",
            "name_en": "1 month",
            "days": 30,
            "price_stars": 150,
            "price_rub": Decimal("299.00"),
        },
    )
    user = TelegramUser.objects.create(telegram_id=telegram_id, language="ru")
    return plan, user


def confirmations(threads: int) -> None:
    from django.db import connections

    from payments.models import Provider
    from payments.services import payment_confirm, payment_create

    plan, user = make_plan_and_user(9_100_000_001)
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.FAKE)
    barrier = threading.Barrier(threads)
    granted: list[bool] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            result = payment_confirm(
                payment_id=payment.pk, provider_payment_id="bench-1", amount=Decimal("299.00"), currency="RUB", raw={}
            )
            with lock:
                granted.append(result.granted)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    user.refresh_from_db()
    extensions = round((user.premium_until - payment.created_at) / timedelta(days=30))
    print(f"confirm_threads: {threads} threads ({connections['default'].vendor}, all at once)")
    print(f"confirm_premium_extensions: {granted.count(True)} extensions")
    print(f"confirm_premium_days_added: {extensions * 30} days")
    print(f"confirm_already_confirmed: {granted.count(False)} answers")
    print(f"confirm_errors: {len(errors)} errors" + (f" (first: {errors[0]!r})" if errors else ""))
    print(f"confirm_total_time: {elapsed:.2f} s")
    print(f"confirm_time_per_confirmation: {elapsed / threads * 1000:.2f} ms")
    assert granted.count(True) == 1 and extensions == 1 and not errors


def replays(replays: int = 10) -> None:
    from asgiref.sync import sync_to_async
    from django.conf import settings
    from django.db import connections

    from bot import runtime
    from bot.console.fake_api import FakeBotAPI
    from payments.models import Payment, PaymentStatus, Provider
    from payments.services import payment_create, payment_mark_invoiced
    from tests.driver import AsgiServer
    from users.models import TelegramUser

    chat = 9_100_000_002
    plan, user = make_plan_and_user(chat)
    payment = payment_create(user_id=user.pk, plan_id=plan.pk, provider=Provider.STARS)
    payment_mark_invoiced(payment_id=payment.pk)

    with FakeBotAPI() as api:
        settings.TELEGRAM_BOT_TOKEN = api.token
        settings.TELEGRAM_API_BASE_URL = api.base_url
        settings.TELEGRAM_API_FILE_URL = api.base_file_url
        runtime.state = runtime.BotState()
        update = api.make_successful_payment_update(chat, payment.public_id, total_amount=150, currency="XTR")
        renumbered = [{**update, "update_id": update["update_id"] + 1000 + index} for index in range(replays)]

        async def scenario() -> tuple[list, list, float, float]:
            async with AsgiServer() as server:
                started = time.perf_counter()
                same = await asyncio.gather(*(server.post_update(update) for _ in range(replays)))
                same_time = time.perf_counter() - started
                started = time.perf_counter()
                fresh = await asyncio.gather(*(server.post_update(item) for item in renumbered))
                fresh_time = time.perf_counter() - started
            # The handlers' database thread keeps its connection between updates: hand it back.
            await sync_to_async(connections.close_all)()
            return same, fresh, same_time, fresh_time

        same, fresh, same_time, fresh_time = asyncio.run(scenario())
        thanks = [call for call in api.sent_to(chat) if "Спасибо" in call.params.get("text", "")]
    user = TelegramUser.objects.get(pk=user.pk)
    extensions = round((user.premium_until - payment.created_at) / timedelta(days=30))
    paid = Payment.objects.filter(status=PaymentStatus.SUCCEEDED, provider=Provider.STARS).count()
    processed = sum(response.json().get("result") == "processed" for response in same)
    print(f"replay_same_update: {replays} posts")
    print(f"replay_same_update_processed: {processed} updates")
    print(f"replay_same_charge_new_update_ids: {replays} posts")
    print(f"replay_http_non_200: {sum(r.status_code != 200 for r in same + fresh)} responses")
    print(f"replay_time_same_update: {same_time * 1000:.0f} ms")
    print(f"replay_time_same_charge: {fresh_time * 1000:.0f} ms")
    print(f"replay_premium_extensions: {extensions} extensions")
    print(f"replay_paid_payments: {paid} payments")
    print(f"replay_thank_you_messages: {len(thanks)} messages")
    assert extensions == 1 and paid == 1 and len(thanks) == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--pool", type=int, default=40, help="database connections per process (PostgreSQL)")
    args = parser.parse_args()
    setup_django(args.pool)

    from django.conf import settings
    from django.db import connection

    settings.MIGRATION_MODULES = _NoMigrations()
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test_settings["NAME"] = f"bench_payments_{connection.settings_dict['NAME']}"
    else:
        # A file, not shared-cache memory: SQLite's busy timeout then makes writers queue instead of failing.
        test_settings["NAME"] = str(Path(tempfile.mkdtemp()) / "bench_payments.sqlite3")
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} ({Path(test_name).name}, a throw-away copy)")
    try:
        confirmations(args.threads)
        replays()
    finally:
        from django.db import connections

        connections.close_all()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
        connection.creation.destroy_test_db(test_name, verbosity=0)
        if connection.vendor == "sqlite":
            Path(test_name).parent.rmdir()
    print("every_charge_extended_premium_once: yes")


if __name__ == "__main__":
    main()
