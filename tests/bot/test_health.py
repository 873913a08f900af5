"""/health reports the database, the task cluster and the bot."""

import pytest
from django.db import OperationalError, connection

from bot.services import heartbeat_record
from bot.tasks import heartbeat
from tests import driver

pytestmark = pytest.mark.django_db


def get_health() -> tuple[int, dict]:
    response = driver.request("GET", "/health")
    return response.status_code, response.json()


def test_all_well(bot_settings):
    heartbeat()

    status, body = get_health()

    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["bot"] == {"ok": True, "username": "astrobot_fake_bot"}
    assert body["checks"]["tasks"]["ok"] is True
    assert body["checks"]["database"] == {"ok": True}


def test_stale_or_missing_heartbeat_is_503(bot_settings, settings):
    status, body = get_health()
    assert status == 503
    assert body["checks"]["tasks"] == {"ok": False, "last_heartbeat_seconds_ago": None}

    heartbeat_record(name="cluster")
    settings.HEARTBEAT_STALE_AFTER = 0
    status, body = get_health()
    assert status == 503
    assert body["checks"]["tasks"]["last_heartbeat_seconds_ago"] >= 0


def test_bot_without_token_is_503(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    heartbeat()

    status, body = get_health()

    assert status == 503
    assert body["checks"]["bot"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_bot_api_unreachable_is_503(bot_settings, settings):
    settings.TELEGRAM_API_BASE_URL = "http://127.0.0.1:9/bot"
    heartbeat()

    status, body = get_health()

    assert status == 503
    assert body["checks"]["bot"]["ok"] is False
    assert body["checks"]["bot"]["error"]


def test_database_down_is_503(bot_settings):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("down")

    with connection.execute_wrapper(refuse):
        status, body = get_health()

    assert status == 503
    assert body["checks"]["database"]["ok"] is False
