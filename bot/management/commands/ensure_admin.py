import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Make sure a staff account exists: ADMIN_USERNAME/ADMIN_PASSWORD, or a generated password printed once."

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("Staff account: exists (reset a password with `manage.py changepassword NAME`).")
            return
        password = settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=settings.ADMIN_USERNAME, email=settings.ADMIN_EMAIL or "", password=password
        )
        if settings.ADMIN_PASSWORD:
            self.stdout.write(f"Staff account created: {settings.ADMIN_USERNAME} (password from ADMIN_PASSWORD).")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Staff account created: username {settings.ADMIN_USERNAME!r}, password {password!r}\n"
                    "This password is shown only once. Change it with `manage.py changepassword`."
                )
            )
