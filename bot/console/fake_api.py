"""A fake Telegram Bot API server on loopback: `manage.py chat` and the tests run the bot against it."""

from __future__ import annotations

import contextlib
import copy
import email.message
import email.utils
import io
import json
import math
import mimetypes
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from PIL import Image

from horoscopes import markup
from horoscopes.markup import utf16_len

MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
BOT_FIRST_NAME = "Astrobot (fake)"
BOT_USERNAME = "astrobot_fake_bot"
SUBSCRIPTION_PERIOD = 2592000
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

# Methods that put a message into a chat: they count for the rate limits and for `sent_to`.
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendInvoice",
    }
)
FAILURE_KINDS = frozenset(
    {
        "retry_after",
        "blocked",
        "deactivated",
        "server_error",
        "bad_gateway",
        "slow",
        "bad_request",
        "chat_not_found",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# The media the bot sends (videos, audio, stickers and the like it never does: the fake refuses them).
_MEDIA_KINDS = frozenset({"photo", "document"})
# Telegram's default when allowed_updates was never given: everything except these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "prices",
        "allowed_updates",
        "media",
        "commands",
        "scope",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "suggested_tip_amounts",
        "explanation_entities",
        "options",
        "results",
        "message_ids",
        "reaction",
    }
)
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "max_connections",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "max_tip_amount",
        "subscription_period",
        "photo_size",
        "photo_width",
        "photo_height",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "ok",
        "show_alert",
        "is_canceled",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "allow_paid_broadcast",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "supports_streaming",
        "is_personal",
        "is_flexible",
        "need_name",
        "need_phone_number",
        "need_email",
        "need_shipping_address",
        "send_phone_number_to_provider",
        "send_email_to_provider",
    }
)
_INT_RE = re.compile(r"-?\d{1,19}")
_TOKEN_RE = re.compile(r"(\d+):[A-Za-z0-9_-]+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_STALE_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


# ---------------------------------------------------------------------------------------------------------
# A small threaded HTTP/1.1 server on loopback, shared by the fakes.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request as the loopback server received it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class HttpReply:
    """One HTTP answer for the loopback server to write."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()


def json_reply(status: int, payload: object, headers: Iterable[tuple[str, str]] = ()) -> HttpReply:
    """Build a JSON answer."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return HttpReply(status, body, "application/json", tuple(headers))


class _BodyError(Exception):
    """The request body could not be read (too large or malformed framing)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class _Handler(BaseHTTPRequestHandler):
    """Reads one request at a time from a keep-alive connection and hands it to the server's callable."""

    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the fakes run inside tests and the console."""

    def setup(self) -> None:
        """Remember the connection so that stop() can cut idle keep-alive clients."""
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms a request.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST."""
        self._serve()

    def _serve(self) -> None:
        """Read the body, ask the owner for the answer, write it."""
        try:
            body = self._read_body()
        except _BodyError as exc:
            # The unread rest of the body would be parsed as the next request: drop the connection.
            self.close_connection = True
            self._write(self.server.error_reply(exc.status, exc.description))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = HttpRequest(self.command, self.path, headers, body)
        try:
            reply = self.server.respond(request)
        except Exception as exc:  # a bug in a fake must show up as an answer, not a hang
            self.server.errors.append(exc)
            reply = self.server.error_reply(500, f"Internal Server Error: {exc!r}")
        self._write(reply)

    def _read_body(self) -> bytes:
        """Read a Content-Length or chunked body, bounded by the server's limit."""
        limit = self.server.max_body
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
        except ValueError:
            raise _BodyError(400, "Bad Request: invalid Content-Length") from None
        if length < 0:
            raise _BodyError(400, "Bad Request: invalid Content-Length")
        if length > limit:
            raise _BodyError(413, "Request Entity Too Large")
        return self.rfile.read(length)

    def _read_chunked(self, limit: int) -> bytes:
        """Read a chunked body."""
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BodyError(400, "Bad Request: invalid chunked body") from None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > limit:
                raise _BodyError(413, "Request Entity Too Large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)

    def _write(self, reply: HttpReply) -> None:
        """Write the answer, always with Content-Length so keep-alive works."""
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError:
            # The client gave up (its timeout): nothing to answer to.
            self.close_connection = True


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that never waits for keep-alive threads on close."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # Clients open many connections at once (PTB's pool, broadcasts): the default backlog of 5 drops them.
    request_queue_size = 256

    def __init__(
        self,
        respond: Callable[[HttpRequest], HttpReply],
        error_reply: Callable[[int, str], HttpReply],
        max_body: int,
        errors: list[BaseException],
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.respond = respond
        self.error_reply = error_reply
        self.max_body = max_body
        self.errors = errors
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket, *, add: bool) -> None:
        """Add or remove an open client connection."""
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Cut every open client connection so their threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out and hang up are normal here: do not print tracebacks."""


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 (free port) that answers through one callable."""

    def __init__(
        self,
        respond: Callable[[HttpRequest], HttpReply],
        *,
        error_reply: Callable[[int, str], HttpReply],
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self._respond = respond
        self._error_reply = error_reply
        self._max_body = max_body
        self._errors: list[BaseException] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The bound port."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by the respond callable (each answered 500)."""
        return self._errors

    def start(self) -> None:
        """Bind and serve in a daemon thread."""
        if self._httpd is not None:
            return
        self._httpd = _HTTPServer(self._respond, self._error_reply, self._max_body, self._errors)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-http", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and cut open connections."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._httpd = None
        self._thread = None


# ---------------------------------------------------------------------------------------------------------
# Images: Telegram reads a photo's size from the picture itself; Pillow does that here.
# ---------------------------------------------------------------------------------------------------------


def _picture(data: bytes) -> tuple[int, int, str] | None:
    """Width, height and MIME type of an image, or None when the bytes are not one."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            mime_type = picture.get_format_mimetype() or "application/octet-stream"
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return (width, height, mime_type) if width and height else None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of an image, or None when the bytes are not one."""
    picture = _picture(data)
    return picture[:2] if picture else None


def solid_png(width: int = 64, height: int = 64, rgb: tuple[int, int, int] = (40, 30, 90)) -> bytes:
    """A PNG of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), rgb).save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Parsing: request bodies, and formatted text (HTML, the only parse mode the bot uses) as Telegram reads it.
# ---------------------------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad(description: str) -> ApiError:
    """A 400 answer."""
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


def _normalize(name: str, value: Any) -> Any:
    """Turn a form value back into what the bot meant (PTB JSON-encodes every non-string value)."""
    if not isinstance(value, str):
        return value
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    stripped = value.strip()
    if name in _INT_PARAMS and _INT_RE.fullmatch(stripped):
        return int(stripped)
    if name in _BOOL_PARAMS and stripped.lower() in ("true", "false", "1", "0"):
        return stripped.lower() in ("true", "1")
    return value


def _header_params(value: str) -> email.message.Message:
    """Parse `type; a="b"` style header parameters."""
    message = email.message.Message()
    message["content-type"] = value
    return message


def _header_param(value: str, name: str) -> str | None:
    """One parameter of a `type; a="b"` header."""
    found = _header_params(value).get_param(name, header="content-type")
    if found is None or isinstance(found, str):
        return found
    return email.utils.collapse_rfc2231_value(found)


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Split a multipart/form-data body into text fields and file parts."""
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        raise _bad("multipart boundary is missing")
    delimiter = b"--" + boundary.encode("latin-1")
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    pieces = body.split(delimiter)
    if len(pieces) < 2:
        raise _bad("can't parse multipart body")
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            break
        if piece.startswith(b"\r\n"):
            piece = piece[2:]
        if piece.endswith(b"\r\n"):
            piece = piece[:-2]
        head, sep, content = piece.partition(b"\r\n\r\n")
        if not sep:
            raise _bad("can't parse multipart body")
        disposition = ""
        part_type = "application/octet-stream"
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value.strip()
            elif key.strip().lower() == "content-type":
                part_type = value.strip()
        message = email.message.Message()
        message["content-disposition"] = disposition
        name = message.get_param("name", header="content-disposition")
        filename = message.get_param("filename", header="content-disposition")
        if not isinstance(name, str):
            name = email.utils.collapse_rfc2231_value(name) if name else None
        if not name:
            raise _bad("can't parse multipart body")
        if filename is not None:
            if not isinstance(filename, str):
                filename = email.utils.collapse_rfc2231_value(filename)
            uploads[name] = Upload(unquote(filename), part_type, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, uploads


def parse_request_params(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Query string, form-urlencoded, multipart or JSON body -> (params, uploads), values decoded."""
    raw: dict[str, Any] = dict(parse_qsl(urlsplit(request.path).query, keep_blank_values=True))
    uploads: dict[str, Upload] = {}
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";", 1)[0].strip().lower()
    try:
        if not request.body:
            pass
        elif kind == "application/json":
            decoded = json.loads(request.body.decode("utf-8"))
            if not isinstance(decoded, dict):
                raise _bad("JSON object expected in the request body")
            raw.update(decoded)
        elif kind == "multipart/form-data":
            fields, uploads = parse_multipart(request.body, content_type)
            raw.update(fields)
        else:
            raw.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except UnicodeDecodeError:
        raise _bad("request body is not valid UTF-8") from None
    except json.JSONDecodeError:
        raise _bad("can't parse JSON request body") from None
    return {name: _normalize(name, value) for name, value in raw.items()}, uploads


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text and entities, or ApiError on markup Telegram would refuse."""
    try:
        plain, spans = markup.parse(text)
    except markup.MarkupError as error:
        raise _bad(f"can't parse entities: {error.telegram_description()}") from None
    entities = [entity for span in spans if (entity := _html_entity(span)) is not None]
    entities.sort(key=lambda item: (item["offset"], -item["length"]))
    return plain, entities


_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def _html_entity(span: markup.Span) -> dict[str, Any] | None:
    """The MessageEntity for a closed HTML tag (None when it covers no text)."""
    if span.length <= 0:
        return None
    name, attrs = span.tag, span.attrs
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[name], "offset": span.offset, "length": span.length}
    if name == "a":
        href = attrs.get("href", "")
        user = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user:
            entity.update(type="text_mention", user={"id": int(user.group(1)), "is_bot": False, "first_name": ""})
        elif not href:
            return None
        else:
            entity["url"] = href
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif name == "code" and span.parent_tag == "pre" and span.parent_attrs is not None:
        language = attrs.get("class", "")
        if language.startswith("language-"):
            span.parent_attrs["language"] = language[len("language-") :]
        return entity
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    return entity


def formatted_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[dict[str, Any]] | None]:
    """Apply parse_mode or explicit entities the way Telegram does."""
    if entities is not None:
        if not isinstance(entities, list) or not all(
            isinstance(item, dict) and {"type", "offset", "length"} <= item.keys() for item in entities
        ):
            raise _bad("can't parse entities JSON object")
        return text, entities or None
    mode = (parse_mode or "").lower()
    if not mode:
        return text, None
    if mode != "html":
        # The bot writes Telegram HTML only: any other mode in a test is a mistake, refused loudly.
        raise _bad("unsupported parse_mode")
    plain, found = parse_html(text)
    return plain, found or None


def _command_entities(text: str) -> list[dict[str, Any]] | None:
    """The bot_command entity Telegram adds to a message that starts with /command."""
    match = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?", text)
    if not match:
        return None
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


# ---------------------------------------------------------------------------------------------------------
# The fake Bot API.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request the fake answered (params decoded; files by part name)."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float
    status: int
    result: Any = None
    description: str = ""


@dataclass
class _Failure:
    """A failure queued by fail_next()."""

    method: str | None
    kind: str
    remaining: int
    retry_after: int
    delay: float

    def error(self) -> ApiError | None:
        """The answer for this failure (None for 'slow', which answers normally)."""
        if self.kind == "retry_after":
            return ApiError(429, f"Too Many Requests: retry after {self.retry_after}", retry_after=self.retry_after)
        if self.kind == "blocked":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if self.kind == "deactivated":
            return ApiError(403, "Forbidden: user is deactivated")
        if self.kind == "server_error":
            return ApiError(500, "Internal Server Error")
        if self.kind == "bad_gateway":
            return ApiError(502, "Bad Gateway")
        if self.kind == "bad_request":
            return _bad("injected failure")
        if self.kind == "chat_not_found":
            return _bad("chat not found")
        return None


@dataclass
class _StoredFile:
    """A file the fake knows: uploaded, or a placeholder for a URL it cannot fetch."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    mime_type: str
    file_name: str | None = None
    width: int = 0
    height: int = 0


@dataclass
class _Limiter:
    """Sliding-window counters: `limit` sends within `window` seconds."""

    limit: int
    window: float
    stamps: deque[float] = field(default_factory=deque)

    @classmethod
    def for_rate(cls, rate: float) -> _Limiter:
        """A limiter for `rate` messages per second (below 1/s: one per 1/rate seconds)."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        return cls(int(rate), 1.0) if rate >= 1 else cls(1, 1.0 / rate)

    def wait(self, now: float) -> float:
        """Seconds until one more send is allowed (0 when allowed now)."""
        while self.stamps and now - self.stamps[0] >= self.window:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return 0.0
        return self.stamps[0] + self.window - now


class FakeBotAPI:
    """A Telegram Bot API look-alike over real HTTP on 127.0.0.1, good enough for python-telegram-bot.

    Answers like Telegram ({"ok": true, "result": ...} or an error with Telegram's status and wording),
    keeps messages per chat (ids increase per chat; edits, deletes and "message is not modified" behave
    like Telegram), stores uploaded files and serves them back, queues updates for getUpdates, records
    every call, and can inject failures and enforce Telegram's flood limits exactly.
    Edits and deletes of messages it never saw are accepted (fixtures may reference them).
    """

    _next_update_id: int
    _min_chat_gap: float | None

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - a fake token for a fake server
        *,
        enforce_limits: bool = False,
        global_rate: float = 30.0,
        per_chat_rate: float = 1.0,
        paid_rate: float = 1000.0,
        latency: float = 0.0,
    ) -> None:
        match = _TOKEN_RE.fullmatch(token)
        if not match:
            raise ValueError("token must look like '<digits>:<letters>'")
        self.token = token
        self.bot_id = int(match.group(1))
        self.enforce_limits = enforce_limits
        self.latency = latency
        # Called with every recorded call, in the server thread (the console prints from here): keep it quick.
        self.on_call: Callable[[ApiCall], None] | None = None
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        # Messages sent with allow_paid_broadcast: a budget of their own (Telegram: up to 1000/s, for Stars).
        self._paid_rate = paid_rate
        self._cond = threading.Condition()
        self._server = LoopbackServer(self._respond, error_reply=_telegram_error_reply)
        self._stopping = False
        self._methods: dict[str, tuple[str, Callable[[dict[str, Any], dict[str, Upload]], Any]]] = {
            name.lower(): (name, handler) for name, handler in self._handlers().items()
        }
        self._reset_state()

    # --- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Start serving on a free loopback port."""
        with self._cond:
            self._stopping = False
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving; long polls return at once."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._server.stop()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """PTB `base_url`: `http://127.0.0.1:PORT/bot`."""
        return f"{self._server.origin}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB `base_file_url`: `http://127.0.0.1:PORT/file/bot`."""
        return f"{self._server.origin}/file/bot"

    @property
    def errors(self) -> list[BaseException]:
        """Bugs of the fake itself, each answered 500 (a test can assert this stays empty)."""
        return list(self._server.errors)

    # --- inspection ------------------------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every answered call, in the order the answers were written."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        """Calls of one method (case-insensitive)."""
        wanted = method.lower()
        with self._cond:
            return [call for call in self._calls if call.method.lower() == wanted]

    def sent_to(self, chat_id: int) -> list[ApiCall]:
        """Message-sending calls (send*, copy, forward; not chat actions) for one chat, by arrival."""
        with self._cond:
            found = [
                call for call in self._calls if call.method in SEND_METHODS and call.params.get("chat_id") == chat_id
            ]
        return sorted(found, key=lambda call: call.at)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The current state of a message (after edits), or None if unknown or deleted."""
        with self._cond:
            if (chat_id, message_id) in self._deleted:
                return None
            found = self._messages.get((chat_id, message_id))
            return copy.deepcopy(found) if found else None

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[ApiCall]:
        """Block until at least `count` calls of `method` were answered; TimeoutError otherwise."""
        wanted = method.lower()
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [call for call in self._calls if call.method.lower() == wanted]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(found)} of {count} {method} calls after {timeout} s")
                self._cond.wait(remaining)

    @property
    def throttled(self) -> int:
        """How many sends the flood limiter answered with 429."""
        with self._cond:
            return self._throttled

    @property
    def max_global_rate_seen(self) -> int:
        """Most accepted sends in any 1-second window."""
        with self._cond:
            return self._max_rate_seen

    @property
    def paid_sent(self) -> int:
        """Messages accepted with allow_paid_broadcast (Telegram charges Stars for them)."""
        with self._cond:
            return self._paid_sent

    @property
    def min_chat_gap_seen(self) -> float | None:
        """Shortest time between two accepted sends to the same chat (None before any repeat)."""
        with self._cond:
            return self._min_chat_gap

    def clear(self) -> None:
        """Forget recorded calls, queued failures and rate statistics (messages, files and settings stay)."""
        with self._cond:
            self._calls.clear()
            self._failures.clear()
            self._throttled = 0
            self._max_rate_seen = 0
            self._min_chat_gap = None
            self._rate_window.clear()
            self._last_send_at.clear()
            self._global_limiter = _Limiter.for_rate(self._global_rate)
            self._chat_limiters.clear()
            self._paid_limiter = _Limiter.for_rate(self._paid_rate)
            self._paid_sent = 0

    # --- control ---------------------------------------------------------------------------------------

    def fail_next(
        self, method: str | None, kind: str, *, times: int = 1, retry_after: int = 1, delay: float = 0.0
    ) -> None:
        """Make the next `times` calls of `method` (None: any method) fail as `kind`."""
        if kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; one of {sorted(FAILURE_KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        name = None
        if method is not None:
            name = self._methods.get(method.lower(), (method, None))[0]
        with self._cond:
            self._failures.append(_Failure(name, kind, times, max(1, int(retry_after)), delay))

    def block_chat(self, chat_id: int) -> None:
        """Every send to this chat answers 403 'bot was blocked by the user' until unblock_chat."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo block_chat."""
        with self._cond:
            self._blocked.discard(chat_id)

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (update_id assigned if missing) and return its id."""
        update = copy.deepcopy(update)
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._remember_update(update)
            self._updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def add_star_transaction(self, tx: dict[str, Any]) -> None:
        """Append a StarTransaction for getStarTransactions (id, amount and date filled in if missing)."""
        with self._cond:
            self._add_transaction(copy.deepcopy(tx))

    def set_webhook_error(self, message: str) -> None:
        """Make getWebhookInfo report a delivery error now."""
        with self._cond:
            self._webhook["last_error_date"] = int(time.time())
            self._webhook["last_error_message"] = message

    # --- building updates as Telegram would send them --------------------------------------------------

    def make_message_update(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "ru",
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An update with a user's message in their private chat (commands get their bot_command entity)."""
        with self._cond:
            user = self._user(chat_id, first_name, username, language_code)
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": self._chat(chat_id),
                "date": int(time.time()),
            }
            if text is not None:
                message["text"] = text
                entities = _command_entities(text)
                if entities:
                    message["entities"] = entities
            message.update(copy.deepcopy(extra or {}))
            self._messages[(chat_id, int(message["message_id"]))] = copy.deepcopy(message)
            return {"update_id": self._take_update_id(), "message": message}

    def make_callback_update(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        first_name: str = "Test",
        language_code: str | None = "ru",
    ) -> dict[str, Any]:
        """An update with a press on an inline button of a bot message."""
        with self._cond:
            user = self._user(chat_id, first_name, None, language_code)
            message = self._messages.get((chat_id, message_id))
            if message is None or (chat_id, message_id) in self._deleted:
                message = {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat(chat_id),
                    "text": "",
                }
            self._query_seq += 1
            query = {
                "id": f"{self.bot_id}{self._query_seq:08d}",
                "from": user,
                "chat_instance": f"-{abs(chat_id) * 7 + 3}",
                "message": copy.deepcopy(message),
                "data": data,
            }
            return {"update_id": self._take_update_id(), "callback_query": query}

    def make_pre_checkout_update(
        self,
        chat_id: int,
        payload: str,
        *,
        total_amount: int | None = None,
        currency: str | None = None,
        first_name: str = "Test",
    ) -> dict[str, Any]:
        """An update with a pre-checkout query for an invoice (amount and currency from the invoice sent)."""
        with self._cond:
            invoice = self._invoices.get(payload, {})
            self._query_seq += 1
            query = {
                "id": f"{self.bot_id}{self._query_seq:08d}",
                "from": self._user(chat_id, first_name, None, "ru"),
                "currency": currency or invoice.get("currency", "XTR"),
                "total_amount": total_amount if total_amount is not None else invoice.get("total_amount", 1),
                "invoice_payload": payload,
            }
            return {"update_id": self._take_update_id(), "pre_checkout_query": query}

    def make_successful_payment_update(
        self,
        chat_id: int,
        payload: str,
        *,
        total_amount: int | None = None,
        currency: str | None = None,
        charge_id: str | None = None,
        is_recurring: bool = False,
        is_first_recurring: bool = False,
        subscription_expiration_date: int | None = None,
        first_name: str = "Test",
    ) -> dict[str, Any]:
        """A message with successful_payment; a Stars payment also lands in getStarTransactions."""
        with self._cond:
            invoice = self._invoices.get(payload, {})
            self._charge_seq += 1
            currency = currency or invoice.get("currency", "XTR")
            amount = total_amount if total_amount is not None else invoice.get("total_amount", 1)
            charge = charge_id or f"stxFAKE{self.bot_id}x{self._charge_seq:010d}"
            payment: dict[str, Any] = {
                "currency": currency,
                "total_amount": amount,
                "invoice_payload": payload,
                "telegram_payment_charge_id": charge,
                "provider_payment_charge_id": "" if currency == "XTR" else f"prov-{self._charge_seq}",
            }
            if is_recurring:
                payment["is_recurring"] = True
            if is_first_recurring:
                payment["is_first_recurring"] = True
            if subscription_expiration_date is not None:
                payment["subscription_expiration_date"] = subscription_expiration_date
            user = self._user(chat_id, first_name, None, "ru")
            message_id = self._next_message_id(chat_id)
            message = {
                "message_id": message_id,
                "from": user,
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                "successful_payment": payment,
            }
            self._messages[(chat_id, message_id)] = copy.deepcopy(message)
            if currency == "XTR":
                source: dict[str, Any] = {
                    "type": "user",
                    "transaction_type": "invoice_payment",
                    "user": user,
                    "invoice_payload": payload,
                }
                if invoice.get("subscription_period") or is_recurring:
                    source["subscription_period"] = invoice.get("subscription_period", SUBSCRIPTION_PERIOD)
                self._add_transaction({"id": charge, "amount": amount, "date": message["date"], "source": source})
            return {"update_id": self._take_update_id(), "message": message}

    def make_chat_member_update(
        self, chat_id: int, status: str = "kicked", *, first_name: str = "Test"
    ) -> dict[str, Any]:
        """A my_chat_member update: the user blocked ('kicked') or restarted ('member') the bot."""
        if status not in ("kicked", "member"):
            raise ValueError("status must be 'kicked' or 'member'")
        with self._cond:
            old, new = ("member", "kicked") if status == "kicked" else ("kicked", "member")

            def member(state: str) -> dict[str, Any]:
                entry: dict[str, Any] = {"status": state, "user": self._bot_user()}
                if state == "kicked":
                    entry["until_date"] = 0
                return entry

            change = {
                "chat": self._chat(chat_id),
                "from": self._user(chat_id, first_name, None, "ru"),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            }
            return {"update_id": self._take_update_id(), "my_chat_member": change}

    # --- internals: state ------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        """Empty every store."""
        self._calls: list[ApiCall] = []
        self._failures: list[_Failure] = []
        self._blocked: set[int] = set()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000_001
        self._allowed_updates: list[str] | None = None
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._last_message_id: dict[int, int] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._photo_sets: dict[str, list[dict[str, Any]]] = {}
        self._file_seq = 0
        self._media_group_seq = 0
        self._query_seq = 0
        self._charge_seq = 0
        self._invoice_link_seq = 0
        self._answered_queries: set[str] = set()
        self._invoices: dict[str, dict[str, Any]] = {}
        self._transactions: list[dict[str, Any]] = []
        self._refunded: set[str] = set()
        self._subscriptions: dict[str, bool] = {}
        self._webhook: dict[str, Any] = {"url": ""}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._throttled = 0
        self._max_rate_seen = 0
        self._min_chat_gap = None
        self._rate_window: deque[float] = deque()
        self._last_send_at: dict[int | str, float] = {}
        self._global_limiter = _Limiter.for_rate(self._global_rate)
        self._chat_limiters: dict[int | str, _Limiter] = {}
        self._paid_limiter = _Limiter.for_rate(self._paid_rate)
        self._paid_sent = 0

    def _bot_user(self) -> dict[str, Any]:
        """The bot as a User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}

    def _user(self, user_id: int, first_name: str, username: str | None, language_code: str | None) -> dict[str, Any]:
        """A private chat's user, remembered so that the bot's messages show the same chat."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        username = username or self._users.get(user_id, {}).get("username")
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        if user_id > 0:
            chat = {"id": user_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
            self._chats[user_id] = chat
        return copy.deepcopy(user)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        """The Chat object for an id (private for users, groups for negative ids)."""
        known = self._chats.get(chat_id)
        if known:
            return copy.deepcopy(known)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        if chat_id <= -1_000_000_000_000:
            return {"id": chat_id, "type": "supergroup", "title": "Test supergroup"}
        return {"id": chat_id, "type": "group", "title": "Test group"}

    def _next_message_id(self, chat_id: int) -> int:
        """Message ids are per chat and shared by both sides, as in private chats."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _take_update_id(self) -> int:
        """Reserve the next update_id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _remember_update(self, update: dict[str, Any]) -> None:
        """Learn chats and messages from a pushed update so later edits and replies line up."""
        for key in ("message", "edited_message", "channel_post"):
            message = update.get(key)
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                chat_id = message["chat"].get("id")
                message_id = message.get("message_id")
                if isinstance(chat_id, int) and isinstance(message_id, int):
                    self._chats.setdefault(chat_id, copy.deepcopy(message["chat"]))
                    self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
                    self._messages.setdefault((chat_id, message_id), copy.deepcopy(message))

    def _add_transaction(self, tx: dict[str, Any]) -> None:
        """Append a StarTransaction with defaults."""
        self._charge_seq += 1
        tx.setdefault("id", f"stxFAKE{self.bot_id}x{self._charge_seq:010d}")
        tx.setdefault("amount", 1)
        tx.setdefault("date", int(time.time()))
        self._transactions.append(tx)

    def _new_message(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        """Store a message the bot sent and return a copy."""
        message = {
            "message_id": self._next_message_id(chat_id),
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    # --- internals: HTTP -------------------------------------------------------------------------------

    def _respond(self, request: HttpRequest) -> HttpReply:
        """Route /bot<token>/<method> and /file/bot<token>/<path>."""
        path = unquote(urlsplit(request.path).path)
        if path.startswith("/file/bot"):
            return self._serve_file(request, path[len("/file/bot") :])
        if not path.startswith("/bot"):
            return _telegram_error_reply(404, "Not Found")
        token, _, method = path[len("/bot") :].partition("/")
        if not method or "/" in method:
            return _telegram_error_reply(404, "Not Found")
        if token != self.token:
            # Telegram: a well-formed but wrong token is 401, anything else 404.
            if _TOKEN_RE.fullmatch(token):
                return _telegram_error_reply(401, "Unauthorized")
            return _telegram_error_reply(404, "Not Found")
        at = time.monotonic()
        try:
            params, uploads = parse_request_params(request)
        except ApiError as exc:
            with self._cond:
                self._record(ApiCall(method, {}, {}, at, exc.status, None, exc.description))
            return json_reply(exc.status, exc.payload())
        return self._call(method, params, uploads, at)

    def _serve_file(self, request: HttpRequest, rest: str) -> HttpReply:
        """Serve bytes of a stored file like api.telegram.org/file/bot<token>/<file_path>."""
        token, _, file_path = rest.partition("/")
        if token != self.token or request.method != "GET":
            return HttpReply(404, b"Not Found", "text/plain")
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            return HttpReply(404, b"Not Found", "text/plain")
        return HttpReply(200, stored.data, stored.mime_type)

    def _call(self, method: str, params: dict[str, Any], uploads: dict[str, Upload], at: float) -> HttpReply:
        """Run one Bot API method with failure injection, blocking and flood limits."""
        files = {name: upload.data for name, upload in uploads.items()}
        entry = self._methods.get(method.lower())
        if entry is None:
            with self._cond:
                self._record(ApiCall(method, params, files, at, 404, None, "Not Found"))
            return _telegram_error_reply(404, "Not Found")
        name, handler = entry
        if self.latency > 0:
            time.sleep(self.latency)
        failure = self._take_failure(name)
        if failure is not None and failure.delay > 0:
            time.sleep(failure.delay)
        with self._cond:
            try:
                injected = failure.error() if failure is not None else None
                if injected is not None:
                    raise injected
                chat_id = params.get("chat_id")
                blockable = name in SEND_METHODS or name == "sendChatAction"
                if blockable and isinstance(chat_id, int) and chat_id in self._blocked:
                    raise ApiError(403, "Forbidden: bot was blocked by the user")
                limited = chat_id if name in SEND_METHODS and isinstance(chat_id, int | str) and chat_id != "" else None
                paid = bool(params.get("allow_paid_broadcast"))
                admitted_at = self._check_limits(limited, paid=paid) if limited is not None else 0.0
                result = handler(params, uploads)
                if limited is not None:
                    # Only delivered messages count: a refused request (400) sends nothing.
                    self._count_send(limited, admitted_at, paid=paid)
            except ApiError as exc:
                self._record(ApiCall(name, params, files, at, exc.status, None, exc.description))
                if exc.status == 502:
                    return HttpReply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
                return json_reply(exc.status, exc.payload())
            self._record(ApiCall(name, params, files, at, 200, copy.deepcopy(result)))
            return json_reply(200, {"ok": True, "result": result})

    def _record(self, call: ApiCall) -> None:
        """Append a call, wake waiters and tell the on_call listener (lock held)."""
        self._calls.append(call)
        self._cond.notify_all()
        listener = self.on_call
        if listener is not None:
            try:
                listener(call)
            except Exception as exc:  # a console printer must not break the fake
                self._server.errors.append(exc)

    def _take_failure(self, method: str) -> _Failure | None:
        """Consume the first queued failure that matches."""
        with self._cond:
            for failure in self._failures:
                if failure.method is None or failure.method == method:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _check_limits(self, chat_id: int | str, *, paid: bool = False) -> float:
        """Apply the flood limits to one send (lock held): 429 when over, else the admission time."""
        now = time.monotonic()
        chat_limiter = self._chat_limiters.get(chat_id)
        if chat_limiter is None:
            chat_limiter = self._chat_limiters[chat_id] = _Limiter.for_rate(self._per_chat_rate)
        chat_wait = chat_limiter.wait(now)
        global_wait = (self._paid_limiter if paid else self._global_limiter).wait(now)
        if self.enforce_limits and (chat_wait > 0 or global_wait > 0):
            self._throttled += 1
            retry_after = max(1, math.ceil(max(chat_wait, global_wait)))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        return now

    def _count_send(self, chat_id: int | str, now: float, *, paid: bool = False) -> None:
        """Count a delivered message in the limiters and the statistics (lock held)."""
        chat_limiter = self._chat_limiters[chat_id]
        chat_limiter.stamps.append(now)
        if paid:
            self._paid_limiter.stamps.append(now)
            self._paid_sent += 1
        else:
            self._global_limiter.stamps.append(now)
        while self._rate_window and now - self._rate_window[0] >= 1.0:
            self._rate_window.popleft()
        self._rate_window.append(now)
        self._max_rate_seen = max(self._max_rate_seen, len(self._rate_window))
        last = self._last_send_at.get(chat_id)
        if last is not None:
            gap = now - last
            self._min_chat_gap = gap if self._min_chat_gap is None else min(self._min_chat_gap, gap)
        self._last_send_at[chat_id] = now

    # --- internals: parameter helpers ------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any], name: str = "chat_id") -> int:
        """A target chat id; usernames of chats the fake does not know are 'chat not found'."""
        value = params.get(name)
        if value is None or value == "":
            raise _bad(f"{name} is empty")
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.startswith("@"):
                for chat_id, chat in self._chats.items():
                    if chat.get("username", "").lower() == value[1:].lower():
                        return chat_id
            raise _bad("chat not found")
        if value == 0:
            raise _bad("chat not found")
        return value

    @staticmethod
    def _int(params: dict[str, Any], name: str, *, default: int | None = None) -> int:
        """An integer parameter."""
        value = params.get(name, default)
        if value is None or value == "":
            raise _bad(f'parameter "{name}" is required')
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(f'field "{name}" must be of type Integer')
        return value

    @staticmethod
    def _str(params: dict[str, Any], name: str) -> str | None:
        """An optional string parameter."""
        value = params.get(name)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise _bad(f'field "{name}" must be of type String')
        return str(value)

    @staticmethod
    def _bool(params: dict[str, Any], name: str, default: bool = False) -> bool:
        """A boolean parameter."""
        value = params.get(name, default)
        if isinstance(value, bool):
            return value
        raise _bad(f'field "{name}" must be of type Boolean')

    @staticmethod
    def _reply_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        """Validate reply_markup; return it when it is an inline keyboard (the only kind echoed back)."""
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise _bad("can't parse inline keyboard JSON object")
            for row in rows:
                for button in row:
                    _check_inline_button(button)
            return markup
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise _bad("can't parse keyboard JSON object")
            for row in rows:
                for button in row:
                    if not (
                        isinstance(button, str) or (isinstance(button, dict) and isinstance(button.get("text"), str))
                    ):
                        raise _bad('can\'t parse keyboard button: Field "text" must be of type String')
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise _bad("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _text(params: dict[str, Any], name: str, entities_name: str) -> tuple[str, list[dict[str, Any]] | None]:
        """A text or caption after parse_mode, with Telegram's length limits."""
        raw = params.get(name)
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raw = json.dumps(raw)
        text, entities = formatted_text(raw, FakeBotAPI._str(params, "parse_mode"), params.get(entities_name))
        limit = TEXT_LIMIT if name == "text" else CAPTION_LIMIT
        if utf16_len(text) > limit:
            raise _bad("message is too long" if name == "text" else "message caption is too long")
        return text, entities

    def _content(self, params: dict[str, Any]) -> dict[str, Any]:
        """Caption and reply markup of a media message."""
        content: dict[str, Any] = {}
        caption, entities = self._text(params, "caption", "caption_entities")
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        markup = self._reply_markup(params)
        if markup:
            content["reply_markup"] = markup
        return content

    def _file(self, params: dict[str, Any], uploads: dict[str, Upload], name: str, kind: str) -> _StoredFile:
        """Resolve an InputFile parameter: an upload, attach://name, a known file_id or an HTTP URL."""
        value = params.get(name)
        upload = uploads.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise _bad(f"file {value} not found in the request")
        if upload is not None:
            if not upload.data:
                raise _bad("file must be non-empty")
            if kind == "photo" and image_size(upload.data) is None:
                raise _bad("IMAGE_PROCESS_FAILED")
            return self._store_file(upload.data, kind, upload.content_type, upload.filename)
        if value is None or value == "":
            raise _bad(f"there is no {kind} in the request")
        if not isinstance(value, str):
            raise _bad("wrong file identifier/HTTP URL specified")
        known = self._files.get(value)
        if known is not None:
            return known
        if re.match(r"https?://[^\s/]+", value):
            # No network here: a URL becomes a placeholder picture the fake can serve back.
            file_name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            return self._store_file(solid_png(), kind, "image/png", file_name)
        raise _bad("wrong file identifier/HTTP URL specified")

    def _store_file(self, data: bytes, kind: str, mime_type: str, file_name: str | None) -> _StoredFile:
        """Keep a file and give it Telegram-looking identifiers."""
        self._file_seq += 1
        number = self._file_seq
        prefix, folder = ("AgAC", "photos") if kind == "photo" else ("BQAC", "documents")
        picture = _picture(data)
        width, height, mime_type = picture or (0, 0, _mime_type(mime_type, file_name))
        extension = _extension(mime_type, file_name)
        stored = _StoredFile(
            file_id=f"{prefix}FAKE{self.bot_id}-{number:06d}",
            file_unique_id=f"AQADfake{number:06d}",
            data=data,
            file_path=f"{folder}/file_{number}{extension}",
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, stored: _StoredFile) -> list[dict[str, Any]]:
        """Telegram's PhotoSize ladder for a picture (thumbnails first, largest last)."""
        known = self._photo_sets.get(stored.file_id)
        if known is not None:
            return copy.deepcopy(known)
        if not stored.width or not stored.height:
            raise _bad("IMAGE_PROCESS_FAILED")
        if stored.width + stored.height > 10000 or max(stored.width, stored.height) > 20 * min(
            stored.width, stored.height
        ):
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        longest = max(stored.width, stored.height)
        sides = [side for side in (90, 320, 800, 1280) if side < longest] + [min(longest, 2560)]
        sizes: list[dict[str, Any]] = []
        for side in sides:
            scale = side / longest
            width, height = max(1, round(stored.width * scale)), max(1, round(stored.height * scale))
            target = stored
            if side != sides[-1]:
                target = self._alias_file(stored)
            sizes.append(
                {
                    "file_id": target.file_id,
                    "file_unique_id": target.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": max(1, int(len(stored.data) * scale * scale)),
                }
            )
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return copy.deepcopy(sizes)

    def _alias_file(self, stored: _StoredFile) -> _StoredFile:
        """Another file id for the same bytes (a thumbnail size)."""
        self._file_seq += 1
        alias = _StoredFile(
            file_id=f"AgACFAKE{self.bot_id}-{self._file_seq:06d}",
            file_unique_id=f"AQADfake{self._file_seq:06d}",
            data=stored.data,
            file_path=f"photos/file_{self._file_seq}{_extension(stored.mime_type, stored.file_name)}",
            mime_type=stored.mime_type,
            file_name=stored.file_name,
            width=stored.width,
            height=stored.height,
        )
        self._files[alias.file_id] = alias
        self._files_by_path[alias.file_path] = alias
        return alias

    def _media_object(self, stored: _StoredFile, kind: str) -> Any:
        """The photo sizes or the Document of a message."""
        if kind == "photo":
            return self._photo_sizes(stored)
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "mime_type": stored.mime_type,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        return document

    # --- Bot API methods -------------------------------------------------------------------------------

    def _handlers(self) -> dict[str, Callable[[dict[str, Any], dict[str, Upload]], Any]]:
        """Method name -> implementation."""
        return {
            "getMe": lambda params, uploads: {
                **self._bot_user(),
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            },
            "sendMessage": self._send_message,
            "sendPhoto": lambda params, uploads: self._send_media(params, uploads, "photo"),
            "sendDocument": lambda params, uploads: self._send_media(params, uploads, "document"),
            "sendMediaGroup": self._send_media_group,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendInvoice": self._send_invoice,
            "createInvoiceLink": self._create_invoice_link,
            "answerPreCheckoutQuery": self._answer_pre_checkout_query,
            "refundStarPayment": self._refund_star_payment,
            "getStarTransactions": self._get_star_transactions,
            "editUserStarSubscription": self._edit_user_star_subscription,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "getUpdates": self._get_updates,
            "getFile": self._get_file,
            "editMessageMedia": self._edit_message_media,
            "sendLocation": self._send_location,
            "getChatMember": self._get_chat_member,
            "getMyStarBalance": self._get_my_star_balance,
        }

    def _get_chat_member(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """getChatMember: the bot and known users are members; blocked users are kicked."""
        chat_id = self._chat_id(params)
        user_id = self._int(params, "user_id")
        if user_id == self.bot_id:
            return {"status": "member", "user": self._bot_user()}
        user = self._users.get(user_id)
        if user is None:
            raise _bad("user not found" if chat_id != user_id else "PARTICIPANT_ID_INVALID")
        status = "kicked" if user_id in self._blocked else "member"
        member: dict[str, Any] = {"status": status, "user": copy.deepcopy(user)}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _get_my_star_balance(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, int]:
        """getMyStarBalance: incoming minus outgoing Stars of the recorded transactions."""
        balance = sum(tx.get("amount", 0) * (1 if "source" in tx else -1) for tx in self._transactions)
        return {"amount": max(balance, 0)}

    def _send_location(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """sendLocation."""
        chat_id = self._chat_id(params)
        try:
            latitude, longitude = float(params.get("latitude", "")), float(params.get("longitude", ""))
        except (TypeError, ValueError):
            raise _bad("wrong latitude or longitude specified") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _bad("wrong latitude or longitude specified")
        content: dict[str, Any] = {"location": {"latitude": latitude, "longitude": longitude}}
        markup = self._reply_markup(params)
        if markup:
            content["reply_markup"] = markup
        return self._new_message(chat_id, content)

    def _edit_message_media(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        """editMessageMedia: replace the photo or document of a media message."""
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") not in _MEDIA_KINDS:
            raise _bad("can't parse InputMedia JSON object")
        kind = media["type"]
        stored = self._file({"media": media.get("media")}, uploads, "media", kind)
        markup = self._reply_markup(params)
        message, known = self._editable(params, None)
        if message is not None and known and not any(key in message for key in _MEDIA_KINDS):
            raise _bad("there is no media in the message to edit")
        caption_fields = {key: media.get(key) for key in ("caption", "parse_mode", "caption_entities")}
        caption, entities = self._text(caption_fields, "caption", "caption_entities")
        changes: dict[str, Any] = dict.fromkeys(_MEDIA_KINDS)
        changes.update(
            {
                kind: self._media_object(stored, kind),
                "caption": caption or None,
                "caption_entities": entities,
                "reply_markup": markup,
            }
        )
        return self._apply_edit(message, changes, known)

    def _send_message(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """sendMessage."""
        chat_id = self._chat_id(params)
        text, entities = self._text(params, "text", "entities")
        if not text.strip():
            raise _bad("message text is empty")
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        markup = self._reply_markup(params)
        if markup:
            content["reply_markup"] = markup
        if isinstance(params.get("link_preview_options"), dict):
            content["link_preview_options"] = params["link_preview_options"]
        return self._new_message(chat_id, content)

    def _send_media(self, params: dict[str, Any], uploads: dict[str, Upload], kind: str) -> dict[str, Any]:
        """sendPhoto, sendDocument."""
        chat_id = self._chat_id(params)
        stored = self._file(params, uploads, kind, kind)
        content = {kind: self._media_object(stored, kind)}
        content.update(self._content(params))
        return self._new_message(chat_id, content)

    def _send_media_group(self, params: dict[str, Any], uploads: dict[str, Upload]) -> list[dict[str, Any]]:
        """sendMediaGroup: one message per item, sharing a media_group_id."""
        chat_id = self._chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise _bad("can't parse InputMedia JSON object")
        if not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the album: must include 2-10 items")
        kinds = {item.get("type") for item in media}
        if not kinds <= _MEDIA_KINDS:
            raise _bad("wrong type of media in the album")
        if len(kinds) > 1:
            raise _bad("document can't be mixed with other media types")
        self._media_group_seq += 1
        group_id = f"{self.bot_id}{self._media_group_seq:010d}"
        prepared = []
        for item in media:
            kind = item["type"]
            stored = self._file({"media": item.get("media")}, uploads, "media", kind)
            content: dict[str, Any] = {
                kind: self._media_object(stored, kind),
                "media_group_id": group_id,
            }
            content.update(self._content({key: item.get(key) for key in ("caption", "parse_mode", "caption_entities")}))
            prepared.append(content)
        return [self._new_message(chat_id, content) for content in prepared]

    def _editable(self, params: dict[str, Any], content_key: str | None) -> tuple[dict[str, Any] | None, bool]:
        """The stored message an edit targets: (message, known). Inline messages return (None, False)."""
        if params.get("inline_message_id"):
            return None, False
        if params.get("chat_id") in (None, "") or params.get("message_id") in (None, ""):
            raise _bad("message identifier is not specified")
        chat_id = self._chat_id(params)
        message_id = self._int(params, "message_id")
        key = (chat_id, message_id)
        if key in self._deleted:
            raise _bad("message to edit not found")
        message = self._messages.get(key)
        if message is None:
            # Fixtures may reference messages this fake never saw: accept and start tracking them.
            message = {
                "message_id": message_id,
                "from": self._bot_user(),
                "chat": self._chat(chat_id),
                "date": int(time.time()),
            }
            if content_key:
                message[content_key] = ""
            self._messages[key] = message
            self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
            return message, False
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return message, True

    def _apply_edit(self, message: dict[str, Any] | None, changes: dict[str, Any], known: bool) -> Any:
        """Apply an edit unless it changes nothing (Telegram answers 400 then)."""
        if message is None:
            return True
        before = {key: message.get(key) for key in changes}
        if known and before == changes:
            raise _bad(_NOT_MODIFIED[len("Bad Request: ") :])
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_message_text(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        """editMessageText (an edit without reply_markup removes the inline keyboard, as in Telegram)."""
        text, entities = self._text(params, "text", "entities")
        if not text.strip():
            raise _bad("message text is empty")
        markup = self._reply_markup(params)
        message, known = self._editable(params, "text")
        if message is not None and known and "text" not in message:
            raise _bad("there is no text in the message to edit")
        return self._apply_edit(message, {"text": text, "entities": entities, "reply_markup": markup}, known)

    def _edit_message_reply_markup(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        """editMessageReplyMarkup."""
        markup = self._reply_markup(params)
        message, known = self._editable(params, None)
        return self._apply_edit(message, {"reply_markup": markup}, known)

    def _delete_message(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """deleteMessage."""
        key = (self._chat_id(params), self._int(params, "message_id"))
        if key in self._deleted:
            raise _bad("message to delete not found")
        self._deleted.add(key)
        return True

    def _answer_callback_query(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """answerCallbackQuery: each query can be answered once."""
        query_id = self._str(params, "callback_query_id")
        if not query_id:
            raise _bad("QUERY_ID_INVALID")
        text = self._str(params, "text") or ""
        if len(text) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        if query_id in self._answered_queries:
            raise _bad(_STALE_QUERY[len("Bad Request: ") :])
        self._answered_queries.add(query_id)
        return True

    def _send_chat_action(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """sendChatAction."""
        self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _invoice(self, params: dict[str, Any]) -> dict[str, Any]:
        """Validate the fields shared by sendInvoice and createInvoiceLink."""
        title = self._str(params, "title") or ""
        description = self._str(params, "description") or ""
        payload = self._str(params, "payload") or ""
        currency = (self._str(params, "currency") or "").upper()
        if not 1 <= len(title) <= 32:
            raise _bad("invoice title must be 1-32 characters long")
        if not 1 <= len(description) <= 255:
            raise _bad("invoice description must be 1-255 characters long")
        if not 1 <= len(payload.encode("utf-8")) <= 128:
            raise _bad("INVOICE_PAYLOAD_INVALID")
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise _bad("CURRENCY_INVALID")
        prices = params.get("prices")
        if (
            not isinstance(prices, list)
            or not prices
            or not all(
                isinstance(price, dict)
                and isinstance(price.get("label"), str)
                and isinstance(price.get("amount"), int)
                and not isinstance(price.get("amount"), bool)
                for price in prices
            )
        ):
            raise _bad("can't parse prices JSON object")
        total = sum(price["amount"] for price in prices)
        if currency == "XTR":
            if len(prices) != 1:
                raise _bad("STARS_INVOICE_INVALID: exactly one price is allowed for payments in Telegram Stars")
            if self._str(params, "provider_token"):
                raise _bad("PAYMENT_PROVIDER_INVALID: provider_token must be empty for payments in Telegram Stars")
        elif not self._str(params, "provider_token"):
            raise _bad("PAYMENT_PROVIDER_INVALID")
        if total <= 0:
            raise _bad("TOTAL_AMOUNT_INVALID")
        return {
            "title": title,
            "description": description,
            "currency": currency,
            "total_amount": total,
            "payload": payload,
        }

    def _send_invoice(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """sendInvoice."""
        chat_id = self._chat_id(params)
        invoice = self._invoice(params)
        self._invoices[invoice["payload"]] = invoice
        content: dict[str, Any] = {
            "invoice": {
                "title": invoice["title"],
                "description": invoice["description"],
                "start_parameter": self._str(params, "start_parameter") or "",
                "currency": invoice["currency"],
                "total_amount": invoice["total_amount"],
            }
        }
        markup = self._reply_markup(params)
        if markup:
            content["reply_markup"] = markup
        return self._new_message(chat_id, content)

    def _create_invoice_link(self, params: dict[str, Any], uploads: dict[str, Upload]) -> str:
        """createInvoiceLink (Stars subscriptions need subscription_period=2592000)."""
        invoice = self._invoice(params)
        period = params.get("subscription_period")
        if period is not None:
            if period != SUBSCRIPTION_PERIOD:
                raise _bad("SUBSCRIPTION_PERIOD_INVALID")
            if invoice["currency"] != "XTR":
                raise _bad("SUBSCRIPTION_PERIOD_INVALID: subscriptions are paid in Telegram Stars only")
            invoice["subscription_period"] = period
        self._invoices[invoice["payload"]] = invoice
        self._invoice_link_seq += 1
        return f"https://t.me/$FakeInvoice{self.bot_id}x{self._invoice_link_seq:06d}"

    def _answer_pre_checkout_query(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """answerPreCheckoutQuery: once per query; a refusal needs an error_message."""
        query_id = self._str(params, "pre_checkout_query_id")
        if not query_id:
            raise _bad("QUERY_ID_INVALID")
        if "ok" not in params:
            raise _bad('parameter "ok" is required')
        if not self._bool(params, "ok") and not self._str(params, "error_message"):
            raise _bad("ERROR_MESSAGE_EMPTY")
        if query_id in self._answered_queries:
            raise _bad(_STALE_QUERY[len("Bad Request: ") :])
        self._answered_queries.add(query_id)
        return True

    def _refund_star_payment(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """refundStarPayment: a second refund of one charge fails like Telegram's."""
        user_id = self._int(params, "user_id")
        charge_id = self._str(params, "telegram_payment_charge_id")
        if not charge_id:
            raise _bad("CHARGE_ID_EMPTY")
        if charge_id in self._refunded:
            raise _bad("CHARGE_ALREADY_REFUNDED")
        original = next((tx for tx in self._transactions if tx.get("id") == charge_id and "source" in tx), None)
        self._refunded.add(charge_id)
        user = self._users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "Test"})
        self._add_transaction(
            {
                "id": charge_id,
                "amount": original.get("amount", 1) if original else 1,
                "date": int(time.time()),
                "receiver": {
                    "type": "user",
                    "transaction_type": "invoice_payment",
                    "user": copy.deepcopy(user),
                },
            }
        )
        return True

    def _get_star_transactions(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """getStarTransactions, oldest first."""
        offset = self._int(params, "offset", default=0)
        limit = self._int(params, "limit", default=100)
        if offset < 0:
            raise _bad("offset must be non-negative")
        if not 1 <= limit <= 100:
            raise _bad("limit must be 1-100")
        return {"transactions": copy.deepcopy(self._transactions[offset : offset + limit])}

    def _edit_user_star_subscription(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """editUserStarSubscription."""
        self._int(params, "user_id")
        charge_id = self._str(params, "telegram_payment_charge_id")
        if not charge_id:
            raise _bad("CHARGE_ID_EMPTY")
        if "is_canceled" not in params:
            raise _bad('parameter "is_canceled" is required')
        self._subscriptions[charge_id] = self._bool(params, "is_canceled")
        return True

    def _set_webhook(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """setWebhook with Telegram's checks on the URL, port and secret token."""
        url = self._str(params, "url") or ""
        if not url:
            self._webhook = {"url": ""}
            return True
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        try:
            port = parts.port or 443
        except ValueError:
            raise _bad("bad webhook: invalid port") from None
        if port not in (80, 88, 443, 8443):
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = self._str(params, "secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(secret):
            raise _bad("bad webhook: secret token contains unallowed characters")
        max_connections = self._int(params, "max_connections", default=40)
        if not 1 <= max_connections <= 100:
            raise _bad("bad webhook: max_connections must be 1-100")
        allowed = params.get("allowed_updates")
        if allowed is not None and not (isinstance(allowed, list) and all(isinstance(item, str) for item in allowed)):
            raise _bad("can't parse allowed updates JSON object")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = {
            "url": url,
            "has_custom_certificate": "certificate" in uploads,
            "max_connections": max_connections,
            "secret_token": secret,
        }
        if params.get("ip_address"):
            self._webhook["ip_address"] = self._str(params, "ip_address")
        if allowed is not None:
            self._webhook["allowed_updates"] = allowed
            self._allowed_updates = allowed or None
        return True

    def _delete_webhook(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """deleteWebhook."""
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = {"url": ""}
        return True

    def _get_webhook_info(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """getWebhookInfo."""
        info = {key: value for key, value in self._webhook.items() if key != "secret_token"}
        info.setdefault("has_custom_certificate", False)
        info["pending_update_count"] = len(self._updates)
        return copy.deepcopy(info)

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        """Commands are stored per scope and language."""
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), self._str(params, "language_code") or ""

    def _set_my_commands(self, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
        """setMyCommands with Telegram's command format rules."""
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(isinstance(item, dict) for item in commands):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands")
        for command in commands:
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = [
            {"command": item["command"], "description": item["description"]} for item in commands
        ]
        return True

    def _get_my_commands(self, params: dict[str, Any], uploads: dict[str, Upload]) -> list[dict[str, Any]]:
        """getMyCommands."""
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _get_updates(self, params: dict[str, Any], uploads: dict[str, Upload]) -> list[dict[str, Any]]:
        """getUpdates: long polling with offset, limit, timeout and allowed_updates."""
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = self._int(params, "offset", default=0)
        limit = min(max(self._int(params, "limit", default=100), 1), 100)
        timeout = max(self._int(params, "timeout", default=0), 0)
        allowed = params.get("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
                raise _bad("can't parse allowed updates JSON object")
            self._allowed_updates = allowed or None
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset > 0:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while True:
            self._updates = [update for update in self._updates if self._wanted(update)]
            if self._updates or self._stopping:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
        return copy.deepcopy(self._updates[:limit])

    def _wanted(self, update: dict[str, Any]) -> bool:
        """Whether allowed_updates lets this update through."""
        kinds = [key for key in update if key != "update_id"]
        if self._allowed_updates is None:
            return not any(kind in _OPT_IN_UPDATES for kind in kinds)
        return any(kind in self._allowed_updates for kind in kinds)

    def _get_file(self, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
        """getFile: a File whose path the file URL serves."""
        file_id = self._str(params, "file_id")
        stored = self._files.get(file_id or "")
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


def _check_inline_button(button: Any) -> None:
    """Telegram's checks on one inline keyboard button."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    if not button["text"].strip():
        raise _bad("BUTTON_TEXT_EMPTY")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
            raise _bad("BUTTON_URL_INVALID")


def _mime_type(declared: str, file_name: str | None) -> str:
    """The type of a file that is no picture: as declared, else guessed from its name."""
    declared = (declared or "").split(";", 1)[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    guessed = mimetypes.guess_type(file_name or "", strict=False)[0]
    return guessed or "application/octet-stream"


def _extension(mime_type: str, file_name: str | None) -> str:
    """A file extension for a stored file's path."""
    if mime_type == "image/jpeg":
        return ".jpg"
    guessed = mimetypes.guess_extension(mime_type, strict=False) if mime_type != "application/octet-stream" else None
    if guessed:
        return guessed
    if file_name and "." in file_name:
        return "." + re.sub(r"[^A-Za-z0-9]", "", file_name.rsplit(".", 1)[1])[:8]
    return ""


def _telegram_error_reply(status: int, description: str) -> HttpReply:
    """An error answer shaped like Telegram's."""
    return json_reply(status, {"ok": False, "error_code": status, "description": description})


__all__ = [
    "FAILURE_KINDS",
    "SEND_METHODS",
    "ApiCall",
    "ApiError",
    "FakeBotAPI",
    "HttpReply",
    "HttpRequest",
    "LoopbackServer",
    "Upload",
    "formatted_text",
    "image_size",
    "json_reply",
    "parse_html",
    "parse_multipart",
    "parse_request_params",
    "solid_png",
    "utf16_len",
]
