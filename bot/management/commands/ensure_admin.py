import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

NO_PASSWORD_SHOWN = """\
Staff account created: username {username!r}, with a random password that is not shown here (this output is
not a terminal, and logs keep what they are given). To sign in, either
  - set ADMIN_PASSWORD before the account is created, or
  - run `python manage.py changepassword {username}` in a terminal (or `createsuperuser` for another account)."""


class Command(BaseCommand):
    help = (
        "Make sure a staff account exists: ADMIN_USERNAME/ADMIN_PASSWORD, or a generated password shown once "
        "on a terminal (never written into logs)."
    )

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("Staff account: exists (reset a password with `manage.py changepassword NAME`).")
            return
        username = settings.ADMIN_USERNAME
        password = settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=settings.ADMIN_EMAIL or "", password=password)
        if settings.ADMIN_PASSWORD:
            self.stdout.write(f"Staff account created: {username} (password from ADMIN_PASSWORD).")
        elif self.stdout.isatty():  # a pipe, a file or a platform's log collector is not a terminal
            self.stdout.write(
                self.style.WARNING(
                    f"Staff account created: username {username!r}, password {password!r}\n"
                    "This password is shown only once. Change it with `manage.py changepassword`."
                )
            )
        else:
            self.stdout.write(self.style.WARNING(NO_PASSWORD_SHOWN.format(username=username)))
