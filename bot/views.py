"""The health check (the webhook is a plain ASGI endpoint: bot.webhook)."""

import asyncio
import contextlib

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse

from bot import runtime
from bot.selectors import database_ping, heartbeat_age

CLUSTER_HEARTBEAT = "cluster"


def _database_and_tasks() -> dict[str, dict]:
    try:
        database_ping()
    except Exception as exc:
        return {
            "database": {"ok": False, "error": type(exc).__name__},
            "tasks": {"ok": False, "error": "database unavailable"},
        }
    age = heartbeat_age(name=CLUSTER_HEARTBEAT)
    tasks = {"ok": age is not None and age.total_seconds() < settings.HEARTBEAT_STALE_AFTER}
    tasks["last_heartbeat_seconds_ago"] = None if age is None else round(age.total_seconds(), 1)
    return {"database": {"ok": True}, "tasks": tasks}


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


async def health(request: HttpRequest) -> JsonResponse:
    """Report the database, the task cluster and the bot: 200 when all are well, 503 otherwise."""
    checks = await sync_to_async(_database_and_tasks)()
    checks["bot"] = await _bot_check()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)
