"""Drive the real ASGI application (lifespan included) in-process with httpx."""

import asyncio

import httpx
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config.asgi import application

WEBHOOK = "/telegram/webhook/"


class AsgiServer:
    """Starts the lifespan like a server would, then serves requests through httpx's ASGI transport."""

    def __init__(self) -> None:
        self._receive: asyncio.Queue = asyncio.Queue()
        self._send: asyncio.Queue = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self.client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "AsgiServer":
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
