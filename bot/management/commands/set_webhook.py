import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from telegram import BotCommand
from telegram.error import TelegramError

from bot.application import ALLOWED_UPDATES, build_application
from bot.menu.texts import COMMANDS
from bot.webhook import WEBHOOK_PATH


def webhook_url() -> str:
    """The public URL Telegram posts updates to, from PUBLIC_URL."""
    if not settings.PUBLIC_URL:
        raise CommandError("PUBLIC_URL is not set: it is the public https:// address of the web process.")
    if not settings.PUBLIC_URL.startswith("https://"):
        raise CommandError(f"PUBLIC_URL must start with https:// (Telegram requires TLS), got {settings.PUBLIC_URL!r}")
    return settings.PUBLIC_URL.rstrip("/") + WEBHOOK_PATH


def bot_commands(language: str) -> list[BotCommand]:
    """The command menu in one language."""
    with translation.override(language):
        return [BotCommand(name, str(description)) for name, description in COMMANDS]


def skip_reason() -> str | None:
    """Why there is no webhook to register yet (a first deploy, a polling deployment), or None."""
    if not settings.TELEGRAM_BOT_TOKEN:
        return "TELEGRAM_BOT_TOKEN is not set"
    if not settings.PUBLIC_URL:
        return "PUBLIC_URL is not set (the public https:// address of the web process)"
    return None


class Command(BaseCommand):
    help = "Point Telegram at this deployment's webhook (PUBLIC_URL) and set the command menu in ru and en."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-configured",
            action="store_true",
            help="without a token or PUBLIC_URL, say so and exit 0 instead of failing (the release step)",
        )

    def handle(self, *args: object, **options: object) -> None:
        reason = skip_reason()
        if reason and options["if_configured"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Webhook not set: {reason}. Set it and run `manage.py set_webhook` (or redeploy); "
                    "a deployment without a public address runs `manage.py runbot` (long polling) instead."
                )
            )
            return
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("TELEGRAM_BOT_TOKEN is not set.")
        url = webhook_url()
        try:
            asyncio.run(self._set(url))
        except TelegramError as exc:
            raise CommandError(f"Telegram refused: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Webhook set to {url}; command menu set in ru and en."))

    async def _set(self, url: str) -> None:
        async with build_application() as application:
            bot = application.bot
            await bot.set_webhook(
                url,
                secret_token=settings.TELEGRAM_WEBHOOK_SECRET,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=settings.TELEGRAM_WEBHOOK_MAX_CONNECTIONS,
                drop_pending_updates=False,
            )
            await bot.set_my_commands(bot_commands("ru"))
            await bot.set_my_commands(bot_commands("ru"), language_code="ru")
            await bot.set_my_commands(bot_commands("en"), language_code="en")
