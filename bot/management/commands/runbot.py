import argparse
import asyncio
import signal
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from telegram.error import Conflict, InvalidToken

from bot.application import build_application
from bot.polling import poll

NO_TOKEN = """\
The bot is not running: TELEGRAM_BOT_TOKEN is not set.

  1. Open Telegram, talk to @BotFather, send /newbot and follow the steps.
  2. Put the token it gives you into .env:  TELEGRAM_BOT_TOKEN=123456:ABC...
     (use a separate bot for development: polling removes the webhook of whatever bot owns the token)
  3. Restart.

Meanwhile you can talk to the bot in a local console, no token needed:
  .venv/bin/python manage.py chat
"""


class Command(BaseCommand):
    help = "Run the bot with long polling (development). Uses the same handlers and claims as the webhook."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--timeout", type=int, default=30, help="long-polling timeout in seconds")
        parser.add_argument(
            "--wait-for-token",
            action="store_true",
            help="without a token, explain how to get one and stay idle instead of exiting (for `make run`)",
        )
        parser.add_argument("--batches", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.TELEGRAM_BOT_TOKEN:
            self.stderr.write(NO_TOKEN)
            if options["wait_for_token"]:
                self._idle()
                return
            raise CommandError("TELEGRAM_BOT_TOKEN is not set")
        try:
            processed = asyncio.run(self._run(options["timeout"], options["batches"]))
        except InvalidToken as exc:
            raise CommandError(f"Telegram rejected the token: {exc}") from exc
        except Conflict as exc:
            raise CommandError(
                f"Telegram refused polling ({exc}). Another runbot is using this token, or a webhook was set "
                "again in the meantime."
            ) from exc
        self.stdout.write(f"Stopped after processing {processed} updates.")

    async def _run(self, timeout: int, batches: int | None) -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        application = build_application()
        async with application:
            # getUpdates does not work while a webhook is set; pending updates are kept, never dropped.
            await application.bot.delete_webhook(drop_pending_updates=False)
            self.stdout.write(f"Polling as @{application.bot.username}. Press Ctrl+C to stop.")
            try:
                return await poll(application, stop=stop, timeout=timeout, max_batches=batches)
            finally:
                await sync_to_async(connections.close_all)()

    def _idle(self) -> None:
        stop = asyncio.Event()

        async def wait() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await stop.wait()

        asyncio.run(wait())
