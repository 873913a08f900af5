"""The health checks (the webhook is a plain ASGI endpoint: bot.webhook)."""

import asyncio
import contextlib

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse

from bot import runtime
from bot.health import database_probe
from bot.selectors import heartbeat_age

CLUSTER_HEARTBEAT = "cluster"


async def _database_check() -> dict:
    try:
        await database_probe()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def _tasks_check() -> dict:
    age = heartbeat_age(name=CLUSTER_HEARTBEAT)
    tasks = {"ok": age is not None and age.total_seconds() < settings.HEARTBEAT_STALE_AFTER}
    tasks["last_heartbeat_seconds_ago"] = None if age is None else round(age.total_seconds(), 1)
    return tasks


async def _bot_check() -> dict:
    if not settings.TELEGRAM_BOT_TOKEN:
        return {"ok": False, "error": "TELEGRAM_BOT_TOKEN is not set"}
    if runtime.state.application is None:
        # Started lazily when no lifespan ran (e.g. under a plain ASGI test client); never wait long.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runtime.application_start(), timeout=3)
    if runtime.state.application is None:
        return {"ok": False, "error": runtime.state.error or "not started"}
    return {"ok": True, "username": runtime.state.username}


def _answer(checks: dict) -> JsonResponse:
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)


async def health_live(request: HttpRequest) -> JsonResponse:
    """Liveness of this web process alone: it answers and reaches the database, within a second."""
    return _answer({"database": await _database_check()})


async def health(request: HttpRequest) -> JsonResponse:
    """Readiness and status: the database, the task cluster's heartbeat and the bot; 200 when all are well."""
    checks = {"database": await _database_check()}
    if checks["database"]["ok"]:
        try:
            checks["tasks"] = await sync_to_async(_tasks_check)()
        except Exception as exc:
            checks["tasks"] = {"ok": False, "error": type(exc).__name__}
    else:
        checks["tasks"] = {"ok": False, "error": "database unavailable"}
    checks["bot"] = await _bot_check()
    return _answer(checks)
