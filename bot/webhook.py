"""The Telegram webhook: a plain ASGI endpoint mounted in front of Django (see README, Architecture).

Django's ASGI handler starts a fresh executor thread for every request (asgiref's ThreadSensitiveContext)
and runs each middleware hook through a thread hop; for a machine-to-machine endpoint that needs no
session, CSRF, auth or locale middleware, that was most of the time an update took.
"""

import hmac
import json
import logging

from asgiref.sync import sync_to_async
from django.conf import settings

from bot import runtime
from bot.processing import (
    Outcome,
    UpdateNotRecorded,
    connections_checkup,
    update_id_of,
    update_parse,
    update_process,
)
from config.logging import log_bind

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook/"
SECRET_HEADER = b"x-telegram-bot-api-secret-token"


class BodyTooLarge(Exception):
    """The request body is larger than TELEGRAM_WEBHOOK_MAX_BODY."""


async def webhook_asgi(scope: dict, receive, send) -> None:
    """Receive one update from Telegram, process it exactly once, and answer 200 once it needs nothing more."""
    try:
        status, body = await _handle(scope, receive)
    finally:
        await sync_to_async(connections_checkup)()
    payload = json.dumps({"ok": 200 <= status < 300, **body}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if "retry_after" in body:
        headers.append((b"retry-after", str(body["retry_after"]).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _handle(scope: dict, receive) -> tuple[int, dict]:
    if scope.get("method") != "POST":
        return 405, {"error": "method not allowed"}
    headers = dict(scope.get("headers") or ())
    if not hmac.compare_digest(headers.get(SECRET_HEADER, b""), settings.TELEGRAM_WEBHOOK_SECRET.encode()):
        return 403, {"error": "forbidden"}
    try:
        body = await _read_body(receive, headers.get(b"content-length"), settings.TELEGRAM_WEBHOOK_MAX_BODY)
    except BodyTooLarge:
        return 413, {"error": "body too large"}
    except ValueError:
        return 400, {"error": "bad content length"}
    try:
        data = update_parse(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return 400, {"error": "malformed JSON"}
    if not isinstance(data, dict) or update_id_of(data) is None:
        return 400, {"error": "not an update"}
    # Every later line of this request carries the update id (config.asgi's RequestIdMiddleware unbinds it).
    log_bind(update_id=update_id_of(data))
    try:
        application = await runtime.application_start()
    except runtime.BotNotConfigured:
        return 503, {"error": "bot not configured"}
    except Exception:
        return 503, {"error": "bot not started"}
    try:
        processed = await update_process(application, data)
    except UpdateNotRecorded:
        logger.exception("Could not record an update; Telegram will deliver it again")
        return 503, {"error": "try again", "retry_after": 5}
    if processed.outcome == Outcome.BUSY:
        # Another worker holds it and has not finished: a 200 would lose it if that worker dies, so Telegram
        # must deliver it again (it retries every non-2xx); by then it is done, or its lease ran out.
        return 503, {"error": "being processed", "retry_after": processed.retry_after}
    # A duplicate, or an update our handlers could not read, is still a 200: a retry cannot help it.
    return 200, {"result": str(processed.outcome)}


async def _read_body(receive, declared: bytes | None, limit: int) -> bytes:
    if declared is not None and int(declared) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)
