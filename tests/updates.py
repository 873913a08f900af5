"""Real Bot API update JSON (tests/fixtures), with the ids and texts a test needs."""

import copy
import itertools
import json
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_ids = itertools.count(200_000_000)


@cache
def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def load(
    name: str, *, update_id: int | None = None, user_id: int | None = None, language_code: str | None = None
) -> dict:
    """A fixture update with a fresh update_id, optionally for another user and language."""
    update = copy.deepcopy(_fixture(name))
    update["update_id"] = next(_ids) if update_id is None else update_id
    if user_id is not None or language_code is not None:
        for obj in _walk(update):
            if obj.get("is_bot") is False or obj.get("type") == "private":
                if user_id is not None:
                    obj["id"] = user_id
                if language_code is not None and "is_bot" in obj:
                    obj["language_code"] = language_code
    return update


def _walk(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def message(text: str, **kwargs: object) -> dict:
    """A private text message; commands get their bot_command entity as Telegram sends it."""
    update = load("message_text", **kwargs)
    body = update["message"]
    body["text"] = text
    if text.startswith("/"):
        command = text.split()[0]
        body["entities"] = [{"offset": 0, "length": len(command.encode("utf-16-le")) // 2, "type": "bot_command"}]
    return update


def callback(data: str, **kwargs: object) -> dict:
    """A press on an inline button carrying this callback data."""
    update = load("callback_query", **kwargs)
    update["callback_query"]["data"] = data
    update["callback_query"]["id"] = str(update["update_id"])
    return update
