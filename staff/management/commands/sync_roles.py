from typing import Any

from django.core.management.base import BaseCommand

from staff.services import roles_sync


class Command(BaseCommand):
    help = (
        "Create the staff roles (Support, Content, Marketing, Owner) and add the permissions staff/roles.py lists; "
        "permissions added by hand stay unless --prune is given. Safe to run any number of times."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--prune", action="store_true", help="also remove permissions a role holds but staff/roles.py does not list"
        )

    def handle(self, *args: object, **options: Any) -> None:
        result = roles_sync(prune=options["prune"])
        for name in result.created:
            self.stdout.write(f"Role created: {name}")
        for name, permissions in result.added.items():
            self.stdout.write(f"Role {name}: added {', '.join(permissions)}")
        for name, permissions in result.removed.items():
            self.stdout.write(f"Role {name}: removed {', '.join(permissions)}")
        for permission in result.missing:
            self.stdout.write(self.style.WARNING(f"Skipped {permission}: no such permission (app not installed yet?)"))
        if not (result.created or result.added or result.removed):
            self.stdout.write("Roles: up to date.")
