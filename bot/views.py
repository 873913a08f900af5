"""The Telegram webhook and the health check."""

import asyncio
import hmac
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from bot import runtime
from bot.processing import UpdateNotRecorded, update_id_of, update_parse, update_process
from bot.selectors import database_ping, heartbeat_age

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLUSTER_HEARTBEAT = "cluster"


def _answer(status: int, **body: object) -> JsonResponse:
    return JsonResponse({"ok": 200 <= status < 300, **body}, status=status)


def _secret_matches(request: HttpRequest) -> bool:
    given = request.headers.get(SECRET_HEADER, "")
    return hmac.compare_digest(given.encode("utf-8", "replace"), settings.TELEGRAM_WEBHOOK_SECRET.encode())


@csrf_exempt
async def telegram_webhook(request: HttpRequest) -> JsonResponse:
    """Receive one update from Telegram, process it exactly once, and answer 200."""
    if request.method != "POST":
        return _answer(405, error="method not allowed")
    if not _secret_matches(request):
        return _answer(403, error="forbidden")
    limit = settings.TELEGRAM_WEBHOOK_MAX_BODY
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _answer(400, error="bad content length")
    if declared > limit:
        return _answer(413, error="body too large")
    try:
        body = request.body
    except RequestDataTooBig:
        return _answer(413, error="body too large")
    if len(body) > limit:
        return _answer(413, error="body too large")
    try:
        data = update_parse(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _answer(400, error="malformed JSON")
    if update_id_of(data) is None:
        return _answer(400, error="not an update")
    try:
        application = await runtime.application_start()
    except runtime.BotNotConfigured:
        return _answer(503, error="bot not configured")
    except Exception:
        return _answer(503, error="bot not started")
    try:
        outcome = await update_process(application, data)
    except UpdateNotRecorded:
        logger.exception("Could not record an update; Telegram will deliver it again")
        return _answer(503, error="try again")
    # A duplicate or an update our handlers could not read is still a 200: a retry cannot help it.
    return _answer(200, result=str(outcome))


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
        try:
            await asyncio.wait_for(runtime.application_start(), timeout=3)
        except Exception:
            pass
    if runtime.state.application is None:
        return {"ok": False, "error": runtime.state.error or "not started"}
    return {"ok": True, "username": runtime.state.username}


async def health(request: HttpRequest) -> JsonResponse:
    """Report the database, the task cluster and the bot: 200 when all are well, 503 otherwise."""
    checks = await sync_to_async(_database_and_tasks)()
    checks["bot"] = await _bot_check()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)
