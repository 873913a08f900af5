"""The dashboard rollup as production runs it: queued twice at once and run by a real worker process with two
workers on PostgreSQL; both runs succeed and leave one set of rows."""

import pytest

from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

PREPARE = """
import django
django.setup()
from datetime import timedelta
from decimal import Decimal
from django.core.management import call_command
from django.utils import timezone
from django_q.tasks import async_task
from payments.models import Payment, Plan
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
now = timezone.now()
for index in range(30):
    user = TelegramUser.objects.create(telegram_id=7_200_000_000 + index, first_seen_at=now - timedelta(days=index % 3))
    if index % 10 == 0:
        Payment.objects.create(user=user, plan=Plan.objects.get(code="month"), provider="stars", amount=Decimal(150),
                               currency="XTR", days=30, status="succeeded", paid_at=now)
today = timezone.localdate()
for _ in range(2):
    async_task("staff.tasks.dashboard_rollup", (today - timedelta(days=5)).isoformat(), today.isoformat())
"""


@pytest.mark.postgres
def test_worker_runs_the_rollup_twice_at_once_with_one_result(tmp_path):
    with scratch_postgres("astrobot_rollup") as database:
        env = worker_environment(database)
        prepare(env, PREPARE)
        with running_worker(env, tmp_path / "worker.log") as worker:

            def both_done() -> list[tuple]:
                done = database.query("SELECT success FROM django_q_task WHERE func = 'staff.tasks.dashboard_rollup'")
                return done if len(done) == 2 else []

            done = worker.wait_for(both_done, timeout=90)
            assert done == [(True,), (True,)], worker.output()
            assert database.query("SELECT SUM(value) FROM staff_dailymetric WHERE key = 'users_new'") == [(30,)]
            assert database.query("SELECT MAX(value) FROM staff_dailymetric WHERE key = 'paying_total'") == [(3,)]
            assert database.query(
                "SELECT COUNT(*) FROM (SELECT day, key, dimension FROM staff_dailymetric"
                " GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) d"
            ) == [(0,)]
            worker.stop()
