"""Abuse limits shared by every process: a fixed-window counter in the database (bot.RateWindow), the
per-user limit on incoming updates, and replies that wait out Telegram's flood control (README, Abuse)."""

import asyncio
import hashlib
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import Application, BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.models import RateWindow
from horoscopes import markup
from payments.signals import NotificationRefused
from users.models import TelegramUser
from users.services import language_guess

logger = logging.getLogger(__name__)

THROTTLED = _("You are sending messages faster than I can read them. Please wait a few seconds, then try again.")

# Updates a person sends by typing or pressing; payments and membership changes are never limited.
LIMITED_KINDS = frozenset({"message", "edited_message", "callback_query"})
PAYMENT_MESSAGE_KEYS = frozenset({"successful_payment", "refunded_payment"})


def _hit_sql() -> str:
    # One statement whatever the state: a new key, a window still open, or a window to start again. SQLite
    # (3.35+) and PostgreSQL both read the old row in every SET expression, so `hits` sees the old window.
    table, key, started, hits = (
        connection.ops.quote_name(name) for name in (RateWindow._meta.db_table, "key", "started_at", "hits")
    )
    return (
        f"INSERT INTO {table} ({key}, {started}, {hits}) VALUES (%s, %s, 1) ON CONFLICT ({key}) DO UPDATE SET "  # noqa: S608 - our names, values are parameters
        f"{hits} = CASE WHEN {table}.{started} <= %s THEN 1 ELSE {table}.{hits} + 1 END, "
        f"{started} = CASE WHEN {table}.{started} <= %s THEN excluded.{started} ELSE {table}.{started} END "
        f"RETURNING {hits}"
    )


def rate_hit(*, key: str, window: float, now: datetime | None = None) -> int:
    """Count one hit for `key`; how many hits its current window (`window` seconds from the first) has had."""
    now = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    expired = adapt(now - timedelta(seconds=window))
    with connection.cursor() as cursor:
        cursor.execute(_hit_sql(), [key[:80], adapt(now), expired, expired])
        return cursor.fetchone()[0]


def rate_windows_prune(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete windows nobody has hit for a while; the number deleted."""
    deleted, _ = RateWindow.objects.filter(started_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- incoming updates -------------------------------------------------------------------------------------


def update_sender(data: dict) -> tuple[str, int | None]:
    """The kind of a raw update and the id of the person who sent it (None when not a person's action)."""
    for kind in LIMITED_KINDS:
        body = data.get(kind)
        if isinstance(body, dict):
            if kind != "callback_query" and PAYMENT_MESSAGE_KEYS & body.keys():
                return kind, None
            sender = body.get("from")
            user_id = sender.get("id") if isinstance(sender, dict) else None
            valid = isinstance(user_id, int) and not isinstance(user_id, bool) and 0 < user_id < 2**63
            return kind, user_id if valid else None
    return "", None


def update_throttle_hit(data: dict) -> int:
    """0 when the update is not limited; else how many updates its sender sent in the current window."""
    limit = settings.TELEGRAM_USER_RATE_LIMIT
    if limit <= 0:
        return 0
    _kind, user_id = update_sender(data)
    if user_id is None:
        return 0
    return rate_hit(key=_user_key(user_id), window=settings.TELEGRAM_USER_RATE_WINDOW)


def _user_key(user_id: int) -> str:
    # Keyed hash, not the Telegram id: a counter must not outlive /delete_me as a trace of the person.
    digest = hashlib.blake2b(str(user_id).encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12)
    return f"user:{digest.hexdigest()}"


def update_over_limit(hits: int) -> bool:
    """Whether an update with this window count is over the per-user limit."""
    return hits > settings.TELEGRAM_USER_RATE_LIMIT > 0


def update_first_over_limit(hits: int) -> bool:
    """Whether this is the first update over the limit in its window: the one that gets a polite answer."""
    return hits == settings.TELEGRAM_USER_RATE_LIMIT + 1 and settings.TELEGRAM_USER_RATE_LIMIT > 0


def _language_of(telegram_id: int, language_code: object) -> str:
    stored = TelegramUser.objects.filter(telegram_id=telegram_id).values_list("language", flat=True).first()
    return stored or language_guess(language_code if isinstance(language_code, str) else "")


async def throttle_notify(application: Application, data: dict) -> None:
    """Tell a person once per window that they are going too fast (a toast for a button, else a message)."""
    kind, user_id = update_sender(data)
    if user_id is None:
        return
    body = data[kind]
    language = await sync_to_async(_language_of)(user_id, body["from"].get("language_code"))
    with translation.override(language):
        text = str(THROTTLED)
    try:
        if kind == "callback_query" and isinstance(body.get("id"), str):
            await application.bot.answer_callback_query(body["id"], text=text, show_alert=True)
        else:
            chat = body.get("chat")
            if isinstance(chat, dict) and chat.get("type") == "private":
                await application.bot.send_message(user_id, text)
    except TelegramError as exc:
        logger.warning("Could not tell user %s to slow down: %s", user_id, exc)


# --- provider notifications -------------------------------------------------------------------------------

NOTIFICATION_WINDOW = 60


def notification_limit(sender: object, address: str, **kwargs: object) -> None:
    """payments.signals.notification_received: refuse notifications past the per-address or total limit."""
    per_address = rate_hit(key=f"notify:{sender}:{address}", window=NOTIFICATION_WINDOW)
    if per_address > settings.YOOKASSA_NOTIFY_PER_ADDRESS > 0:
        raise NotificationRefused(NOTIFICATION_WINDOW)
    if rate_hit(key=f"notify:{sender}", window=NOTIFICATION_WINDOW) > settings.YOOKASSA_NOTIFY_TOTAL > 0:
        raise NotificationRefused(NOTIFICATION_WINDOW)


# --- outgoing replies -------------------------------------------------------------------------------------


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on python-telegram-bot's settings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # "will become a timedelta": both are read
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RetryAfterLimiter(BaseRateLimiter[None]):
    """Reply-time flood control: on a 429 wait `retry_after` and send again, a bounded number of times.

    Only reacts, never delays up front: replies go out at once, and several processes would not share an
    up-front limiter anyway. A wait longer than `max_wait` (the webhook request would outlive Telegram's
    patience) gives up with the RetryAfter, which the error handler records without a traceback.
    A reply whose HTML Telegram refuses (a staff edit, an LLM slip) is sent once more as plain text: the
    reader loses the bold type, not the message.
    """

    def __init__(self, *, max_retries: int, max_wait: float) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict | list[dict]:
        """Make the request; after a 429, wait as told and make it again."""
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except BadRequest as exc:
                if not markup.refused(exc.message) or not data.get("parse_mode"):
                    raise
                logger.warning("%s: Telegram refused the markup (%s); sending plain text", endpoint, exc.message)
                # `data` is the request the callback sends (args[1]); it is encoded again on each call.
                for key in ("text", "caption"):
                    if isinstance(data.get(key), str):
                        data[key] = markup.to_plain(data[key])
                data.pop("parse_mode")
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                attempt += 1
                if attempt > self.max_retries or wait > self.max_wait:
                    raise
                logger.info("%s hit flood control; sending again in %.0f s", endpoint, wait)
                await asyncio.sleep(wait + 0.1)
