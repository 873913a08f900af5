"""A person talking to the bot through the real ASGI web app and the fake Bot API, one update at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from asgiref.sync import async_to_sync

from bot.console.fake_api import ApiCall, FakeBotAPI
from tests.asgi import AsgiServer

SHOWN = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}


def post(*updates: dict) -> list:
    """Start the web app, post each update in turn, stop; the responses."""

    async def scenario() -> list:
        async with AsgiServer() as server:
            return [await server.post_update(update) for update in updates]

    return async_to_sync(scenario)()


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


def shown(calls: list[ApiCall]) -> list[str]:
    """The texts and captions a set of calls put on screen."""
    return [
        c.params.get("text") or c.params.get("caption") or "" for c in calls if c.method in SHOWN and c.status == 200
    ]
