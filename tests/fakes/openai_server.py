"""A fake OpenAI-compatible server (chat completions, images, models) over real HTTP on loopback."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.console.fake_api import HttpReply, HttpRequest, LoopbackServer, json_reply, solid_png

FAILURE_KINDS = frozenset({"server_error", "rate_limited", "slow", "garbage", "empty", "bad_gateway", "unauthorized"})
MAX_IMAGE_SIDE = 2048
DEFAULT_MODELS = ("fake-llm", "fake-image")

_RU_SENTENCES = (
    "Сегодня звёзды советуют не спешить с важными решениями.",
    "Луна поддерживает спокойные и честные разговоры.",
    "Хороший день, чтобы закончить начатое и навести порядок в делах.",
    "В денежных вопросах доверьтесь расчёту, а не порыву.",
    "Вечером найдите время для отдыха и близких людей.",
    "Небольшой шаг сегодня принесёт заметный результат завтра.",
    "Прислушайтесь к телу: ему нужен ритм и сон.",
    "Неожиданная встреча может подсказать новое направление.",
)
_EN_SENTENCES = (
    "Today the stars advise against rushing important decisions.",
    "The Moon supports calm and honest conversations.",
    "A good day to finish what you started and tidy up your affairs.",
    "In money matters, trust a plan rather than an impulse.",
    "In the evening, make time for rest and the people close to you.",
    "A small step today brings a visible result tomorrow.",
    "Listen to your body: it needs rhythm and sleep.",
    "An unexpected meeting may point to a new direction.",
)


@dataclass(frozen=True)
class OpenAICall:
    """One request the fake answered: path, parsed JSON body, lower-cased headers, arrival, status."""

    path: str
    body: Any
    headers: dict[str, str]
    at: float
    status: int


@dataclass
class _Failure:
    """A failure queued by fail_next()."""

    kind: str
    remaining: int
    delay: float
    retry_after: int
    path: str | None


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message whose content is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


def last_user_text(request: dict[str, Any]) -> str:
    """The last user message of a chat completion request."""
    for message in reversed(request.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            return message_text(message)
    return ""


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters a token)."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


def default_responder(request: dict[str, Any]) -> str:
    """Deterministic, plausible text in the language of the last user message (JSON when asked for)."""
    prompt = last_user_text(request)
    bank = _RU_SENTENCES if re.search("[а-яё]", prompt, re.IGNORECASE) else _EN_SENTENCES
    digest = hashlib.sha256(prompt.encode("utf-8")).digest()
    picked: list[str] = []
    for byte in digest:
        sentence = bank[byte % len(bank)]
        if sentence not in picked:
            picked.append(sentence)
        if len(picked) == 3:
            break
    text = " ".join(picked)
    response_format = request.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema") or {}
        return json.dumps(_fill_schema(schema, picked), ensure_ascii=False)
    if response_format.get("type") == "json_object":
        return json.dumps({"text": text}, ensure_ascii=False)
    return text


def _fill_schema(schema: dict[str, Any], sentences: list[str], depth: int = 0) -> Any:
    """A value that satisfies a simple JSON schema, built from the picked sentences."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "string")
    if schema.get("enum"):
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {
            name: _fill_schema(sub, sentences[index % len(sentences) :] + sentences, depth + 1)
            for index, (name, sub) in enumerate(properties.items())
        }
    if kind == "array":
        return [_fill_schema(schema.get("items") or {}, sentences, depth + 1)] if depth < 5 else []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    return sentences[0]


def _openai_error(
    status: int, message: str, *, kind: str, code: str | None = None, param: str | None = None
) -> HttpReply:
    """An error answer shaped like OpenAI's."""
    return json_reply(status, {"error": {"message": message, "type": kind, "param": param, "code": code}})


def _error_reply(status: int, description: str) -> HttpReply:
    """Errors raised before routing (body too large, a bug in the fake)."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return _openai_error(status, description, kind=kind)


class FakeOpenAI:
    """An OpenAI-compatible API on 127.0.0.1: /v1/chat/completions, /v1/images/generations, /v1/models.

    `responder` turns the request JSON into the assistant text; every call is recorded; fail_next()
    injects 500, 429 (with retry-after), slow answers, garbage and empty content.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: tuple[str, ...] = DEFAULT_MODELS,
        latency: float = 0.0,
    ) -> None:
        self.api_key = api_key
        self.models = models
        self.latency = latency
        self.responder: Callable[[dict[str, Any]], Any] = default_responder
        self._lock = threading.Lock()
        self._calls: list[OpenAICall] = []
        self._failures: list[_Failure] = []
        self._images: dict[str, bytes] = {}
        self._seq = 0
        self._server = LoopbackServer(self._respond, error_reply=_error_reply)

    def start(self) -> FakeOpenAI:
        """Start serving on a free loopback port."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`, for `openai.OpenAI(base_url=...)`."""
        return f"{self._server.origin}/v1"

    @property
    def errors(self) -> list[BaseException]:
        """Bugs of the fake itself, each answered 500."""
        return list(self._server.errors)

    @property
    def calls(self) -> list[OpenAICall]:
        """Every answered request, in order."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, path: str) -> list[OpenAICall]:
        """Requests whose path ends with `path` (e.g. "/chat/completions")."""
        with self._lock:
            return [call for call in self._calls if call.path.endswith(path)]

    def clear(self) -> None:
        """Forget recorded calls and queued failures."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()

    def fail_next(
        self, kind: str, *, times: int = 1, delay: float = 0.0, retry_after: int = 1, path: str | None = None
    ) -> None:
        """Make the next `times` requests (to paths ending with `path`, or any) fail as `kind`."""
        if kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; one of {sorted(FAILURE_KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._failures.append(_Failure(kind, times, delay, max(1, int(retry_after)), path))

    # --- internals --------------------------------------------------------------------------------------

    def _take_failure(self, path: str) -> _Failure | None:
        """Consume the first queued failure that matches this path."""
        with self._lock:
            for failure in self._failures:
                if failure.path is None or path.endswith(failure.path):
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _next_id(self) -> int:
        """A sequence number for ids."""
        with self._lock:
            self._seq += 1
            return self._seq

    def _respond(self, request: HttpRequest) -> HttpReply:
        """Answer one request and record it."""
        at = time.monotonic()
        path = urlsplit(request.path).path.rstrip("/") or "/"
        body: Any = None
        if request.body:
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                body = None
        reply = self._answer(request, path, body)
        with self._lock:
            self._calls.append(OpenAICall(path, body, dict(request.headers), at, reply.status))
        return reply

    def _answer(self, request: HttpRequest, path: str, body: Any) -> HttpReply:
        """Authentication, failure injection and routing."""
        if path.startswith("/files/") and request.method == "GET":
            with self._lock:
                image = self._images.get(path[len("/files/") :])
            return HttpReply(200, image, "image/png") if image else _openai_error(404, "Not found", kind="not_found")
        if self.latency > 0:
            time.sleep(self.latency)
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _openai_error(
                401, "Incorrect API key provided.", kind="invalid_request_error", code="invalid_api_key"
            )
        failure = self._take_failure(path)
        if failure is not None and failure.delay > 0:
            time.sleep(failure.delay)
        kind = failure.kind if failure is not None else None
        if kind == "server_error":
            return _openai_error(500, "The server had an error while processing your request.", kind="server_error")
        if kind == "bad_gateway":
            return HttpReply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        if kind == "unauthorized":
            return _openai_error(
                401, "Incorrect API key provided.", kind="invalid_request_error", code="invalid_api_key"
            )
        if kind == "rate_limited":
            reply = _openai_error(
                429,
                "Rate limit reached. Please try again later.",
                kind="requests",
                code="rate_limit_exceeded",
            )
            headers = (("retry-after", str(failure.retry_after)), ("x-ratelimit-remaining-requests", "0"))
            return HttpReply(reply.status, reply.body, reply.content_type, headers)
        if kind == "garbage":
            return HttpReply(200, b'{"id": "chatcmpl-broken", "choices": [<html>upstream hiccup', "application/json")
        empty = kind == "empty"
        if request.method == "POST" and path == "/v1/chat/completions":
            return self._chat_completion(body, empty=empty)
        if request.method == "POST" and path == "/v1/images/generations":
            return self._image_generation(body, empty=empty)
        if request.method == "GET" and path == "/v1/models":
            created = int(time.time())
            data = [{"id": name, "object": "model", "created": created, "owned_by": "fake"} for name in self.models]
            return json_reply(200, {"object": "list", "data": data})
        if request.method == "GET" and path.startswith("/v1/models/"):
            name = path[len("/v1/models/") :]
            if name not in self.models:
                return _openai_error(
                    404,
                    f"The model '{name}' does not exist",
                    kind="invalid_request_error",
                    code="model_not_found",
                )
            return json_reply(200, {"id": name, "object": "model", "created": int(time.time()), "owned_by": "fake"})
        return _openai_error(
            404,
            f"Unknown request URL: {request.method} {path}.",
            kind="invalid_request_error",
            code="unknown_url",
        )

    def _chat_completion(self, body: Any, *, empty: bool) -> HttpReply:
        """POST /v1/chat/completions (non-streaming)."""
        if not isinstance(body, dict):
            return _openai_error(400, "We could not parse the JSON body of your request.", kind="invalid_request_error")
        model = body.get("model")
        messages = body.get("messages")
        if not isinstance(model, str) or not model:
            return _openai_error(400, "you must provide a model parameter", kind="invalid_request_error", param="model")
        if (
            not isinstance(messages, list)
            or not messages
            or not all(isinstance(message, dict) and isinstance(message.get("role"), str) for message in messages)
        ):
            return _openai_error(
                400,
                "'messages' must be a non-empty array of messages",
                kind="invalid_request_error",
                param="messages",
            )
        if body.get("stream"):
            return _openai_error(400, "streaming is not supported by the fake", kind="invalid_request_error")
        count = body.get("n") or 1
        if not isinstance(count, int) or not 1 <= count <= 8:
            return _openai_error(400, "n must be between 1 and 8", kind="invalid_request_error", param="n")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        choices = []
        completion_tokens = 0
        for index in range(count):
            text = "" if empty else self.responder(body)
            if not isinstance(text, str):
                text = json.dumps(text, ensure_ascii=False)
            finish = "stop"
            if isinstance(limit, int) and limit > 0 and estimate_tokens(text) > limit:
                text, finish = text[: limit * 4], "length"
            completion_tokens += estimate_tokens(text)
            choices.append(
                {
                    "index": index,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": finish,
                }
            )
        prompt_tokens = sum(estimate_tokens(message_text(message)) + 3 for message in messages)
        payload = {
            "id": f"chatcmpl-fake{self._next_id():06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_fake",
        }
        return json_reply(200, payload)

    def _image_generation(self, body: Any, *, empty: bool) -> HttpReply:
        """POST /v1/images/generations: solid-colour PNGs of the requested size."""
        if not isinstance(body, dict):
            return _openai_error(400, "We could not parse the JSON body of your request.", kind="invalid_request_error")
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return _openai_error(400, "prompt is required", kind="invalid_request_error", param="prompt")
        count = body.get("n") or 1
        if not isinstance(count, int) or not 1 <= count <= 4:
            return _openai_error(400, "n must be between 1 and 4", kind="invalid_request_error", param="n")
        size = body.get("size") or "1024x1024"
        match = re.fullmatch(r"(\d{1,5})x(\d{1,5})", size) if isinstance(size, str) else None
        if size == "auto":
            width = height = 1024
        elif match and 0 < int(match.group(1)) <= MAX_IMAGE_SIDE and 0 < int(match.group(2)) <= MAX_IMAGE_SIDE:
            width, height = int(match.group(1)), int(match.group(2))
        else:
            return _openai_error(400, f"Invalid size '{size}'", kind="invalid_request_error", param="size")
        response_format = body.get("response_format") or "b64_json"
        if response_format not in ("b64_json", "url"):
            return _openai_error(
                400,
                "response_format must be 'url' or 'b64_json'",
                kind="invalid_request_error",
                param="response_format",
            )
        digest = hashlib.sha256(prompt.encode("utf-8")).digest()
        data = []
        for index in range(0 if empty else count):
            png = solid_png(width, height, (digest[index * 3], digest[index * 3 + 1], digest[index * 3 + 2]))
            if response_format == "url":
                name = f"img-{self._next_id():06d}.png"
                with self._lock:
                    self._images[name] = png
                data.append({"url": f"{self._server.origin}/files/{name}", "revised_prompt": prompt})
            else:
                data.append({"b64_json": base64.b64encode(png).decode("ascii"), "revised_prompt": prompt})
        return json_reply(200, {"created": int(time.time()), "data": data})
