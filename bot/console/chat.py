"""The local console: a person types, the real handlers answer through the fake Bot API."""

import asyncio
import itertools
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from telegram.ext import Application

from bot.application import build_application
from bot.console.fake_api import ApiCall, FakeBotAPI
from bot.processing import update_process
from horoscopes import markup

SEND_METHODS = {
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendMediaGroup",
    "sendInvoice",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "deleteMessage",
}
BANNER = """\
Astrobot local console: the real handlers and database, a fake Telegram on this machine.
Type a message or a /command. Buttons are numbered: type #1 to press the first.
Send a location pin as @55.75,37.62. Quit with /quit or Ctrl+D.
"""
LOCATION = re.compile(r"^@\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Button:
    label: str
    callback_data: str | None = None
    url: str | None = None
    message: dict | None = None  # the bot message an inline button sits under
    invoice: dict | None = None  # the invoice a "Pay" button pays (payload, amount, subscription period)


@dataclass(frozen=True)
class Checkout:
    """The person pays an invoice: Telegram asks the bot (pre-checkout), then reports the payment."""

    payload: str
    subscription_period: int | None = None


@dataclass
class ConsoleUser:
    telegram_id: int = 100000001
    first_name: str = "Console"
    language_code: str = "ru"
    username: str = "console_user"

    def as_user(self) -> dict:
        return {
            "id": self.telegram_id,
            "is_bot": False,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": self.language_code,
        }

    def as_chat(self) -> dict:
        return {"id": self.telegram_id, "type": "private", "first_name": self.first_name, "username": self.username}


@dataclass
class Console:
    """Builds updates the way Telegram would for one person, and renders what the bot sent back."""

    api: FakeBotAPI
    application: Application
    user: ConsoleUser = field(default_factory=ConsoleUser)
    buttons: list[Button] = field(default_factory=list)
    files_dir: Path | None = None
    bold: tuple[str, str] = ("", "")
    # Microseconds: a console started again later never reuses an id (claims would drop it as a replay).
    _update_ids: Any = field(default_factory=lambda: itertools.count(time.time_ns() // 1000))
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))
    _seen: int = 0
    _reply_keyboard: list[Button] = field(default_factory=list)
    _inline: list[Button] = field(default_factory=list)

    def _message(self, **content: object) -> dict:
        return {
            "message_id": next(self._message_ids),
            "from": self.user.as_user(),
            "chat": self.user.as_chat(),
            "date": int(time.time()),
            **content,
        }

    def text_update(self, text: str) -> dict:
        """A message with this text (a /command gets its entity, as Telegram adds it)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [
                {"offset": 0, "length": len(command.encode("utf-16-le")) // 2, "type": "bot_command"}
            ]
        return {"update_id": next(self._update_ids), "message": self._message(**content)}

    def location_update(self, lat: float, lon: float) -> dict:
        """A location pin."""
        return {
            "update_id": next(self._update_ids),
            "message": self._message(location={"latitude": lat, "longitude": lon}),
        }

    def callback_update(self, button: Button) -> dict:
        """A press on an inline button."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user.as_user(),
                "chat_instance": "console",
                "message": button.message,
                "data": button.callback_data,
            },
        }

    def update_for(self, line: str) -> "dict | str | Checkout | None":
        """The update a typed line stands for, a message for the person, or None for nothing."""
        line = line.strip()
        if not line:
            return None
        if line.startswith("#") and line[1:].isdigit():
            number = int(line[1:])
            if not 1 <= number <= len(self.buttons):
                return f"There is no button #{number}."
            button = self.buttons[number - 1]
            if button.invoice is not None:
                return Checkout(button.invoice["payload"], button.invoice.get("subscription_period"))
            link = next((call for call in self.api.calls_to("createInvoiceLink") if call.result == button.url), None)
            if button.url and link is not None:
                return Checkout(link.params["payload"], link.params.get("subscription_period"))
            if button.url:
                return f"(this button opens {button.url})"
            if button.callback_data is not None:
                return self.callback_update(button)
            return self.text_update(button.label)
        match = LOCATION.match(line)
        if match:
            return self.location_update(float(match[1]), float(match[2]))
        return self.text_update(line)

    async def send(self, update: "dict | Checkout") -> list[str]:
        """Process one update through the real handlers; the lines to show for what the bot did."""
        if isinstance(update, Checkout):
            return await self.pay(update)
        await update_process(self.application, update)
        return self.render_new_calls()

    async def pay(self, checkout: Checkout) -> list[str]:
        """Pay an invoice in Telegram Stars as Telegram would: pre-checkout first, the payment if the bot agrees."""
        chat_id = self.user.telegram_id
        query = self.api.make_pre_checkout_update(chat_id, checkout.payload, first_name=self.user.first_name)
        query["update_id"] = next(self._update_ids)
        query["pre_checkout_query"]["from"] = self.user.as_user()
        await update_process(self.application, query)
        answers = [
            call
            for call in self.api.calls_to("answerPreCheckoutQuery")
            if call.params.get("pre_checkout_query_id") == query["pre_checkout_query"]["id"]
        ]
        if not answers or not answers[-1].params.get("ok"):
            reason = answers[-1].params.get("error_message", "") if answers else "the bot did not answer in time"
            return [f"  (Telegram refused the payment) {reason}", *self.render_new_calls()]
        amount = query["pre_checkout_query"]["total_amount"]
        expires = int(time.time()) + checkout.subscription_period if checkout.subscription_period else None
        paid = self.api.make_successful_payment_update(
            chat_id,
            checkout.payload,
            is_recurring=bool(checkout.subscription_period),
            is_first_recurring=bool(checkout.subscription_period),
            subscription_expiration_date=expires,
            first_name=self.user.first_name,
        )
        paid["update_id"] = next(self._update_ids)
        paid["message"]["from"] = self.user.as_user()
        await update_process(self.application, paid)
        return [f"  (you paid {amount} ⭐)", *self.render_new_calls()]

    def render_new_calls(self) -> list[str]:
        calls = self.api.calls[self._seen :]
        self._seen = len(self.api.calls)
        lines: list[str] = []
        for call in calls:
            if call.method in SEND_METHODS and call.status == 200:
                lines.extend(self._render(call))
        self.buttons = [*self._inline, *self._reply_keyboard]
        if self.buttons:
            lines.append("  " + "  ".join(f"[#{i}] {b.label}" for i, b in enumerate(self.buttons, 1)))
        return lines

    def _render(self, call: ApiCall) -> list[str]:
        params, result = call.params, call.result if isinstance(call.result, dict) else {}
        lines: list[str] = []
        if call.method == "answerCallbackQuery":
            if params.get("text"):
                lines.append(f"  (notice) {params['text']}")
            return lines
        if call.method == "deleteMessage":
            return ["  (a message was deleted)"]
        if call.method in {"sendPhoto", "sendDocument"}:
            lines.append(f"  [{call.method[4:].lower()}{self._save_files(call)}]")
        if call.method == "sendInvoice":
            prices = ", ".join(f"{p.get('amount')} {params.get('currency')}" for p in params.get("prices", []))
            lines.append(f"  [invoice] {params.get('title')}: {params.get('description')} ({prices})")
        prefix = "(edited) " if call.method.startswith("edit") else ""
        text = params.get("text") or params.get("caption") or ""
        if text:
            lines.append("bot> " + prefix + self._to_terminal(text, params.get("parse_mode")))
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            self._remember_keyboard(markup, result)
        elif call.method.startswith("send"):
            self._inline = []
        if call.method == "sendInvoice":
            # Telegram shows a Pay button under every invoice.
            total = sum(price.get("amount", 0) for price in params.get("prices", []))
            self._inline = [Button(f"Pay {total} {params.get('currency')}", invoice=params), *self._inline]
        return lines

    def _remember_keyboard(self, markup: dict, message: dict) -> None:
        if "inline_keyboard" in markup:
            self._inline = [
                Button(b.get("text", "?"), b.get("callback_data"), b.get("url"), message or None)
                for row in markup["inline_keyboard"]
                for b in row
            ]
        elif "keyboard" in markup:
            self._inline = []
            self._reply_keyboard = [
                Button(b["text"] if isinstance(b, dict) else str(b)) for row in markup["keyboard"] for b in row
            ]
        elif markup.get("remove_keyboard"):
            self._reply_keyboard = []

    def _save_files(self, call: ApiCall) -> str:
        if not call.files or self.files_dir is None:
            return ""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        saved = []
        for name, data in call.files.items():
            path = self.files_dir / f"{int(time.time() * 1000)}-{name}{_extension(data)}"
            path.write_bytes(data)
            saved.append(str(path))
        return ": " + ", ".join(saved)

    def _to_terminal(self, text: str, parse_mode: str | None) -> str:
        if parse_mode and parse_mode.upper() == "HTML":
            start, end = self.bold
            bold = {"b", "strong"}
            text = "".join(
                (end if token.closing else start) if token.tag in bold else token.visible
                for token in markup.tokenize(text)
            )
        return text.replace("\n", "\n     ")


def _extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"


async def run(user: ConsoleUser, files: Path, write: Callable[[str], None]) -> None:
    """Talk to the bot from stdin until /quit or end of input, with a fake Bot API started for the session."""
    interactive = sys.stdin.isatty()
    with FakeBotAPI() as api:
        # Background tasks send through bot.sender, which reads these settings: the same fake Telegram.
        settings.TELEGRAM_BOT_TOKEN = api.token
        settings.TELEGRAM_API_BASE_URL = api.base_url
        settings.TELEGRAM_API_FILE_URL = api.base_file_url
        application = build_application(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        async with application:
            console = Console(
                api=api,
                application=application,
                user=user,
                files_dir=files,
                bold=("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", ""),
            )
            write(BANNER)
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, _read_line, "you> " if interactive else "")
                if line is None or line.strip() in {"/quit", "/exit"}:
                    break
                if not interactive:
                    write(f"you> {line.rstrip()}")
                update = console.update_for(line)
                if update is None:
                    continue
                if isinstance(update, str):
                    write(f"  {update}")
                    continue
                for out in await console.send(update):
                    write(out)
            await sync_to_async(connections.close_all)()


def _read_line(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None
