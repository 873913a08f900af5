"""Long polling for development: the same claim-and-process path as the webhook."""

import asyncio
import contextlib
import logging

from asgiref.sync import sync_to_async
from telegram.error import Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.application import ALLOWED_UPDATES
from bot.processing import Outcome, UpdateNotRecorded, connections_checkup, update_process

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0


async def poll(
    application: Application, *, stop: asyncio.Event, timeout: int = 30, max_batches: int | None = None
) -> int:
    """Fetch updates with getUpdates and process each until `stop` is set; the number processed."""
    offset: int | None = None
    backoff = 1.0
    processed = batches = 0
    while not stop.is_set() and (max_batches is None or batches < max_batches):
        try:
            updates = await application.bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES, read_timeout=timeout + 10
            )
        except RetryAfter as exc:
            await _sleep(stop, float(exc.retry_after if isinstance(exc.retry_after, int | float) else 5))
            continue
        except TimedOut:
            continue
        except Conflict:
            raise
        except NetworkError as exc:
            logger.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
            await _sleep(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        backoff = 1.0
        batches += 1
        for update in updates:
            try:
                # The raw form, so that polling takes exactly the webhook's path (and stores the same payload).
                result = await update_process(application, update.to_dict())
            except UpdateNotRecorded:
                # Leave the offset where it is: Telegram gives the same updates again next time.
                logger.exception("Could not record update %s; will fetch it again", update.update_id)
                await _sleep(stop, 5)
                break
            if result.outcome == Outcome.BUSY:
                # Another process is on it: fetch it again until it is done or that process's lease runs out.
                await _sleep(stop, min(result.retry_after, 5))
                break
            offset = update.update_id + 1
            processed += 1
        await sync_to_async(connections_checkup)()
    if offset is not None:
        # Confirm the last batch so a restart does not fetch it again (claims would skip it anyway).
        try:
            await application.bot.get_updates(offset=offset, timeout=0)
        except Exception:
            logger.debug("Could not confirm the last offset", exc_info=True)
    return processed


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
