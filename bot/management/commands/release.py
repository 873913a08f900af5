from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The release step of a deploy: migrate, collect static files, sync the staff roles and the task schedules "
        "and register the webhook (skipped, with a message, until TELEGRAM_BOT_TOKEN and PUBLIC_URL are set)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="the static files are already in place (e.g. collected when the Docker image was built)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        verbosity = options["verbosity"]
        self._step("migrate", interactive=False, verbosity=verbosity)
        if not options["skip_collectstatic"]:
            self._step("collectstatic", interactive=False, verbosity=min(verbosity, 1))
        self._step("sync_roles", verbosity=verbosity)
        self._step("sync_schedules", verbosity=verbosity)
        self._step("set_webhook", if_configured=True)
        self.stdout.write(self.style.SUCCESS("release: done"))

    def _step(self, command: str, **options: object) -> None:
        self.stdout.write(f"release: {command}")
        call_command(command, stdout=self.stdout, stderr=self.stderr, **options)
