"""The wheel's footer now names the local birth time and the place, and an uncertain body is drawn without a
degree: forget the Telegram file ids of wheels drawn before, so each is drawn again the next time it is asked for."""

from django.db import migrations


def forget_wheels(apps, schema_editor):
    apps.get_model("horoscopes", "NatalChart").objects.update(wheel_file_ids={})


class Migration(migrations.Migration):
    dependencies = [("horoscopes", "0003_daily_offset_groups")]

    operations = [migrations.RunPython(forget_wheels, migrations.RunPython.noop)]
