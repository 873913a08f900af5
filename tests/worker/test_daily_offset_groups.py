"""The daily texts written ahead as production does it: queued twice at once and run by a real worker process
with two workers on PostgreSQL; every offset group with readers gets its texts, once."""

from datetime import datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest

from tests.worker.harness import prepare, running_worker, scratch_postgres, worker_environment

PREPARE = """
import django
django.setup()
from django.core.management import call_command
from django_q.tasks import async_task
from users.models import TelegramUser

call_command("migrate", "--noinput", verbosity=0)
for index, tz in enumerate(["Europe/Moscow", "Asia/Vladivostok", "America/New_York", "Asia/Vladivostok"]):
    TelegramUser.objects.create(telegram_id=7_300_000_000 + index, sign="leo", current_tz=tz)
for _ in range(2):
    async_task("horoscopes.daily.tasks.daily_generate_ahead")
"""


@pytest.mark.postgres
def test_worker_writes_every_offset_group_once(tmp_path):
    with scratch_postgres("astrobot_groups") as database:
        env = worker_environment(database)
        prepare(env, PREPARE)
        with running_worker(env, tmp_path / "worker.log") as worker:

            def both_done() -> list[tuple]:
                done = database.query(
                    "SELECT success FROM django_q_task WHERE func = 'horoscopes.daily.tasks.daily_generate_ahead'"
                )
                return done if len(done) == 2 else []

            assert worker.wait_for(both_done, timeout=120) == [(True,), (True,)], worker.output()
            worker.stop()
        groups = database.query(
            "SELECT date, utc_offset, COUNT(*) FROM horoscopes_dailyhoroscope GROUP BY 1, 2 ORDER BY 1, 2"
        )
    days = sorted({day for day, _, _ in groups})
    assert len(days) >= 2
    for day in days:
        # Moscow (the reference zone too), Vladivostok and New York: three groups of 12 signs x 2 languages.
        found = [(offset, count) for d, offset, count in groups if d == day]
        new_york = datetime.combine(day, dt_time(12), tzinfo=ZoneInfo("America/New_York")).utcoffset()
        assert [offset for offset, _ in found] == [int(new_york.total_seconds() // 60), 180, 600]
        assert all(count == 24 for _, count in found)
