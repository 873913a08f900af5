"""manage.py render_welcome: redraw the welcome cards shipped in users/assets/."""

from typing import Any

from django.core.management.base import BaseCommand

from users.welcome import render_assets


class Command(BaseCommand):
    help = "Render the greeting pictures (one per language) into users/assets/."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in render_assets():
            self.stdout.write(f"{path.name}: {path.stat().st_size // 1024} KB")
