import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from bot.cluster import Worker


class Command(BaseCommand):
    help = (
        "Run the django-q2 task cluster (what the Procfile's worker runs): like qcluster, but SIGTERM or SIGINT "
        "to the whole process group stops it within Q_STOP_GRACE seconds plus a few."
    )

    def handle(self, *args: object, **options: object) -> None:
        sys.exit(Worker(grace=settings.Q_STOP_GRACE).run())
