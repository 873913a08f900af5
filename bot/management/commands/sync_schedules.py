from django.core.management.base import BaseCommand

from bot.schedules import schedules_sync


class Command(BaseCommand):
    help = "Create, update and prune the django-q2 schedules defined in code (safe to run any number of times)."

    def handle(self, *args: object, **options: object) -> None:
        counts = schedules_sync()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
