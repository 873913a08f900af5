"""Long polling for development: the same claim-and-process path as the webhook."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import TypeVar

from asgiref.sync import sync_to_async
from telegram.error import Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.application import ALLOWED_UPDATES
from bot.processing import Outcome, UpdateNotRecorded, connections_checkup, update_process
from config.retry import backoff_delay

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
T = TypeVar("T")


async def poll(
    application: Application, *, stop: asyncio.Event, timeout: int = 30, max_batches: int | None = None
) -> int:
    """Fetch updates with getUpdates and process each until `stop` is set; the number processed."""
    offset: int | None = None
    failures = 0
    processed = batches = 0
    while not stop.is_set() and (max_batches is None or batches < max_batches):
        try:
            updates = await _unless_stopped(
                stop,
                application.bot.get_updates(
                    offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES, read_timeout=timeout + 10
                ),
            )
        except _Stopped:
            break
        except RetryAfter as exc:
            await _sleep(stop, float(exc.retry_after if isinstance(exc.retry_after, int | float) else 5))
            continue
        except TimedOut:
            continue
        except Conflict:
            raise
        except NetworkError as exc:
            failures += 1
            delay = backoff_delay(failures, base=1.0, cap=MAX_BACKOFF)
            logger.warning("getUpdates failed (%s); retrying in %.0f s", exc, delay)
            await _sleep(stop, delay)
            continue
        failures = 0
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


class _Stopped(Exception):
    """`stop` was set while waiting."""


async def _unless_stopped(stop: asyncio.Event, awaitable: Awaitable[T]) -> T:
    """Await `awaitable`, or cancel it and raise _Stopped as soon as `stop` is set.

    A long poll otherwise holds SIGTERM for up to `timeout` seconds. Updates of a cancelled call were not
    confirmed (the offset did not move), so Telegram hands them out again.
    """
    work = asyncio.ensure_future(awaitable)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if work.done():
        return work.result()
    work.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await work
    raise _Stopped


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
