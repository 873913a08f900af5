"""Default plans, so that Premium is on sale from the first start; staff edit them in admin."""

from decimal import Decimal

from django.db import migrations

PLANS = (
    {
        "code": "month",
        "name_ru": "1 месяц",
        "name_en": "1 month",
        "days": 30,
        "price_stars": 150,
        "price_rub": Decimal("299.00"),
        "is_subscription": False,
        "position": 10,
    },
    {
        "code": "year",
        "name_ru": "12 месяцев",
        "name_en": "12 months",
        "days": 365,
        "price_stars": 1200,
        "price_rub": Decimal("2390.00"),
        "is_subscription": False,
        "position": 20,
    },
    {
        "code": "month-subscription",
        "name_ru": "Подписка",
        "name_en": "Subscription",
        "days": 30,
        "price_stars": 130,
        "price_rub": None,
        "is_subscription": True,
        "position": 30,
    },
)


def plans_seed(apps, schema_editor) -> None:
    Plan = apps.get_model("payments", "Plan")
    for plan in PLANS:
        # Only create: a plan staff already edited keeps their prices.
        Plan.objects.get_or_create(code=plan["code"], defaults=plan)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(plans_seed, migrations.RunPython.noop)]
