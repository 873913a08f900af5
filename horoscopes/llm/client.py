"""Calls to any OpenAI-compatible endpoint with a timeout, bounded retries, a breaker, and a log row per call."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Generic, TypeVar

import openai
from django.conf import settings
from django.utils import timezone

from config.retry import backoff_delay
from horoscopes.llm.budget import llm_budget_spent, llm_subject
from horoscopes.llm.cleaning import clean_text
from horoscopes.llm.models import GenerationLog, GenerationStatus, Prompt

logger = logging.getLogger(__name__)

T = TypeVar("T")
# First pause between attempts; it doubles each time (plus jitter), within the deadline.
BACKOFF_SECONDS = 1.0
# Longest wait a 429's Retry-After may impose on one text.
MAX_RETRY_AFTER = 20.0
OFFLINE_MODEL = "offline-writer"


class LLMError(Exception):
    """No usable answer: not configured, down, slow, refusing, or answering garbage. Use the offline writer."""


class LLMNotConfigured(LLMError):
    """No LLM endpoint is configured (the embedded default): texts come from the offline writer."""


class LLMBudgetSpent(LLMError):
    """A daily limit (the user's, all texts', or the spend) is reached: the offline writer writes until tomorrow."""


@dataclass(frozen=True)
class LLMResult(Generic[T]):
    """A usable answer: the raw text, the validated value and the log row of the successful call."""

    text: str
    value: T
    log: GenerationLog
    attempts: int


def llm_configured() -> bool:
    """Whether an LLM endpoint is set up (a base URL for a compatible server, or an API key for OpenAI)."""
    return bool(settings.LLM_BASE_URL or settings.LLM_API_KEY)


def cost_estimate(model: str, tokens_in: int, tokens_out: int) -> Decimal | None:
    """Estimated USD cost of a call from LLM_PRICES (per million tokens), None for a model without a price."""
    price = settings.LLM_PRICES.get(model)
    if price is None:
        # Providers often answer with a dated or prefixed name ("openai/gpt-4o-mini", "gpt-4o-mini-2024-07-18").
        price = next(
            (
                value
                for name, value in sorted(settings.LLM_PRICES.items(), key=lambda item: -len(item[0]))
                if model.rsplit("/", 1)[-1].startswith(name)
            ),
            None,
        )
    if price is None:
        return None
    per_input, per_output = (Decimal(str(value)) for value in price)
    cost = (per_input * tokens_in + per_output * tokens_out) / Decimal(1_000_000)
    return cost.quantize(Decimal("0.000001"))


def llm_breaker_open() -> bool:
    """True while the last LLM_BREAKER_FAILURES calls, all recent, failed: the endpoint is taken as down."""
    needed = settings.LLM_BREAKER_FAILURES
    if needed <= 0:
        return False
    since = timezone.now() - timedelta(seconds=settings.LLM_BREAKER_SECONDS)
    recent = list(
        GenerationLog.objects.exclude(status=GenerationStatus.OFFLINE)
        .filter(created_at__gte=since)
        .order_by("-created_at", "-id")
        .values_list("status", flat=True)[:needed]
    )
    return len(recent) == needed and all(status != GenerationStatus.OK for status in recent)


@lru_cache(maxsize=8)
def _client(base_url: str, api_key: str) -> openai.OpenAI:
    # Retries are ours (with the log and the deadline); the client's own would hide failed attempts.
    return openai.OpenAI(base_url=base_url or None, api_key=api_key or "not-needed", max_retries=0)


def _response_format(schema: dict | None) -> dict | None:
    if schema is None or settings.LLM_JSON_MODE == "off":
        return None
    if settings.LLM_JSON_MODE == "object":
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}}


def _retry_after(error: openai.APIStatusError) -> float | None:
    try:
        value = error.response.headers.get("retry-after")
        return float(value) if value else None
    except (AttributeError, TypeError, ValueError):
        return None


class _Attempts:
    """The bookkeeping of one text's attempts: log rows, deadline, backoff."""

    def __init__(
        self, *, kind: str, subject: str, prompt: Prompt | None, model: str, user_id: int | None = None
    ) -> None:
        self.kind = kind
        self.subject = llm_subject(subject=subject, user_id=user_id)
        self.prompt = prompt
        self.model = model
        self.deadline = time.monotonic() + settings.LLM_DEADLINE
        self.count = 0

    def log(
        self,
        status: str,
        *,
        started: float,
        tokens_in: int = 0,
        tokens_out: int = 0,
        error: str = "",
        model: str | None = None,
    ) -> GenerationLog:
        model = (model or self.model)[:100]
        return GenerationLog.objects.create(
            kind=self.kind,
            subject=self.subject,
            status=status,
            prompt=self.prompt,
            prompt_version=self.prompt.version if self.prompt else None,
            model=model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=int((time.monotonic() - started) * 1000),
            cost=cost_estimate(model, tokens_in, tokens_out) if status != GenerationStatus.OFFLINE else Decimal(0),
            error=error[:2000],
        )

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def pause(self, wanted: float | None = None) -> bool:
        """Wait before the next attempt; False when the deadline leaves no room for one."""
        delay = wanted if wanted is not None else backoff_delay(self.count, base=BACKOFF_SECONDS, jitter=0.25)
        if self.remaining() - delay < 1.0:
            return False
        time.sleep(delay)
        return True


def llm_complete(
    *,
    kind: str,
    system: str,
    user: str,
    subject: str = "",
    prompt: Prompt | None = None,
    validate: Callable[[str], T] | None = None,
    schema: dict | None = None,
    max_tokens: int = 900,
    temperature: float | None = None,
    user_id: int | None = None,
) -> LLMResult[T]:
    """Ask the LLM; retry timeouts, 5xx, 429 and unusable answers within LLM_DEADLINE; raise LLMError after.

    `validate(text)` turns the answer into the value you want and raises ValueError for garbage (which is
    retried); by default the answer is cleaned into Telegram HTML. `schema` asks for JSON (see
    LLM_JSON_MODE). Every call, answered or not, is logged with tokens, latency and the estimated cost.
    `user_id` names the user a text is written for: it counts against their daily limit.
    """
    if not llm_configured():
        raise LLMNotConfigured("no LLM is configured")
    if llm_breaker_open():
        raise LLMError("the LLM failed repeatedly just now; not trying for a while")
    spent = llm_budget_spent(user_id=user_id)
    if spent:
        raise LLMBudgetSpent(spent)
    check: Callable[[str], Any] = validate or clean_text
    client = _client(settings.LLM_BASE_URL, settings.LLM_API_KEY)
    attempts = _Attempts(kind=kind, subject=subject, prompt=prompt, model=settings.LLM_MODEL, user_id=user_id)
    options: dict[str, Any] = {
        "model": settings.LLM_MODEL,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        "max_tokens": max_tokens,
        "temperature": settings.LLM_TEMPERATURE if temperature is None else temperature,
    }
    response_format = _response_format(schema)
    if response_format is not None:
        options["response_format"] = response_format
    last_error = "no attempt made"
    while attempts.count <= settings.LLM_MAX_RETRIES and attempts.remaining() > 1.0:
        attempts.count += 1
        started = time.monotonic()
        wait: float | None = None
        try:
            response = client.chat.completions.create(
                **options, timeout=max(0.1, min(settings.LLM_TIMEOUT, attempts.remaining()))
            )
        except openai.BadRequestError as error:
            last_error = f"400: {error}"
            attempts.log(GenerationStatus.ERROR, started=started, error=last_error)
            if _drop_unsupported(options, str(error)):
                attempts.count -= 1  # our request did not suit this endpoint; that is not the endpoint failing
                continue
            break
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as error:
            last_error = f"{type(error).__name__}: {error}"
            attempts.log(GenerationStatus.ERROR, started=started, error=last_error)
            break  # configuration problems do not get better by asking again
        except openai.RateLimitError as error:
            last_error = f"429: {error}"
            attempts.log(GenerationStatus.ERROR, started=started, error=last_error)
            retry_after = _retry_after(error)
            wait = min(retry_after, MAX_RETRY_AFTER) if retry_after is not None else None
        except (openai.APIError, ValueError) as error:
            # Timeouts, refused connections, 5xx, and bodies that are not even JSON.
            last_error = f"{type(error).__name__}: {error}"
            attempts.log(GenerationStatus.ERROR, started=started, error=last_error)
        else:
            usage = getattr(response, "usage", None)
            tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
            tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
            model = getattr(response, "model", None) or settings.LLM_MODEL
            try:
                choice = response.choices[0]
                text = choice.message.content or ""
                if choice.finish_reason == "length":
                    raise ValueError("the answer was cut off at max_tokens")
                if not text.strip():
                    raise ValueError("empty answer")
                value = check(text)
            except (ValueError, IndexError, AttributeError, TypeError) as error:
                last_error = f"unusable answer: {error}"
                attempts.log(
                    GenerationStatus.INVALID,
                    started=started,
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    error=last_error,
                    model=model,
                )
            else:
                log = attempts.log(
                    GenerationStatus.OK, started=started, tokens_in=tokens_in, tokens_out=tokens_out, model=model
                )
                return LLMResult(text=text, value=value, log=log, attempts=attempts.count)
        if attempts.count > settings.LLM_MAX_RETRIES or not attempts.pause(wait):
            break
    logger.warning("LLM gave no usable answer for %s %s: %s", kind, subject, last_error)
    raise LLMError(last_error)


def _drop_unsupported(options: dict[str, Any], message: str) -> bool:
    """Adapt the request to an endpoint that refused one of our optional parameters; False if none fits."""
    lowered = message.lower()
    if "response_format" in options and ("response_format" in lowered or "json_schema" in lowered):
        if options["response_format"].get("type") == "json_schema":
            options["response_format"] = {"type": "json_object"}
        else:
            del options["response_format"]
        return True
    if "max_tokens" in options and "max_tokens" in lowered and "max_completion_tokens" in lowered:
        options["max_completion_tokens"] = options.pop("max_tokens")
        return True
    if "temperature" in options and "temperature" in lowered:
        del options["temperature"]
        return True
    return False


def offline_log(*, kind: str, subject: str, started: float, reason: str = "") -> GenerationLog:
    """Log a text written by the offline writer (no tokens, no cost), with why the LLM was not used."""
    attempts = _Attempts(kind=kind, subject=subject, prompt=None, model=OFFLINE_MODEL)
    return attempts.log(GenerationStatus.OFFLINE, started=started, error=reason)
