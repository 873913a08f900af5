"""django-q2 entry points of the horoscope feature that end in a message: the daily push and personal horoscopes.

The services decide and record, the sender sends.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django_q.tasks import async_task

from bot.horoscope import texts as t
from bot.horoscope.formatting import daily_html, daily_keyboard, personal_html
from bot.sender import BatchReport, Outgoing, SenderNotConfigured, SendLease, SendStatus, send_batch, send_one
from bot.ui import buttons
from horoscopes.daily import services
from horoscopes.daily.models import DailyHoroscope, PersonalHoroscope, PushDelivery, PushStatus

logger = logging.getLogger(__name__)

PUSH_STATUS = {
    SendStatus.SENT: PushStatus.SENT,
    SendStatus.BLOCKED: PushStatus.BLOCKED,
    SendStatus.FAILED: PushStatus.FAILED,
    SendStatus.UNCERTAIN: PushStatus.UNCERTAIN,
}


@dataclass
class PushReport(BatchReport):
    """What one push run did: the sender's counts, and whether the run was busy, prepared or claimed."""

    busy: bool = False
    prepared: int = 0
    claimed: int = 0


def _push_text(row: PushDelivery, cache: dict[tuple[str, date, str, int], DailyHoroscope]) -> tuple[str, dict]:
    """The HTML and buttons of one user's push: their personal horoscope (Premium) or their sign's."""
    user = row.user
    language = user.language
    sign = user.sign
    if row.personal:
        personal = services.personal_for_push(user_id=user.pk, day=row.local_date, language=language)
        text = personal_html(personal, services.natal_chart_for(user))
    else:
        key = (sign, row.local_date, language, services.daily_offset(user.current_tz, row.local_date))
        if key not in cache:
            cache[key] = services.daily_read(sign=sign, day=row.local_date, language=language, tz=user.current_tz)
        text = daily_html(cache[key])
    with translation.override(language):
        text = f"{text}\n\n{t.PUSH_FOOTER}"
    keyboard = daily_keyboard(sign=sign, day=row.local_date, today=row.local_date, user_sign=sign, language=language)
    return text, buttons.as_json(keyboard)


def push_run(*, budget: float | None = None, now_fn: Callable[[], datetime] = timezone.now) -> PushReport:
    """Send every push due now, within `budget` seconds (PUSH_RUN_SECONDS), at most once per user and day.

    One run at a time per bot (a lease in the database): a second worker returns at once. Premium users'
    personal horoscopes due within the next PUSH_PREPARE_MINUTES are queued for writing first.
    """
    report = PushReport()
    if not settings.TELEGRAM_BOT_TOKEN:
        logger.info("No TELEGRAM_BOT_TOKEN: the daily push is not sent")
        return report
    lease = SendLease()
    if not lease.acquire():
        report.busy = True
        return report
    started = time.monotonic()
    try:
        # A row left "sending" longer than a task may live was handed to Telegram by a worker that was killed.
        services.push_sending_expire(now=now_fn(), older_than=timedelta(seconds=settings.Q_CLUSTER["timeout"]))
        for personal_id in services.push_prepare(now=now_fn()):
            async_task(personal_generate, personal_id, group="personal horoscopes")
            report.prepared += 1
        run = services.push_run_id()
        deadline = started + (budget if budget is not None else settings.PUSH_RUN_SECONDS)
        cache: dict[tuple[str, date, str, int], DailyHoroscope] = {}
        # Most minutes nobody is due: find out before starting an event loop and a Bot for nothing.
        first = services.push_claim(run=run, now=now_fn()) if time.monotonic() < deadline else []
        if not first:
            return report

        def messages() -> Iterator[Outgoing]:
            rows = itertools.chain(first, services.push_rows(run=run, deadline=deadline, now_fn=now_fn))
            for row in rows:
                if not lease.renew():
                    logger.warning("The push lease was lost; stopping this run")
                    return
                report.claimed += 1
                try:
                    text, keyboard = _push_text(row, cache)
                except Exception as error:  # one broken text must not stop everybody else's push
                    logger.exception("Could not prepare the push for user %s", row.user_id)
                    services.push_finish(delivery_id=row.pk, status=PushStatus.FAILED, error=repr(error))
                    report.failed += 1
                    continue
                yield Outgoing(row.user.telegram_id, text, reply_markup=keyboard, ref=(row.pk, row.batch))

        def before_send(message: Outgoing) -> bool:
            delivery_id, token = message.ref
            return services.push_start_sending(delivery_id=delivery_id, token=token, now=now_fn())

        def on_result(message: Outgoing, status: SendStatus, message_id: int | None) -> None:
            delivery_id, _ = message.ref
            error = "" if status == SendStatus.SENT else f"Telegram: {status}"
            if status == SendStatus.UNCERTAIN:
                error = "Telegram got the request but no answer came: maybe delivered, not sent again"
            services.push_finish(
                delivery_id=delivery_id, status=PUSH_STATUS[status], message_id=message_id, error=error
            )

        # At most once: a push Telegram may have received without answering is not sent again (README).
        batch: BatchReport = send_batch(
            messages(), before_send=before_send, on_result=on_result, resend_uncertain=False, shared=True
        )
        report.sent, report.blocked, report.skipped = batch.sent, batch.blocked, batch.skipped
        report.uncertain = batch.uncertain
        report.flood_waits, report.network_retries = batch.flood_waits, batch.network_retries
        report.failed += batch.failed
        logger.info(
            "Daily push: %s sent, %s blocked, %s failed, %s uncertain in %.1f s",
            report.sent,
            report.blocked,
            report.failed,
            report.uncertain,
            batch.elapsed,
        )
    finally:
        lease.release()
        report.elapsed = time.monotonic() - started
    return report


def push_due() -> dict:
    """Every minute: send the daily push to everybody whose local time has come (once per local day)."""
    report = vars(push_run())
    del report["results"]  # the task's result stays small: counts only
    return report


def personal_generate(personal_id: int) -> None:
    """Write a pending personal horoscope ahead of a Premium user's push (and send it if someone asked meanwhile)."""
    personal_deliver(personal_id)


def personal_deliver(personal_id: int) -> SendStatus | None:
    """Write a requested personal horoscope if needed and send it to the chat once; None if not due."""
    horoscope = services.personal_generate(personal_id=personal_id)
    if not services.personal_delivery_claim(personal_id=personal_id):
        return None
    return _send_personal(horoscope)


def _send_personal(horoscope: PersonalHoroscope) -> SendStatus:
    user = horoscope.user
    sign = services.user_sign_known(user)
    text = personal_html(horoscope, services.natal_chart_for(user))
    today = horoscope.date
    keyboard = buttons.as_json(
        daily_keyboard(sign=sign, day=today, today=today, user_sign=sign, language=horoscope.language)
    )
    try:
        return send_one(Outgoing(user.telegram_id, text, reply_markup=keyboard))
    except SenderNotConfigured:
        logger.warning("No bot token: personal horoscope %s not sent", horoscope.pk)
        return SendStatus.FAILED
