import asyncio
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bot.application import build_application


class Command(BaseCommand):
    help = "Remove the webhook (e.g. to switch to polling). Pending updates are kept unless you insist."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--drop-pending-updates",
            action="store_true",
            help="also throw away updates Telegram has not delivered yet (payments among them!)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("TELEGRAM_BOT_TOKEN is not set.")
        asyncio.run(self._delete(options["drop_pending_updates"]))
        self.stdout.write(self.style.SUCCESS("Webhook removed."))

    async def _delete(self, drop: bool) -> None:
        async with build_application() as application:
            await application.bot.delete_webhook(drop_pending_updates=drop)
