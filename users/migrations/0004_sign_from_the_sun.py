"""Signs were taken from a table of dates; the sign is now the Sun's at the birth moment (noon when unknown)."""

from datetime import UTC, datetime, time

from django.db import migrations

from horoscopes.astro.names import sun_sign_at


def signs_from_the_sun(apps, schema_editor):
    TelegramUser = apps.get_model("users", "TelegramUser")
    born = TelegramUser.objects.filter(birth_date__isnull=False).only("pk", "birth_date", "birth_utc", "sign")
    for user in born.iterator(chunk_size=2000):
        sign = sun_sign_at(user.birth_utc or datetime.combine(user.birth_date, time(12), tzinfo=UTC))
        if sign != user.sign:
            TelegramUser.objects.filter(pk=user.pk).update(sign=sign)


class Migration(migrations.Migration):
    dependencies = [("users", "0003_push_due")]

    operations = [migrations.RunPython(signs_from_the_sun, migrations.RunPython.noop, elidable=True)]
