"""Run by test_price_bounds.py in a fresh SQLite file: the data a price of 99,999,999,999 Stars left behind
(a 500 on the payments list) is settled by migrating forward, and the list then loads."""

import django

django.setup()

from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("payments", "0002_seed_plans")]


def main() -> None:
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    plan = apps.get_model("payments", "Plan").objects.get(code="month")
    plan.price_stars = 99_999_999_999
    plan.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payments_payment (public_id, payer_ref, provider, amount, currency, days, status,"
            " provider_payment_id, idempotence_key, confirmation_url, receipt_email, is_recurring, raw, error,"
            " created_at, updated_at) VALUES ('ODDPAYMENT01', '', 'stars', 99999999999, 'XTR', 30, 'pending',"
            " '', '', '', '', 0, '{}', '', '2026-11-20 09:30:00', '2026-11-20 09:30:00')"
        )
    from payments.models import Payment, Plan

    try:
        list(Payment.objects.all())
    except Exception as exc:  # what the payments list hit before: the row cannot even be read
        print("before:", type(exc).__name__)
    call_command("migrate", verbosity=0)
    plan = Plan.objects.get(code="month")
    payment = Payment.objects.get(public_id="ODDPAYMENT01")
    assert plan.price_stars is None and not plan.is_active, plan.__dict__
    assert payment.status == "failed" and payment.amount == Decimal("9999999999.99"), payment.__dict__
    print("settled by the migration")


main()
