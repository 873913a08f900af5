"""One path for every incoming update, by webhook or by polling: claim it, process it once, record it."""

import enum
import json
import logging

from asgiref.sync import sync_to_async
from django.db import connections
from telegram import Update
from telegram.ext import Application

from bot.services import update_claim, update_fail, update_finish

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


def connections_checkup() -> None:
    """Between updates: drop a broken database connection, keep a healthy one open.

    CONN_MAX_AGE is 0 because Django's ASGI handler runs each request in a thread of its own. Updates run
    their database work in asgiref's one shared thread instead, so its connection is safe to reuse, and
    reopening SQLite (or leaving and re-entering the pool) for every update was a fifth of the cost.
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue  # nothing open, or a transaction that belongs to our caller (a test)
        if connection.get_autocommit() != connection.settings_dict["AUTOCOMMIT"]:
            connection.close()
        elif connection.errors_occurred:
            if connection.is_usable():
                connection.errors_occurred = False
            else:
                connection.close()


class UpdateNotRecorded(Exception):
    """The update could not be claimed (the database is unreachable): let Telegram deliver it again."""


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def update_parse(body: bytes) -> object:
    """Strict JSON (no NaN or Infinity), with strings made storable: no NUL, no lone surrogates."""
    return _clean(json.loads(body, parse_constant=_reject_constant))


def _clean(node: object) -> object:
    if isinstance(node, str):
        if "\x00" in node:
            node = node.replace("\x00", "")
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            node = node.encode("utf-8", "replace").decode("utf-8")
        return node
    if isinstance(node, dict):
        return {_clean(key): _clean(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_clean(value) for value in node]
    return node


def update_id_of(data: object) -> int | None:
    """The update_id of a raw update, or None when it is not a well-formed update."""
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int) or not 0 <= update_id < 2**63:
        return None
    return update_id


async def update_process(application: Application, data: dict) -> Outcome:
    """Claim a raw update and run the handlers on it exactly once."""
    update_id = update_id_of(data)
    if update_id is None:
        return Outcome.INVALID
    try:
        claimed = await sync_to_async(update_claim)(update_id=update_id, payload=data)
    except Exception as exc:
        raise UpdateNotRecorded(str(exc)) from exc
    if not claimed:
        return Outcome.DUPLICATE
    try:
        update = Update.de_json(data, application.bot)
    except Exception as exc:
        logger.warning("Update %s is not a valid Telegram update: %s", update_id, exc)
        await sync_to_async(update_fail)(update_id=update_id, error=f"invalid update: {exc!r}")
        return Outcome.INVALID
    # Handler errors do not propagate: the error handler logs them and marks the claim failed.
    await application.process_update(update)
    await sync_to_async(update_finish)(update_id=update_id)
    return Outcome.PROCESSED
