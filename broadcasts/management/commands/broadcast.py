"""`manage.py broadcast`: the same services as the admin, from a shell."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadcasts.models import Broadcast
from broadcasts.selectors import broadcast_audience_count, broadcast_progress
from broadcasts.services import (
    BroadcastError,
    broadcast_cancel,
    broadcast_pause,
    broadcast_resume,
    broadcast_schedule,
    broadcast_test_send,
)


class Command(BaseCommand):
    help = "List broadcasts, show one's audience and progress, test-send, schedule, pause, resume or cancel it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["list", "show", "test", "schedule", "pause", "resume", "cancel"], help="what to do"
        )
        parser.add_argument("broadcast_id", nargs="?", type=int, help="the broadcast (all but list)")
        parser.add_argument("--to", type=int, help="test: the Telegram id to send the test to")
        parser.add_argument("--staff", type=int, help="the staff user id to record in the audit log")

    def handle(self, *args: object, **options: object) -> None:
        action = str(options["action"])
        if action == "list":
            for broadcast in Broadcast.objects.order_by("-created_at")[:50]:
                self.stdout.write(f"{broadcast.pk}\t{broadcast.status}\t{broadcast.title}")
            return
        broadcast_id = options["broadcast_id"]
        if not isinstance(broadcast_id, int):
            raise CommandError("Give the broadcast's id.")
        found = Broadcast.objects.filter(pk=broadcast_id).first()
        if found is None:
            raise CommandError(f"There is no broadcast {broadcast_id}.")
        broadcast = found
        staff = options["staff"] if isinstance(options["staff"], int) else None
        try:
            if action == "show":
                self._show(broadcast)
            elif action == "test":
                if not isinstance(options["to"], int) or staff is None:
                    raise CommandError("test needs --to <Telegram id> and --staff <staff user id>.")
                broadcast_test_send(broadcast_id=broadcast.pk, staff_id=staff, telegram_id=options["to"])
                self.stdout.write("Test queued.")
            elif action == "schedule":
                count = broadcast_schedule(broadcast_id=broadcast.pk, staff_id=staff)
                self.stdout.write(f"Scheduled for {count} users.")
            else:
                service = {"pause": broadcast_pause, "resume": broadcast_resume, "cancel": broadcast_cancel}[action]
                changed = service(broadcast_id=broadcast.pk, staff_id=staff)
                self.stdout.write("Done." if changed else f"Nothing to {action}: the broadcast is {broadcast.status}.")
        except BroadcastError as error:
            raise CommandError(str(error)) from error

    def _show(self, broadcast: Broadcast) -> None:
        audience = broadcast_audience_count(broadcast)
        progress = broadcast_progress(broadcast)
        self.stdout.write(f"{broadcast.title} ({broadcast.status})")
        self.stdout.write(f"audience: {audience.selected} selected, {audience.receiving} receiving")
        if broadcast.paid:
            self.stdout.write(f"paid broadcast: {audience.stars} Stars")
        self.stdout.write(
            f"sent {progress.sent}, blocked {progress.blocked}, failed {progress.failed}, skipped {progress.skipped}, "
            f"remaining {progress.remaining}, {progress.rate}/s, eta {progress.eta or '-'}, "
            f"clicks {progress.clicks}, Premium within 7 days {progress.premium}"
        )
