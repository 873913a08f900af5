"""The one way tests talk to the bot: real update JSON posted through the real ASGI web app (lifespan included),
and what the fake Bot API received in return.

- updates: `load`, `message`, `callback` build the updates Telegram sends (tests/fixtures);
- the web app: `post` (each update in turn), `post_together` (at the same time), `request` (any HTTP request),
  all through `AsgiServer`;
- reading the fake Bot API: `texts_to`, `buttons`, `shown`;
- `Dialog`: one person in their private chat with the bot, one update at a time.

Importing this module does not set Django up (benchmarks build updates with it before that): the web app
and the models are imported where they are used.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import httpx
from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from bot.console.fake_api import ApiCall, FakeBotAPI

if TYPE_CHECKING:
    from users.models import TelegramUser

WEBHOOK = "/telegram/webhook/"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHOWN = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
_ids = itertools.count(200_000_000)
T = TypeVar("T")


# --- updates as Telegram sends them -------------------------------------------------------------------------


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


# --- the web app ----------------------------------------------------------------------------------------------


class AsgiServer:
    """Starts the lifespan like a server would, then serves requests through httpx's ASGI transport."""

    def __init__(self) -> None:
        self._receive: asyncio.Queue = asyncio.Queue()
        self._send: asyncio.Queue = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self.client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> AsgiServer:
        from config.asgi import application

        # As Django's own test client does: the test's transaction must survive the request's end.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self._task = asyncio.create_task(
            application({"type": "lifespan", "asgi": {"version": "3.0"}}, self._receive.get, self._send.put)
        )
        await self._receive.put({"type": "lifespan.startup"})
        message = await asyncio.wait_for(self._send.get(), timeout=10)
        assert message["type"] == "lifespan.startup.complete", message
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://testserver")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self._receive.put({"type": "lifespan.shutdown"})
        message = await asyncio.wait_for(self._send.get(), timeout=10)
        assert message["type"] == "lifespan.shutdown.complete", message
        await self._task
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    async def post_update(self, update: object, *, secret: str | None = None, **kwargs: object) -> httpx.Response:
        """POST an update to the webhook with the right secret unless told otherwise."""
        value = settings.TELEGRAM_WEBHOOK_SECRET if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": value.encode()}
        return await self.client.post(WEBHOOK, json=update, headers=headers, **kwargs)


def serve(scenario: Callable[[AsgiServer], Awaitable[T]]) -> T:
    """Start the web app, run scenario(server), stop; what the scenario returned."""

    async def run() -> T:
        async with AsgiServer() as server:
            return await scenario(server)

    return async_to_sync(run)()


def post(*updates: object, **kwargs: object) -> list[httpx.Response]:
    """Start the web app, post each update to the webhook in turn, stop; the responses."""

    async def each(server: AsgiServer) -> list[httpx.Response]:
        return [await server.post_update(update, **kwargs) for update in updates]

    return serve(each)


def post_together(*updates: object) -> list[httpx.Response]:
    """Post the updates to the webhook at the same time (as Telegram may, from several connections)."""

    async def together(server: AsgiServer) -> list[httpx.Response]:
        return await asyncio.gather(*(server.post_update(update) for update in updates))

    return serve(together)


def request(method: str, path: str = WEBHOOK, **kwargs: object) -> httpx.Response:
    """Any HTTP request to the web app, exactly as given (no secret added)."""
    return serve(lambda server: server.client.request(method, path, **kwargs))


# --- what the fake Bot API received ---------------------------------------------------------------------------


def texts_to(api: FakeBotAPI, chat_id: int) -> list[str]:
    """Texts of the messages the bot sent to a chat, in order."""
    return [call.params.get("text", "") for call in api.sent_to(chat_id) if call.method == "sendMessage"]


def buttons(call: ApiCall) -> list[dict]:
    """Inline buttons of a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def shown(calls: list[ApiCall]) -> list[str]:
    """The texts and captions a set of calls put on screen."""
    return [
        c.params.get("text") or c.params.get("caption") or "" for c in calls if c.method in SHOWN and c.status == 200
    ]


# --- a conversation -------------------------------------------------------------------------------------------


@dataclass
class Dialog:
    """One Telegram user in their private chat with the bot."""

    api: FakeBotAPI
    chat_id: int = 7_000_000_001
    first_name: str = "Анна"
    username: str | None = "anna_test"
    language_code: str | None = "ru"
    seen: int = 0
    history: list[ApiCall] = field(default_factory=list)

    @classmethod
    def of(cls, api: FakeBotAPI, user: TelegramUser) -> Dialog:
        """The chat of a user already in the database, under their name and language."""
        return cls(api, chat_id=user.telegram_id, first_name=user.first_name, language_code=user.language)

    @property
    def user(self) -> TelegramUser:
        """This person's row, as it is now."""
        from users.models import TelegramUser

        return TelegramUser.objects.get(telegram_id=self.chat_id)

    def _post(self, update: dict) -> list[ApiCall]:
        [response] = post(update)
        assert response.status_code == 200, response.text
        assert response.json()["result"] == "processed", response.json()
        everything = self.api.calls
        # Another person's dialog may have talked to the bot in between: keep what concerns this chat.
        calls = [c for c in everything[self.seen :] if str(c.params.get("chat_id", self.chat_id)) == str(self.chat_id)]
        self.seen = len(everything)
        self.history.extend(calls)
        return calls

    def send(self, text: str) -> list[str]:
        """Type a message (or a /command); the texts the bot showed in reply."""
        update = self.api.make_message_update(
            self.chat_id,
            text,
            first_name=self.first_name,
            username=self.username,
            language_code=self.language_code,
        )
        return shown(self._post(update))

    def send_update(self, update: dict) -> list[ApiCall]:
        """Post a hand-made update; the Bot API calls it caused."""
        return self._post(update)

    def location(self, lat: float, lon: float) -> list[str]:
        """Send a location pin."""
        update = self.api.make_message_update(
            self.chat_id,
            None,
            first_name=self.first_name,
            language_code=self.language_code,
            extra={"location": {"latitude": lat, "longitude": lon}},
        )
        return shown(self._post(update))

    def sticker(self) -> list[str]:
        """Send a sticker (something that is not text)."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAEBsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        update = self.api.make_message_update(
            self.chat_id, None, first_name=self.first_name, language_code=self.language_code, extra={"sticker": sticker}
        )
        return shown(self._post(update))

    def buttons(self) -> list[tuple[str, str, int]]:
        """(label, callback data, message id) of every inline button still on screen, newest message last."""
        found = []
        for message_id, markup in self._markups().items():
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if "callback_data" in button:
                        found.append((button["text"], button["callback_data"], message_id))
        return found

    def _markups(self) -> dict[int, dict]:
        markups: dict[int, dict] = {}
        for call in self.history:
            if call.status != 200 or call.params.get("chat_id") not in (self.chat_id, str(self.chat_id)):
                continue
            if call.method.startswith("send") and isinstance(call.result, dict):
                markups[call.result["message_id"]] = call.params.get("reply_markup") or {}
            elif call.method in {"editMessageReplyMarkup", "editMessageText"}:
                markups[int(call.params["message_id"])] = call.params.get("reply_markup") or {}
        return markups

    def press(self, label: str) -> list[str]:
        """Press the newest inline button whose label contains `label`."""
        matches = [b for b in self.buttons() if label in b[0]]
        assert matches, f"no button {label!r} among {[b[0] for b in self.buttons()]}"
        _, data, message_id = matches[-1]
        return self.press_data(data, message_id)

    def press_data(self, data: str, message_id: int = 1) -> list[str]:
        """Press a button with this callback data under a message (stale or forged presses included)."""
        update = self.api.make_callback_update(
            self.chat_id, message_id, data, first_name=self.first_name, language_code=self.language_code
        )
        return shown(self._post(update))

    def keyboard(self) -> list[str]:
        """The labels of the reply keyboard (main menu) last sent."""
        for call in reversed(self.history):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and "keyboard" in markup:
                return [b["text"] if isinstance(b, dict) else b for row in markup["keyboard"] for b in row]
            if isinstance(markup, dict) and markup.get("remove_keyboard"):
                return []
        return []

    def notices(self) -> list[str]:
        """Texts of answerCallbackQuery toasts so far."""
        return [c.params.get("text", "") for c in self.history if c.method == "answerCallbackQuery"]
