"""Production logs: every line JSON (Django, gunicorn, uvicorn, django-q2), UTC times, ids of the unit of work."""

import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django_q.tasks import async_task

from config.logging import JsonFormatter
from tests import driver
from tests.processes import ROOT, child_environment, web_process

UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def parse_every_line(lines: list[str]) -> list[dict]:
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}")
    for record in records:
        assert UTC_TIME.match(record["time"]), record
        assert {"level", "logger", "message"} <= record.keys(), record
    return records


def test_the_web_process_logs_only_json_lines_with_request_and_update_ids(tmp_path: Path):
    env = child_environment(SQLITE_PATH=str(tmp_path / "db.sqlite3"), LOG_LEVEL="INFO")
    host = {"Host": "astro.example.com", "X-Forwarded-Proto": "https"}
    update = driver.message("/start")
    with web_process(env) as web:
        httpx.get(web.url + "/health/live", headers=host)
        missing = httpx.get(web.url + "/no-such-page", headers={**host, "X-Request-ID": "req-from-the-router"})
        webhook = httpx.post(
            web.url + "/telegram/webhook/",
            json=update,
            headers={**host, "X-Telegram-Bot-Api-Secret-Token": env["TELEGRAM_WEBHOOK_SECRET"]},
        )
    records = parse_every_line(web.output_lines())

    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] == "req-from-the-router"
    assert webhook.status_code == 503  # no bot token in this deployment
    loggers = {record["logger"] for record in records}
    assert {"gunicorn.error", "uvicorn.error", "uvicorn.access", "django.request"} <= loggers
    access = [record for record in records if record["logger"] == "uvicorn.access"]
    assert [line["path"] for line in access] == ["/health/live", "/no-such-page", "/telegram/webhook/"]
    assert all(line["request_id"] for line in access)
    assert access[1]["request_id"] == "req-from-the-router" and access[1]["status"] == 404
    assert access[2]["update_id"] == update["update_id"]
    not_found = next(record for record in records if record["logger"] == "django.request")
    assert not_found["request_id"] == "req-from-the-router"


def test_the_worker_logs_json_in_english_with_the_task_id(tmp_path: Path):
    env = child_environment(SQLITE_PATH=str(tmp_path / "db.sqlite3"), Q_LOG_LEVEL="INFO", Q_WORKERS="1")
    enqueue = (
        "from django.core.management import call_command; from django_q.tasks import async_task; "
        "call_command('migrate', verbosity=0); async_task('logging.warning', 'said by task %s', 'one')"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True, timeout=60)
    output = tmp_path / "worker.log"
    with output.open("wb") as sink:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 40
        while "Processed" not in output.read_text() and time.monotonic() < deadline:
            assert worker.poll() is None, output.read_text()
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)  # the cluster stops its own processes
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # whatever is left of the group
        worker.wait(timeout=5)
    records = parse_every_line(output.read_text().splitlines())

    cluster = [record for record in records if record["logger"] == "django-q"]
    assert any("processing" in record["message"] for record in cluster), cluster
    assert not [record for record in cluster if CYRILLIC.search(record["message"])]
    said = next(record for record in records if record["message"] == "said by task one")
    assert said["task_id"] and said["task_name"]


@pytest.mark.django_db
def test_a_task_run_inline_tags_its_lines_and_leaves_no_id_behind():
    stream_records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_records.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        async_task("logging.warning", "inside the task")
        logging.getLogger("tests").warning("after the task")
    finally:
        root.removeHandler(handler)

    inside, after = (json.loads(line) for line in stream_records if "the task" in line)
    assert inside["task_id"]
    assert "task_id" not in after
