import asyncio
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_q.conf import Conf


class Command(BaseCommand):
    help = "Talk to the bot in the terminal, no bot token needed (a fake Bot API stands in for Telegram)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user-id", type=int, default=100000001, help="the Telegram id you play")
        parser.add_argument("--name", default="Console", help="your first name as Telegram reports it")
        parser.add_argument("--language", default="ru", help="your Telegram app language (e.g. ru, en)")
        parser.add_argument("--files", default=None, help="where pictures the bot sends are saved")

    def handle(self, *args: object, **options: Any) -> None:
        try:
            # Imported only here: the console is left out of the production image (.dockerignore).
            from bot.console.chat import ConsoleUser, run
        except ImportError as error:
            if not (error.name or "").startswith("bot.console"):
                raise
            raise CommandError(
                "The console (bot/console/) is not part of this installation: run `manage.py chat` from a source "
                "checkout, not from the production image."
            ) from None
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # A fresh checkout: prepare the local database, as `dev.py run` does.
            self.stdout.write("Preparing the database (migrate)…")
            call_command("migrate", verbosity=0, interactive=False)
        # There is no worker in the console: background tasks run inline, right after they are queued.
        Conf.SYNC = True
        files = Path(options["files"]) if options["files"] else Path(tempfile.gettempdir()) / "astrobot-console"
        user = ConsoleUser(
            telegram_id=options["user_id"], first_name=options["name"], language_code=options["language"]
        )
        asyncio.run(run(user, files, self.stdout.write))
