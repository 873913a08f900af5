import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bot.application import build_application


class Command(BaseCommand):
    help = "Print what Telegram knows about the webhook: URL, pending updates, the last error."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("TELEGRAM_BOT_TOKEN is not set.")
        info = asyncio.run(self._info())
        rows = [
            ("url", info.url or "(none: the bot is not using a webhook)"),
            ("pending updates", info.pending_update_count),
            ("max connections", info.max_connections),
            ("allowed updates", ", ".join(info.allowed_updates or ()) or "(Telegram's default)"),
            ("ip address", info.ip_address or "-"),
            (
                "last error",
                f"{info.last_error_date:%Y-%m-%d %H:%M:%S %Z}: {info.last_error_message}"
                if info.last_error_date
                else "none",
            ),
            (
                "last sync error",
                f"{info.last_synchronization_error_date:%Y-%m-%d %H:%M:%S %Z}"
                if info.last_synchronization_error_date
                else "none",
            ),
        ]
        for name, value in rows:
            self.stdout.write(f"{name:>16}: {value}")

    async def _info(self):
        async with build_application() as application:
            return await application.bot.get_webhook_info()
