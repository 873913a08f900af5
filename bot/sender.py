"""Sending to Telegram from the worker: paced under Telegram's limits, resilient, with progress per recipient.

Tasks call `send_one` (a single message: a reminder, a reading written in the background) or `send_batch`
(many recipients: the daily push, broadcasts). Both are synchronous: each call runs its own event loop
with its own `Bot`, closed before returning, so nothing is shared across event loops. Callbacks
(`before_send`, `on_result`) and the iteration of `messages` run in the caller's thread, where its
database connection lives; only HTTP happens in the event loop. `before_send` runs once the message has
its slot, immediately before the request: a row it marks "sending" is at most one request away from
Telegram, which is what keeps a crash from stranding queued messages.

Pacing: a slot of the per-bot budget (TELEGRAM_SEND_RATE messages per second) is taken when a request is
sent and given back one second after its answer arrived, so however long the request took, Telegram never
sees more than the budget in any one-second window; requests start spaced out (at least 1/(2 x rate)
apart) rather than in bursts. A chat gets its next message one TELEGRAM_SEND_CHAT_INTERVAL after the
previous answer. On 429 every sender of the batch pauses for `retry_after` and the message is sent again;
on 403 the user is marked as having blocked the bot and nothing more goes to that chat; network errors
are retried a bounded number of times with backoff. A request that was written but never answered (a read
timeout, a connection lost while waiting) may have been delivered: with `resend_uncertain=False` (the daily
push) it is reported as UNCERTAIN and not sent again, so nobody gets a message twice.

Long texts are split under Telegram's limits on paragraph boundaries, each part valid HTML; a photo with a
text too long for a caption goes out as the photo, then the text.

Mass senders (the daily push, broadcasts) pass `shared=True`: each registers a `SendShare` row and paces at
the bot's rate divided by the number of live rows, re-read every SHARE_REFRESH seconds. A newcomer waits one
refresh and one window before its first message, so the others have slowed down by then; a sender that died
stops counting when its row expires. Since every sender counts its own budget from answers, the sum stays
under the rate however slow the requests are. `paid=True` sends with allow_paid_broadcast at
TELEGRAM_PAID_BROADCAST_RATE, outside the free budget.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import httpx
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from telegram import Bot, ForceReply, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.models import Lease, SendShare
from config.retry import backoff_delay
from horoscopes import markup
from horoscopes.markup import utf16_len
from users.services import user_mark_blocked

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# Attempts per message after network errors (timeouts, 5xx, refused connections), and after 429s.
NETWORK_ATTEMPTS = 3
FLOOD_ATTEMPTS = 5
BACKOFF_SECONDS = 0.5
# Never wait longer than this on one 429 (Telegram asks for seconds; a bug could ask for hours).
MAX_RETRY_AFTER = 300.0
# Concurrent requests of one batch: enough to fill the budget even with slow answers.
CONCURRENCY = 12
PAID_CONCURRENCY = 64
# Shared budget: how often a sender re-reads how many senders there are, and how long its row lives unrenewed.
SHARE_REFRESH = 0.5
SHARE_TTL = 3.0


class SendStatus(StrEnum):
    """What became of one outgoing message."""

    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    # Written to Telegram, never answered: it may have been delivered (only with resend_uncertain=False).
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Outgoing:
    """One message to one chat: HTML text, an optional photo (bytes to upload or a file_id), Bot API markup.

    `reply_markup` is Bot API JSON, e.g. {"inline_keyboard": [[{"text": "...", "callback_data": "..."}]]};
    it goes under the last part. `ref` is the caller's own reference (e.g. a delivery row id), handed back
    in the callbacks untouched.
    """

    chat_id: int
    text: str = ""
    parse_mode: str | None = "HTML"
    reply_markup: dict | None = None
    photo: bytes | str | None = None
    ref: Any = None
    disable_notification: bool = False


@dataclass(frozen=True)
class SendResult:
    """The outcome of one Outgoing: status, the id of the message carrying the markup, the photo's file_id."""

    status: SendStatus
    message_id: int | None = None
    photo_file_id: str | None = None
    error: str = ""


@dataclass
class BatchReport:
    """Counts for one batch."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0
    uncertain: int = 0
    skipped: int = 0
    flood_waits: int = 0
    network_retries: int = 0
    elapsed: float = 0.0
    results: list[SendResult] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        """Messages that were attempted (skipped ones are not)."""
        return self.sent + self.blocked + self.failed + self.uncertain


class SenderNotConfigured(Exception):
    """There is no bot token (or Telegram refused it): nothing can be sent."""


OnResult = Callable[[Outgoing, SendStatus, int | None], None]
BeforeSend = Callable[[Outgoing], bool]


# --- Public API ------------------------------------------------------------------------------------------


def send_one(message: Outgoing) -> SendStatus:
    """Send one message now (sync, for tasks); the status. A blocked user is marked as such."""
    return send_one_result(message).status


def send_one_result(message: Outgoing) -> SendResult:
    """Send one message now and return the details (message id, the photo's file_id for reuse)."""
    report = send_batch([message], keep_results=True)
    return report.results[0] if report.results else SendResult(SendStatus.FAILED, error="not sent")


def send_batch(
    messages: Iterable[Outgoing],
    *,
    on_result: OnResult | None = None,
    before_send: BeforeSend | None = None,
    rate: float | None = None,
    keep_results: bool = False,
    resend_uncertain: bool = True,
    shared: bool = False,
    paid: bool = False,
) -> BatchReport:
    """Send many messages within Telegram's limits; progress goes to `on_result` as each one finishes.

    `messages` may be a lazy iterator (e.g. claiming rows chunk by chunk); it is read in the caller's
    thread, a few messages ahead of sending. `before_send(message)` runs right before a message goes out,
    in the caller's thread: return False to skip it (e.g. another worker already took that row); it is the
    place to mark a row "sending", so that a worker killed mid-run never sends it twice.
    `on_result(message, status, message_id)` runs once per message that was attempted.
    `resend_uncertain=False`: a request Telegram may have received but never answered is not sent again;
    its status is UNCERTAIN (at most once). By default it is retried like any network error (at least once).
    `shared=True` splits the bot's rate with the other mass senders of every process (see the module's
    docstring); `paid=True` sends with allow_paid_broadcast at TELEGRAM_PAID_BROADCAST_RATE.
    Raises SenderNotConfigured without a usable bot token (messages not yet attempted are left alone).
    """
    config = _BotConfig.from_settings()
    if paid:
        rate = rate or settings.TELEGRAM_PAID_BROADCAST_RATE
    batch = _Batch(
        config=config,
        messages=iter(messages),
        on_result=on_result,
        before_send=before_send,
        rate=rate or settings.TELEGRAM_SEND_RATE,
        chat_interval=settings.TELEGRAM_SEND_CHAT_INTERVAL,
        keep_results=keep_results,
        resend_uncertain=resend_uncertain,
        shared=shared and not paid,
        paid=paid,
    )
    # async_to_sync rather than asyncio.run: the same fresh event loop, but callbacks marked thread-sensitive
    # come back to this thread (and its database connection and transaction) instead of a helper thread.
    return async_to_sync(batch.run)()


# --- Telegram HTML: length, splitting, plain text ----------------------------------------------------------

_SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True)
class _Unit:
    raw: str
    visible: str  # what Telegram shows for it ("" for a tag)
    tag: str = ""  # tag name for tags
    closing: bool = False


def _units(text: str, parse_mode: str | None) -> list[_Unit]:
    """Tags and entities whole, everything else character by character: the places a cut may go."""
    if not parse_mode or parse_mode.upper() != "HTML":
        return [_Unit(raw=char, visible=char) for char in text]
    units = []
    for token in markup.tokenize(text):
        if token.tag or token.raw.startswith("&"):
            units.append(_Unit(raw=token.raw, visible=token.visible, tag=token.tag, closing=token.closing))
        else:
            units.extend(_Unit(raw=char, visible=char) for char in token.raw)
    return units


def visible_length(text: str, parse_mode: str | None = "HTML") -> int:
    """Length of the text as Telegram counts it: after markup, in UTF-16 code units."""
    if not parse_mode or parse_mode.upper() != "HTML":
        return utf16_len(text)
    return markup.visible_length(text)


def html_to_plain(text: str) -> str:
    """The text Telegram would show for this HTML, without the markup."""
    return markup.to_plain(text)


def _boundary_ranks(units: list[_Unit]) -> list[int]:
    """How good a cut right after each unit is: paragraph 4, line 3, sentence 2, word 1, anywhere 0."""
    before, last = [], ""
    for unit in units:
        before.append(last)
        last = unit.visible or last
    after, last = [""] * len(units), ""
    for index in range(len(units) - 1, -1, -1):
        after[index] = last
        last = units[index].visible or last
    ranks = []
    for index, unit in enumerate(units):
        here = unit.visible
        if here == "\n":
            ranks.append(4 if "\n" in (before[index], after[index]) else 3)
        elif here.isspace():
            ranks.append(2 if before[index] and before[index][-1] in _SENTENCE_END else 1)
        else:
            ranks.append(0)
    return ranks


def split_text(text: str, limit: int = TEXT_LIMIT, parse_mode: str | None = "HTML") -> list[str]:
    """Parts of at most `limit` visible characters, cut at paragraphs, else lines, sentences, words.

    With HTML, tags open at a cut are closed at the end of the part and opened again in the next one, so
    every part is valid on its own.
    """
    text = text.strip()
    if visible_length(text, parse_mode) <= limit:
        return [text] if text else []
    units = _units(text, parse_mode)
    ranks = _boundary_ranks(units)
    parts: list[str] = []
    open_tags: list[_Unit] = []
    start = 0
    while start < len(units):
        while start < len(units) and units[start].visible.isspace():
            start += 1
        if start >= len(units):
            break
        count, end, best = 0, start, {}
        while end < len(units) and count + utf16_len(units[end].visible) <= limit:
            count += utf16_len(units[end].visible)
            rank = ranks[end]
            # Prefer the best kind of cut, but not one that leaves a tiny part.
            if count >= limit // 3 or rank == 4:
                best[rank] = end + 1
            end += 1
        if end < len(units) and best:
            end = best[max(best)]
        elif end == start:
            end = start + 1  # a single unit wider than the limit cannot happen with sane limits; move on
        prefix = "".join(unit.raw for unit in open_tags)
        body = units[start:end]
        while body and body[-1].visible.isspace():
            body = body[:-1]
        for unit in units[start:end]:
            if unit.tag and not unit.closing:
                open_tags.append(unit)
            elif unit.tag and unit.closing:
                for position in range(len(open_tags) - 1, -1, -1):
                    if open_tags[position].tag == unit.tag:
                        del open_tags[position]
                        break
        suffix = "".join(f"</{unit.tag}>" for unit in reversed(open_tags))
        part = prefix + "".join(unit.raw for unit in body) + suffix
        if any(unit.visible.strip() for unit in body):
            parts.append(part)
        start = end
    return parts


# --- Leases: one mass sender per bot at a time -------------------------------------------------------------


def _this_host() -> str:
    return socket.gethostname()[:100]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SendLease:
    """A named, expiring lock in the database, held by one sender at a time across processes and hosts.

    Renew it while working (renewal writes at most every third of the time to live); it expires by itself
    when the holder dies. A holder on this same host whose process is gone is taken over at once, so a
    restarted worker does not wait for the expiry.
    """

    def __init__(self, name: str = "telegram-mass-send", *, ttl: float = 30.0) -> None:
        self.name = name
        self.ttl = ttl
        self.holder = f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._renewed_at = 0.0

    def _expiry(self) -> Any:
        return timezone.now() + timedelta(seconds=self.ttl)

    def acquire(self) -> bool:
        """Take the lease if it is free, expired, or held by a dead process on this host."""
        try:
            with transaction.atomic():
                Lease.objects.create(name=self.name, holder=self.holder, expires_at=self._expiry())
        except IntegrityError:
            taken = (
                Lease.objects.filter(name=self.name)
                .filter(Q(expires_at__lte=timezone.now()) | Q(holder=self.holder))
                .update(holder=self.holder, expires_at=self._expiry())
            )
            if not taken:
                current = Lease.objects.filter(name=self.name).values_list("holder", flat=True).first()
                if current and self._holder_dead(current):
                    taken = Lease.objects.filter(name=self.name, holder=current).update(
                        holder=self.holder, expires_at=self._expiry()
                    )
            if not taken:
                return False
        self._renewed_at = time.monotonic()
        return True

    @staticmethod
    def _holder_dead(holder: str) -> bool:
        host, _, rest = holder.partition(":")
        pid_text = rest.partition(":")[0]
        if host != _this_host() or not pid_text.isdigit():
            return False
        pid = int(pid_text)
        return pid != os.getpid() and not _pid_alive(pid)

    def renew(self, *, force: bool = False) -> bool:
        """Extend the lease; False when it was lost (it expired and someone else took it)."""
        if not force and time.monotonic() - self._renewed_at < self.ttl / 3:
            return True
        kept = Lease.objects.filter(name=self.name, holder=self.holder).update(expires_at=self._expiry())
        if kept:
            self._renewed_at = time.monotonic()
        return bool(kept)

    def release(self) -> None:
        """Give the lease back (only if it is still ours)."""
        Lease.objects.filter(name=self.name, holder=self.holder).delete()


# --- Shares: one bot-wide budget split between the mass senders of every process --------------------------


def share_join(holder: str) -> int:
    """Register a mass sender; how many are at work now (this one included). Expired rows are removed."""
    now = timezone.now()
    SendShare.objects.filter(expires_at__lte=now).delete()
    SendShare.objects.update_or_create(holder=holder, defaults={"expires_at": now + timedelta(seconds=SHARE_TTL)})
    return SendShare.objects.filter(expires_at__gt=now).count()


def share_renew(holder: str) -> int:
    """Keep this sender's row alive; how many senders are at work."""
    now = timezone.now()
    expiry = now + timedelta(seconds=SHARE_TTL)
    if not SendShare.objects.filter(holder=holder).update(expires_at=expiry):
        SendShare.objects.get_or_create(holder=holder, defaults={"expires_at": expiry})
    return max(1, SendShare.objects.filter(expires_at__gt=now).count())


def share_leave(holder: str, *, window: float = 1.0) -> None:
    """This sender is done: its row lives one more window (its last messages still count), then the others
    get its part."""
    SendShare.objects.filter(holder=holder).update(expires_at=timezone.now() + timedelta(seconds=window))


# --- The batch ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _BotConfig:
    token: str
    base_url: str
    base_file_url: str

    @classmethod
    def from_settings(cls) -> _BotConfig:
        if not settings.TELEGRAM_BOT_TOKEN:
            raise SenderNotConfigured("TELEGRAM_BOT_TOKEN is not set")
        return cls(settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_BASE_URL, settings.TELEGRAM_API_FILE_URL)


def _next_or_none(messages: Iterator[Outgoing]) -> Outgoing | None:
    return next(messages, None)


class _Pacer:
    """Per-bot and per-chat budgets, counted from answers so that request latency can never add a burst."""

    def __init__(self, rate: float, chat_interval: float, window: float = 1.0) -> None:
        self.rate = rate
        self.slots = max(1, int(rate * window))
        self.window = window
        self.chat_interval = chat_interval
        self.in_flight = 0
        self.answered: deque[float] = deque()
        self.chat_free_at: dict[int, float] = {}
        self.chat_busy: set[int] = set()
        self.paused_until = 0.0
        # Requests start spaced out (at most twice the budget's pace), never in bursts: bursts add nothing
        # to the rate but leave several messages marked "sending" and not yet sent at any one moment, which
        # is what a crash would strand. Half the even interval keeps the window, not the spacing, in charge.
        self.spacing = window / self.slots / 2
        self.next_start = 0.0

    def _wait(self, chat_id: int, now: float) -> float:
        """Seconds to wait before this chat may get a request (0: go)."""
        if now < self.paused_until:
            return self.paused_until - now
        if now < self.next_start:
            return self.next_start - now
        if chat_id in self.chat_busy:
            return 0.01
        free_at = self.chat_free_at.get(chat_id, 0.0)
        if now < free_at:
            return free_at - now
        while self.answered and self.answered[0] <= now - self.window:
            self.answered.popleft()
        if self.in_flight + len(self.answered) < self.slots:
            return 0.0
        return self.answered[0] + self.window - now if self.answered else 0.005

    async def acquire(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        while True:
            wait = self._wait(chat_id, loop.time())
            if wait <= 0:
                self.in_flight += 1
                self.chat_busy.add(chat_id)
                self.next_start = loop.time() + self.spacing
                return
            await asyncio.sleep(max(wait, 0.001))

    def release(self, chat_id: int, *, sent: bool = True) -> None:
        """Give the slot back; a request that went out keeps counting for one window after its answer."""
        now = asyncio.get_running_loop().time()
        self.in_flight -= 1
        self.chat_busy.discard(chat_id)
        if sent:
            self.answered.append(now)
            self.chat_free_at[chat_id] = now + self.chat_interval

    def share(self, senders: int) -> None:
        """Use 1/senders of the bot's rate (the other mass senders take the rest)."""
        self.slots = max(1, int(self.rate * self.window / max(1, senders)))
        self.spacing = self.window / self.slots / 2

    def pause(self, seconds: float) -> None:
        now = asyncio.get_running_loop().time()
        self.paused_until = max(self.paused_until, now + seconds)


@dataclass(frozen=True)
class _Part:
    method: str  # "text" or "photo"
    text: str
    parse_mode: str | None
    reply_markup: Any  # the python-telegram-bot object
    photo: bytes | str | None = None


def _plan(message: Outgoing) -> list[_Part]:
    """The messages one Outgoing becomes: a photo (with the text as caption when it fits), then text parts."""
    text = (message.text or "").strip()
    markup = _markup(message.reply_markup)
    parts: list[_Part] = []
    if message.photo is not None:
        if visible_length(text, message.parse_mode) <= CAPTION_LIMIT:
            return [_Part("photo", text, message.parse_mode, markup, message.photo)]
        parts.append(_Part("photo", "", None, None, message.photo))
    chunks = split_text(text, TEXT_LIMIT, message.parse_mode)
    for index, chunk in enumerate(chunks):
        parts.append(_Part("text", chunk, message.parse_mode, markup if index == len(chunks) - 1 else None))
    if not parts:
        raise ValueError("an outgoing message needs a text or a photo")
    return parts


def _markup(data: dict | None) -> Any:
    """Bot API reply markup JSON as the python-telegram-bot object."""
    if not data:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if data.get("remove_keyboard"):
        return ReplyKeyboardRemove(selective=data.get("selective"))
    if data.get("force_reply"):
        return ForceReply(selective=data.get("selective"), input_field_placeholder=data.get("input_field_placeholder"))
    raise ValueError(f"unknown reply markup: {sorted(data)}")


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


# httpx errors raised after the whole request was written: Telegram may have acted on it.
_ANSWER_LOST = (httpx.ReadTimeout, httpx.ReadError)


def maybe_delivered(error: NetworkError) -> bool:
    """True when the request reached Telegram and only the answer was lost (a resend could duplicate it)."""
    return isinstance(error.__cause__, _ANSWER_LOST)


class _Batch:
    """One run of send_batch: a feeder reading `messages` and workers sending under the pacer."""

    def __init__(
        self,
        *,
        config: _BotConfig,
        messages: Iterator[Outgoing],
        on_result: OnResult | None,
        before_send: BeforeSend | None,
        rate: float,
        chat_interval: float,
        keep_results: bool,
        resend_uncertain: bool = True,
        shared: bool = False,
        paid: bool = False,
    ) -> None:
        self.config = config
        self.shared = shared
        self.paid = paid
        self.holder = f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.resend_uncertain = resend_uncertain
        self.messages = messages
        self.on_result = sync_to_async(on_result, thread_sensitive=True) if on_result else None
        self.before_send = sync_to_async(before_send, thread_sensitive=True) if before_send else None
        self.next_message = sync_to_async(_next_or_none, thread_sensitive=True)
        self.mark_blocked = sync_to_async(user_mark_blocked, thread_sensitive=True)
        self.pacer = _Pacer(rate, chat_interval)
        self.concurrency = max(1, min(PAID_CONCURRENCY if paid else CONCURRENCY, int(rate)))
        self.keep_results = keep_results
        self.report = BatchReport()
        self.blocked_chats: set[int] = set()
        self.failure: BaseException | None = None

    async def run(self) -> BatchReport:
        started = time.monotonic()
        request = HTTPXRequest(
            connection_pool_size=self.concurrency + 2,
            connect_timeout=10.0,
            read_timeout=settings.TELEGRAM_SEND_READ_TIMEOUT,
            write_timeout=20.0,
            pool_timeout=20.0,
            media_write_timeout=60.0,
        )
        # The Bot builds a second client for getUpdates; give it one we close as well.
        updates_request = HTTPXRequest(connection_pool_size=1)
        bot = Bot(
            self.config.token,
            base_url=self.config.base_url,
            base_file_url=self.config.base_file_url,
            request=request,
            get_updates_request=updates_request,
        )
        queue: asyncio.Queue[Outgoing | None] = asyncio.Queue(maxsize=self.concurrency)
        refresher: asyncio.Task | None = None
        if self.shared:
            senders = await sync_to_async(share_join, thread_sensitive=True)(self.holder)
            self.pacer.share(senders)
            if senders > 1:
                # The others slow down on their next refresh; their last window must pass before we start.
                await asyncio.sleep(SHARE_REFRESH + self.pacer.window)
            refresher = asyncio.create_task(self._refresh_share())
        workers = [asyncio.create_task(self._work(bot, queue)) for _ in range(self.concurrency)]
        try:
            await self._feed(queue)
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers, return_exceptions=True)
            if refresher is not None:
                refresher.cancel()
                await asyncio.gather(refresher, return_exceptions=True)
                await sync_to_async(share_leave, thread_sensitive=True)(self.holder, window=self.pacer.window)
            await request.shutdown()
            await updates_request.shutdown()
        self.report.elapsed = time.monotonic() - started
        if self.failure is not None:
            raise self.failure
        return self.report

    async def _refresh_share(self) -> None:
        renew = sync_to_async(share_renew, thread_sensitive=True)
        while True:
            await asyncio.sleep(SHARE_REFRESH)
            try:
                self.pacer.share(await renew(self.holder))
            except Exception:  # a database hiccup: keep the last share, try again next time
                logger.warning("Could not renew the sender's share of the rate", exc_info=True)

    async def _feed(self, queue: asyncio.Queue[Outgoing | None]) -> None:
        while self.failure is None:
            try:
                message = await self.next_message(self.messages)
            except BaseException as error:
                self.failure = error
                return
            if message is None:
                return
            await queue.put(message)

    async def _work(self, bot: Bot, queue: asyncio.Queue[Outgoing | None]) -> None:
        while True:
            message = await queue.get()
            if message is None:
                return
            if self.failure is not None:
                continue
            try:
                result = await self._deliver(bot, message)
                if result is None:
                    self.report.skipped += 1
                    continue
                self._count(result)
                if self.on_result is not None:
                    await self.on_result(message, result.status, result.message_id)
            except BaseException as error:
                # A callback or the token failed: stop feeding; what was not attempted stays with the caller.
                if self.failure is None:
                    self.failure = error
                if isinstance(error, asyncio.CancelledError):
                    raise

    def _count(self, result: SendResult) -> None:
        if result.status == SendStatus.SENT:
            self.report.sent += 1
        elif result.status == SendStatus.BLOCKED:
            self.report.blocked += 1
        elif result.status == SendStatus.UNCERTAIN:
            self.report.uncertain += 1
        else:
            self.report.failed += 1
        if self.keep_results:
            self.report.results.append(result)

    async def _deliver(self, bot: Bot, message: Outgoing) -> SendResult | None:
        """Send every part of one Outgoing; None when before_send said no."""
        if message.chat_id in self.blocked_chats:
            return SendResult(SendStatus.BLOCKED, error="blocked earlier in this batch")
        try:
            parts = _plan(message)
        except (ValueError, TypeError, KeyError) as error:
            return SendResult(SendStatus.FAILED, error=str(error))
        last_id: int | None = None
        file_id: str | None = None
        for index, part in enumerate(parts):
            result = await self._send_part(bot, message, part, gate=index == 0)
            if result is None:
                return None
            if result.status != SendStatus.SENT:
                return SendResult(result.status, last_id, file_id, result.error)
            last_id = result.message_id
            file_id = file_id or result.photo_file_id
        return SendResult(SendStatus.SENT, last_id, file_id)

    async def _send_part(self, bot: Bot, message: Outgoing, part: _Part, *, gate: bool) -> SendResult | None:
        """One Bot API call with the retry rules: 429 waits, 403 blocks, network errors back off.

        With `gate`, before_send runs once the request has its slot, just before it goes out (None if it
        says no): a row marked "sending" is then at most one round trip away from Telegram, never queued.
        """
        network_failures = flood_waits = 0
        chat_id = message.chat_id
        while True:
            await self.pacer.acquire(chat_id)
            if chat_id in self.blocked_chats:
                # Another message to this chat, sent meanwhile, found the bot blocked.
                self.pacer.release(chat_id, sent=False)
                return SendResult(SendStatus.BLOCKED, error="blocked earlier in this batch")
            if gate:
                gate = False
                try:
                    allowed = self.before_send is None or await self.before_send(message)
                except BaseException:
                    self.pacer.release(chat_id, sent=False)
                    raise
                if not allowed:
                    self.pacer.release(chat_id, sent=False)
                    return None
            try:
                sent = await self._call(bot, message, part, paid=self.paid)
            except RetryAfter as error:
                self.pacer.release(chat_id)
                self.pacer.pause(_retry_seconds(error))
                self.report.flood_waits += 1
                flood_waits += 1
                if flood_waits >= FLOOD_ATTEMPTS:
                    return SendResult(SendStatus.FAILED, error=f"flood control: {error}")
                continue
            except Forbidden as error:
                self.pacer.release(chat_id)
                self.blocked_chats.add(chat_id)
                await self.mark_blocked(telegram_id=chat_id, blocked=True)
                return SendResult(SendStatus.BLOCKED, error=str(error))
            except BadRequest as error:
                self.pacer.release(chat_id)
                if markup.refused(str(error)) and part.parse_mode:
                    # Broken markup must not cost the user their message: send it as plain text instead.
                    logger.warning("Telegram refused the markup of a message (%s); sending plain text", error)
                    part = _Part(part.method, html_to_plain(part.text), None, part.reply_markup, part.photo)
                    continue
                return SendResult(SendStatus.FAILED, error=str(error))
            except InvalidToken as error:
                self.pacer.release(chat_id)
                raise SenderNotConfigured(f"Telegram refused the bot token: {error}") from error
            except NetworkError as error:
                self.pacer.release(chat_id)
                if not self.resend_uncertain and maybe_delivered(error):
                    return SendResult(SendStatus.UNCERTAIN, error=f"no answer: {error!r}")
                network_failures += 1
                if network_failures >= NETWORK_ATTEMPTS:
                    return SendResult(SendStatus.FAILED, error=f"network: {error}")
                self.report.network_retries += 1
                await asyncio.sleep(backoff_delay(network_failures, base=BACKOFF_SECONDS))
                continue
            except TelegramError as error:
                self.pacer.release(chat_id)
                return SendResult(SendStatus.FAILED, error=str(error))
            except BaseException:
                self.pacer.release(chat_id)
                raise
            self.pacer.release(chat_id)
            file_id = sent.photo[-1].file_id if part.method == "photo" and sent.photo else None
            return SendResult(SendStatus.SENT, sent.message_id, file_id)

    @staticmethod
    async def _call(bot: Bot, message: Outgoing, part: _Part, *, paid: bool = False) -> Any:
        markup = part.reply_markup
        extra: dict[str, Any] = {"allow_paid_broadcast": True} if paid else {}
        if part.method == "photo" and part.photo is not None:
            return await bot.send_photo(
                message.chat_id,
                part.photo,
                caption=part.text or None,
                parse_mode=part.parse_mode if part.text else None,
                reply_markup=markup,
                disable_notification=message.disable_notification,
                **extra,
            )
        return await bot.send_message(
            message.chat_id,
            part.text,
            parse_mode=part.parse_mode,
            reply_markup=markup,
            disable_notification=message.disable_notification,
            **extra,
        )
