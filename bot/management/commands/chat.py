import asyncio
import sys
import tempfile
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from django_q.conf import Conf

from bot.application import build_application
from bot.console.chat import Console, ConsoleUser
from bot.console.fake_api import FakeBotAPI

BANNER = """\
Astrobot local console: the real handlers and database, a fake Telegram on this machine.
Type a message or a /command. Buttons are numbered: type #1 to press the first.
Send a location pin as @55.75,37.62. Quit with /quit or Ctrl+D.
"""


class Command(BaseCommand):
    help = "Talk to the bot in the terminal, no bot token needed (a fake Bot API stands in for Telegram)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user-id", type=int, default=100000001, help="the Telegram id you play")
        parser.add_argument("--name", default="Console", help="your first name as Telegram reports it")
        parser.add_argument("--language", default="ru", help="your Telegram app language (e.g. ru, en)")
        parser.add_argument("--files", default=None, help="where pictures the bot sends are saved")

    def handle(self, *args: object, **options: object) -> None:
        # There is no worker in the console: background tasks run inline, right after they are queued.
        Conf.SYNC = True
        files = Path(options["files"]) if options["files"] else Path(tempfile.gettempdir()) / "astrobot-console"
        user = ConsoleUser(
            telegram_id=options["user_id"], first_name=options["name"], language_code=options["language"]
        )
        asyncio.run(self._run(user, files))

    async def _run(self, user: ConsoleUser, files: Path) -> None:
        interactive = sys.stdin.isatty()
        with FakeBotAPI() as api:
            # Background tasks send through bot.sender, which reads these settings: the same fake Telegram.
            settings.TELEGRAM_BOT_TOKEN = api.token
            settings.TELEGRAM_API_BASE_URL = api.base_url
            settings.TELEGRAM_API_FILE_URL = api.base_file_url
            application = build_application(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url)
            async with application:
                console = Console(
                    api=api,
                    application=application,
                    user=user,
                    files_dir=files,
                    bold=("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", ""),
                )
                self.stdout.write(BANNER)
                loop = asyncio.get_running_loop()
                while True:
                    line = await loop.run_in_executor(None, _read_line, "you> " if interactive else "")
                    if line is None or line.strip() in {"/quit", "/exit"}:
                        break
                    if not interactive:
                        self.stdout.write(f"you> {line.rstrip()}")
                    update = console.update_for(line)
                    if update is None:
                        continue
                    if isinstance(update, str):
                        self.stdout.write(f"  {update}")
                        continue
                    for out in await console.send(update):
                        self.stdout.write(out)
                await sync_to_async(connections.close_all)()


def _read_line(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None
