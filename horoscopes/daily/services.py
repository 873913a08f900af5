"""Writes of the daily-horoscope feature: daily texts, personal horoscopes, prompts, the daily push.

Texts come from the LLM when one is configured and answers well, otherwise from the offline writer; both
work from the same computed facts. Nothing here waits for an LLM on behalf of a reader: handlers read,
and fall back to the offline writer at once when a text is missing.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from functools import partial
from string import Template
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from horoscopes.astro import compute_chart, sky_of_day, transits
from horoscopes.astro.chart import Chart
from horoscopes.astro.constants import SIGNS
from horoscopes.astro.sky import SkyOfDay, offset_zone_name
from horoscopes.astro.transits import Transit
from horoscopes.daily.models import (
    SECTIONS,
    DailyHoroscope,
    PersonalHoroscope,
    PersonalStatus,
    PushDelivery,
    PushStatus,
    TextSource,
)
from horoscopes.llm import LLMError, llm_complete, llm_configured, offline_log, sections_parse
from horoscopes.llm.models import GenerationLog, Prompt
from horoscopes.llm.prompts import DAILY, PERSONAL, prompt_required
from horoscopes.natal.services import natal_compute
from horoscopes.writer import daily_facts, personal_facts, write_daily, write_personal
from horoscopes.writer.facts import natal_summary
from horoscopes.writer.grammar import date_text, sign_name
from payments.selectors import user_is_premium
from users.birth import sun_sign_of_birth
from users.models import Language, TelegramUser
from users.selectors import user_local_date, user_signs_uncertain, zone_or_none

logger = logging.getLogger(__name__)

SECTIONS_SCHEMA = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in SECTIONS},
    "required": list(SECTIONS),
    "additionalProperties": False,
}
LANGUAGES = tuple(Language.values)
# The earliest and the latest clocks on Earth: every local date in use lies between them.
_EARLIEST_ZONE = ZoneInfo("Etc/GMT+12")
_LATEST_ZONE = ZoneInfo("Pacific/Kiritimati")
# A personal horoscope still "being written" after this long is written again (its task died).
PERSONAL_STALE_AFTER = timedelta(minutes=5)
# A Premium user's push waits this long for their personal text, then goes with one written offline.
PERSONAL_WAIT = timedelta(minutes=10)
PUSH_KIND = "daily"
PUSH_CHUNK = 100


@dataclass(frozen=True)
class Written:
    """Sections of a horoscope and where they came from."""

    sections: dict[str, str]
    source: str
    log: GenerationLog | None


def daily_offset(tz: str, day: date) -> int:
    """The offset group of readers in zone `tz` on their local `day`: the zone's UTC offset at local noon, minutes.

    An unknown or empty zone reads the reference zone's (HOROSCOPE_SKY_TZ) texts.
    """
    zone = zone_or_none(tz) or ZoneInfo(settings.HOROSCOPE_SKY_TZ)
    offset = datetime.combine(day, dt_time(12), tzinfo=zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def daily_offsets_in_use(day: date) -> list[int]:
    """The offset groups to write for a date: the reference zone's and those of every reader who may ask."""
    zones = (
        TelegramUser.objects.filter(blocked_at__isnull=True).values_list("current_tz", flat=True).distinct().order_by()
    )
    return sorted({daily_offset(settings.HOROSCOPE_SKY_TZ, day)} | {daily_offset(tz, day) for tz in zones})


def sky_for(day: date, utc_offset: int | None = None) -> SkyOfDay:
    """The sky behind the general daily texts of one offset group (the reference zone's when None)."""
    offset = daily_offset(settings.HOROSCOPE_SKY_TZ, day) if utc_offset is None else utc_offset
    return sky_of_day(day, offset_zone_name(offset))


def _fill(template: str, **values: str) -> str:
    # safe_substitute: a placeholder staff mistyped stays visible instead of breaking generation.
    return Template(template).safe_substitute(**values)


def _llm_sections(
    *, kind: str, subject: str, prompt: Prompt, user: str, language: str, user_id: int | None = None
) -> Written:
    result = llm_complete(
        kind=kind,
        system=prompt.system,
        user=user,
        subject=subject,
        prompt=prompt,
        validate=partial(sections_parse, keys=SECTIONS, language=language),
        schema=SECTIONS_SCHEMA,
        max_tokens=1200,
        user_id=user_id,
    )
    return Written(result.value, TextSource.LLM, result.log)


def _offline(kind: str, subject: str, reason: str, write: partial) -> Written:
    started = time.monotonic()
    sections = write()
    return Written(
        sections, TextSource.OFFLINE, offline_log(kind=kind, subject=subject, started=started, reason=reason)
    )


# --- Daily horoscopes ------------------------------------------------------------------------------------


def daily_write(*, sign: str, day: date, language: str, use_llm: bool = True, utc_offset: int | None = None) -> Written:
    """Write (not store) the horoscope of a sign for a local date at one UTC offset (the reference zone's when
    None): the LLM when configured and usable, else offline."""
    if sign not in SIGNS or language not in LANGUAGES:
        raise ValueError(f"unknown sign or language: {sign!r}, {language!r}")
    sky = sky_for(day, utc_offset)
    subject = f"{sign} {day.isoformat()} {sky.tz} {language}"
    reason = "no LLM configured" if not llm_configured() else "not asked to use the LLM"
    if use_llm and llm_configured():
        prompt = prompt_required(DAILY, language)
        user = _fill(
            prompt.template,
            sign=sign_name(sign, language),
            date=date_text(day, language),
            tz=sky.tz,
            facts=daily_facts(sign, sky, language),
        )
        try:
            return _llm_sections(kind="daily", subject=subject, prompt=prompt, user=user, language=language)
        except LLMError as error:
            reason = f"LLM failed: {error}"
    return _offline("daily", subject, reason, partial(write_daily, sign, sky, language))


def _daily_store(
    *, sign: str, day: date, language: str, utc_offset: int, written: Written, replace: bool
) -> DailyHoroscope:
    values = {**written.sections, "source": written.source, "generation": written.log}
    key = {"sign": sign, "date": day, "language": language, "utc_offset": utc_offset}
    try:
        with transaction.atomic():
            return DailyHoroscope.objects.create(**key, **values)
    except IntegrityError:
        pass
    existing = DailyHoroscope.objects.get(**key)
    if replace:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
    return existing


def daily_generate(
    *, sign: str, day: date, language: str, force: bool = False, utc_offset: int | None = None
) -> DailyHoroscope:
    """Make sure the horoscope of a sign, date, language and offset group is stored (the reference zone's when
    None); `force` writes it again. Idempotent.

    Without force an existing text is kept, except one the offline writer made while an LLM is configured
    for a date that has not begun anywhere on Earth yet (nobody can have read it as "today").
    """
    offset = daily_offset(settings.HOROSCOPE_SKY_TZ, day) if utc_offset is None else utc_offset
    existing = DailyHoroscope.objects.filter(sign=sign, date=day, language=language, utc_offset=offset).first()
    if existing is not None and not force and not _upgradable(existing):
        return existing
    written = daily_write(sign=sign, day=day, language=language, utc_offset=offset)
    if existing is not None and not force and written.source != TextSource.LLM:
        return existing  # the LLM is still not answering: keep what readers may already have seen
    return _daily_store(sign=sign, day=day, language=language, utc_offset=offset, written=written, replace=True)


def _upgradable(horoscope: DailyHoroscope, now: datetime | None = None) -> bool:
    if horoscope.source != TextSource.OFFLINE or not llm_configured():
        return False
    latest_today = (now or timezone.now()).astimezone(_LATEST_ZONE).date()
    return horoscope.date > latest_today


def daily_read(*, sign: str, day: date, language: str, tz: str = "") -> DailyHoroscope:
    """The stored horoscope for a reader in zone `tz` on their local `day`, or one written offline at once and
    stored (never waits for an LLM). Without a zone: the reference zone's."""
    offset = daily_offset(tz, day)
    found = DailyHoroscope.objects.filter(sign=sign, date=day, language=language, utc_offset=offset).first()
    if found is not None:
        return found
    logger.warning("Daily horoscope %s %s %s %s was missing: written offline on read", sign, day, offset, language)
    written = daily_write(sign=sign, day=day, language=language, use_llm=False, utc_offset=offset)
    return _daily_store(sign=sign, day=day, language=language, utc_offset=offset, written=written, replace=False)


def daily_dates_ahead(now: datetime | None = None, *, hours: int = 12) -> list[date]:
    """Every date that is "today" or "tomorrow" somewhere on Earth from now until `hours` from now."""
    now = now or timezone.now()
    first = now.astimezone(_EARLIEST_ZONE).date()
    last = (now + timedelta(hours=hours)).astimezone(_LATEST_ZONE).date() + timedelta(days=1)
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def daily_missing(*, days: list[date]) -> list[tuple[str, date, str, int]]:
    """(sign, date, language, offset group) of the texts still to write for these dates: for every offset group
    with readers (missing, or offline and upgradable)."""
    have = {
        (h.sign, h.date, h.language, h.utc_offset): h
        for h in DailyHoroscope.objects.filter(date__in=days).only("sign", "date", "language", "utc_offset", "source")
    }
    wanted = []
    for day in days:
        for offset in daily_offsets_in_use(day):
            for language in LANGUAGES:
                for sign in SIGNS:
                    found = have.get((sign, day, language, offset))
                    if found is None or _upgradable(found):
                        wanted.append((sign, day, language, offset))
    return wanted


def daily_edit(*, horoscope: DailyHoroscope) -> DailyHoroscope:
    """Save staff's edit of a daily horoscope (marked as edited by staff)."""
    horoscope.source = TextSource.STAFF
    horoscope.save()
    return horoscope


def horoscope_sign_remember(*, user_id: int, sign: str) -> TelegramUser:
    """Remember the sign a user chose by button (a birth date, when known, decides the sign instead)."""
    if sign not in SIGNS:
        raise ValueError(f"unknown sign {sign!r}")
    user = TelegramUser.objects.get(pk=user_id)
    changed = []
    if user.birth_date is None and user.sign != sign:
        user.sign = sign
        changed.append("sign")
    if user.state.startswith("horoscope:"):
        user.state, user.state_data = "", {}
        changed += ["state", "state_data"]
    if changed:
        user.save(update_fields=changed)
    return user


# --- Prompts ---------------------------------------------------------------------------------------------


@transaction.atomic
def prompt_save_version(*, key: str, language: str, system: str, template: str, note: str = "", user=None) -> Prompt:
    """Store an edited prompt as a new version (the latest version is the one in use); earlier ones stay."""
    latest = Prompt.objects.select_for_update().filter(key=key, language=language).order_by("-version").first()
    if latest is not None and latest.system == system and latest.template == template:
        return latest
    return Prompt.objects.create(
        key=key,
        language=language,
        version=(latest.version + 1) if latest else 1,
        system=system,
        template=template,
        note=note[:200],
        created_by=user,
    )


# --- Personal horoscopes ---------------------------------------------------------------------------------


def natal_chart_for(user: TelegramUser) -> Chart | None:
    """The user's natal chart as far as their birth data allows (no houses without time and place)."""
    if user.birth_date is None:
        return None
    if user.birth_utc is not None and user.birth_lat is not None and user.birth_lon is not None:
        return natal_compute(user)
    # Only the date: positions at noon UTC are right for every planet but the Moon (within about 6°).
    noon = datetime(user.birth_date.year, user.birth_date.month, user.birth_date.day, 12, tzinfo=UTC)
    return compute_chart(noon, 0.0, 0.0, with_houses=False)


def user_sign_known(user: TelegramUser) -> str:
    """The user's sign: the one stored, else the Sun sign of their birth date, else ""."""
    if user.sign:
        return user.sign
    return sun_sign_of_birth(user.birth_date, user.birth_utc) if user.birth_date else ""


def personal_request(
    *, user_id: int, day: date, language: str, deliver: bool, now: datetime | None = None
) -> tuple[PersonalHoroscope, bool]:
    """Ask for a user's personal horoscope; True when a generation task must be queued.

    `deliver` means someone waits in the chat: it is sent as soon as it is written (once).
    """
    now = now or timezone.now()
    with transaction.atomic():
        horoscope, created = PersonalHoroscope.objects.select_for_update().get_or_create(
            user_id=user_id, date=day, language=language, defaults={"deliver": deliver, "requested_at": now}
        )
        if created:
            return horoscope, True
        changed = []
        if deliver and not horoscope.deliver and horoscope.status == PersonalStatus.PENDING:
            horoscope.deliver = True
            changed.append("deliver")
        restart = horoscope.status == PersonalStatus.PENDING and now - horoscope.requested_at > PERSONAL_STALE_AFTER
        if restart:
            horoscope.requested_at = now
            changed.append("requested_at")
        if changed:
            horoscope.save(update_fields=changed)
        return horoscope, restart


def personal_generate(*, personal_id: int, use_llm: bool = True) -> PersonalHoroscope:
    """Write a pending personal horoscope from the day's transits to the user's chart; idempotent."""
    horoscope = PersonalHoroscope.objects.select_related("user").get(pk=personal_id)
    if horoscope.status == PersonalStatus.READY:
        return horoscope
    user = horoscope.user
    natal = natal_chart_for(user)
    sign = user_sign_known(user)
    language = horoscope.language
    tz = user.current_tz if zone_or_none(user.current_tz) else settings.TIME_ZONE
    subject = f"user {user.pk} {horoscope.date.isoformat()} {language}"
    if natal is None or not sign:
        # No birth data (it was removed meanwhile): the sign's text, or the Sun sign unknown at all.
        written = daily_write(
            sign=sign or "aries",
            day=horoscope.date,
            language=language,
            use_llm=False,
            utc_offset=daily_offset(tz, horoscope.date),
        )
        found: tuple[Transit, ...] = ()
        uncertain: dict[str, tuple[str, ...]] = {}
    else:
        sky = sky_of_day(horoscope.date, tz)
        uncertain = user_signs_uncertain(user)
        # A body whose natal sign is not known (unknown birth time) has no certain transits either.
        found = tuple(t for t in transits(natal, horoscope.date, tz) if t.natal not in uncertain)
        from_llm: Written | None = None
        reason = "no LLM configured" if not llm_configured() else "not asked to use the LLM"
        if use_llm and llm_configured():
            prompt = prompt_required(PERSONAL, language)
            user_message = _fill(
                prompt.template,
                date=date_text(horoscope.date, language),
                tz=tz,
                natal=natal_summary(natal, language, uncertain=uncertain),
                transits=personal_facts(natal, found, language),
                facts=daily_facts(sign, sky, language),
            )
            try:
                from_llm = _llm_sections(
                    kind="personal",
                    subject=subject,
                    prompt=prompt,
                    user=user_message,
                    language=language,
                    user_id=user.pk,
                )
            except LLMError as error:
                reason = f"LLM failed: {error}"
        written = (
            from_llm
            if from_llm is not None
            else _offline(
                "personal",
                subject,
                reason,
                partial(write_personal, natal=natal, transits=found, sky=sky, sun_sign=sign, lang=language),
            )
        )
    facts = [{"transiting": t.transiting, "natal": t.natal, "kind": t.kind, "orb": round(t.orb, 2)} for t in found[:8]]
    with transaction.atomic():
        fresh = PersonalHoroscope.objects.select_for_update().get(pk=personal_id)
        if fresh.status == PersonalStatus.READY:
            return fresh  # another worker finished first
        for name, value in written.sections.items():
            setattr(fresh, name, value)
        fresh.source = written.source
        fresh.generation = written.log
        fresh.facts = {
            "transits": facts,
            **({"uncertain": {p: list(s) for p, s in uncertain.items()}} if uncertain else {}),
        }
        fresh.status = PersonalStatus.READY
        fresh.ready_at = timezone.now()
        fresh.save()
        return fresh


def personal_delivery_claim(*, personal_id: int) -> bool:
    """Claim the one delivery of a ready personal horoscope someone waits for; False if not due or taken."""
    return bool(
        PersonalHoroscope.objects.filter(
            pk=personal_id, status=PersonalStatus.READY, deliver=True, delivered_at__isnull=True
        ).update(delivered_at=timezone.now())
    )


def personal_for_push(*, user_id: int, day: date, language: str) -> PersonalHoroscope:
    """The ready personal horoscope for a push; written offline right now if it is still missing."""
    horoscope, _ = personal_request(user_id=user_id, day=day, language=language, deliver=False)
    if horoscope.status != PersonalStatus.READY:
        horoscope = personal_generate(personal_id=horoscope.pk, use_llm=False)
    return horoscope


# --- The daily push --------------------------------------------------------------------------------------


def _push_recipients() -> Q:
    # Users who can get a push at all: they finished onboarding (where they chose a time or said no; someone
    # who only asked for a sign's horoscope never ordered a push), notifications on, not blocked, a sign.
    return Q(notify_enabled=True, blocked_at__isnull=True, onboarded_at__isnull=False) & ~Q(sign="")


def push_zones() -> list[str]:
    """The time zones of users who may get a push (a handful of distinct values)."""
    return list(
        TelegramUser.objects.filter(_push_recipients()).values_list("current_tz", flat=True).distinct().order_by()
    )


def _zone(tz: str) -> ZoneInfo:
    return zone_or_none(tz) or ZoneInfo(settings.TIME_ZONE)


def push_due_instant(day: date, at: dt_time, zone: ZoneInfo) -> datetime:
    """The first moment of `day` when the clock in `zone` shows `at` or later, in UTC.

    A time that happened twice counts at its first occurrence; one the clocks skipped, once they have jumped.
    """
    instants = [datetime.combine(day, at, tzinfo=zone).replace(fold=fold).astimezone(UTC) for fold in (0, 1)]
    valid = [i for i in instants if (local := i.astimezone(zone)).date() == day and local.time() >= at]
    return min(valid) if valid else max(instants)


def _push_schedule_new(now: datetime) -> int:
    """Give users without a push time yet (new, or settings changed) today's time: due now if it has passed."""
    groups = (
        TelegramUser.objects.filter(_push_recipients(), push_due_at__isnull=True)
        .values_list("current_tz", "notify_time")
        .distinct()
        .order_by()
    )
    changed = 0
    for tz, at in list(groups):
        zone = _zone(tz)
        due = push_due_instant(now.astimezone(zone).date(), at, zone)
        changed += TelegramUser.objects.filter(
            _push_recipients(), push_due_at__isnull=True, current_tz=tz, notify_time=at
        ).update(push_due_at=due)
    return changed


def _push_due_set(hints: dict[int, datetime]) -> None:
    """Store the next push times, one UPDATE per distinct time (users of one zone and time share it)."""
    by_time: dict[datetime, list[int]] = {}
    for user_id, due in hints.items():
        by_time.setdefault(due, []).append(user_id)
    for due, user_ids in by_time.items():
        TelegramUser.objects.filter(pk__in=user_ids).update(push_due_at=due)


def push_prepare(*, now: datetime | None = None) -> list[int]:
    """Personal horoscopes to write now: for Premium pushes due within PUSH_PREPARE_MINUTES (or overdue).

    Creates the pending rows; returns the ids whose generation the caller must queue (new or stuck ones).
    """
    now = now or timezone.now()
    _push_schedule_new(now)
    horizon = now + timedelta(minutes=settings.PUSH_PREPARE_MINUTES)
    # premium_until > now only narrows the query; user_is_premium below is the decision.
    users = list(
        TelegramUser.objects.filter(_push_recipients(), push_due_at__lte=horizon, premium_until__gt=now).exclude(
            birth_date__isnull=True
        )
    )
    if not users:
        return []
    days = {}
    for user in users:
        zone = _zone(user.current_tz)
        due = user.push_due_at or now  # the query asked for a due time
        days[user.pk] = max(due.astimezone(zone).date(), now.astimezone(zone).date())
    ids, dates = [user.pk for user in users], set(days.values())
    pushed = set(
        PushDelivery.objects.filter(user_id__in=ids, kind=PUSH_KIND, local_date__in=dates).values_list(
            "user_id", "local_date"
        )
    )
    written = set(
        PersonalHoroscope.objects.filter(user_id__in=ids, date__in=dates)
        .filter(Q(status=PersonalStatus.READY) | Q(requested_at__gt=now - PERSONAL_STALE_AFTER))
        .values_list("user_id", "date", "language")
    )
    wanted: list[int] = []
    for user in users:
        day = days[user.pk]
        if (user.pk, day) in pushed or (user.pk, day, user.language) in written:
            continue
        if not user_is_premium(user, at=now):
            continue
        horoscope, start = personal_request(user_id=user.pk, day=day, language=user.language, deliver=False, now=now)
        if start:
            wanted.append(horoscope.pk)
    return wanted


def _personal_waiting(pairs: set[tuple[int, date]], now: datetime) -> set[tuple[int, date]]:
    """(user, day) of personal horoscopes being written and still worth waiting for."""
    if not pairs:
        return set()
    found = PersonalHoroscope.objects.filter(
        user_id__in={user_id for user_id, _ in pairs},
        date__in={day for _, day in pairs},
        status=PersonalStatus.PENDING,
        requested_at__gt=now - PERSONAL_WAIT,
    ).values_list("user_id", "date")
    return set(found) & pairs


def push_claim(*, run: str, now: datetime | None = None, limit: int = PUSH_CHUNK) -> list[PushDelivery]:
    """Claim up to `limit` deliveries due now: a row per user and local date, so each goes out at most once.

    Due: notifications on, not blocked, a sign known, the local time in the user's current zone at or past
    their notification time, and no row yet for their local date. After downtime a user whose time passed
    earlier that same local day is still due (late, once); days already over never get a row. A user who
    joined after that day's time gets a "skipped" row instead and their first push the next day. Rows another
    run left "pending" (it died before handing them to Telegram) are taken over first, while the user's day
    lasts. Each call marks its rows with a claim token of its own: `run` and a random suffix.

    Only users whose `push_due_at` has come are read (an index keeps that to the users due, whatever the
    number of users); each one examined gets its next `push_due_at`.
    """
    now = now or timezone.now()
    token = f"{run}-{uuid.uuid4().hex[:8]}"
    claimed = _push_reclaim(run=run, token=token, now=now, limit=limit)
    _push_schedule_new(now)
    due = TelegramUser.objects.filter(_push_recipients(), push_due_at__lte=now).order_by("push_due_at", "pk")
    waiting: set[int] = set()
    while len(claimed) < limit:
        wanted = limit - len(claimed)
        candidates = list(due.exclude(pk__in=waiting)[: wanted * 2])
        if not candidates:
            break
        local = {user.pk: now.astimezone(_zone(user.current_tz)) for user in candidates}
        premium = {u.pk for u in candidates if u.birth_date is not None and user_is_premium(u, at=now)}
        paused = _personal_waiting({(pk, local[pk].date()) for pk in premium}, now)
        rows: list[PushDelivery] = []
        hints: dict[int, datetime] = {}
        for user in candidates:
            zone, day = _zone(user.current_tz), local[user.pk].date()
            if user.notify_time > local[user.pk].time():
                # Not yet today (the hint was stale: settings changed, or a day passed without a run).
                hints[user.pk] = max(push_due_instant(day, user.notify_time, zone), now + timedelta(minutes=1))
            elif (user.pk, day) in paused or len(rows) >= wanted:
                waiting.add(user.pk)  # their personal text is being written, or this chunk is full
            else:
                rows.append(
                    PushDelivery(
                        user=user,
                        kind=PUSH_KIND,
                        local_date=day,
                        personal=user.pk in premium,
                        # Someone who joined after that day's time starts the next day: the row records it.
                        status=PushStatus.SKIPPED
                        if user.first_seen_at > datetime.combine(day, user.notify_time, tzinfo=zone)
                        else PushStatus.PENDING,
                        batch=token,
                        claimed_at=now,
                    )
                )
                hints[user.pk] = push_due_instant(day + timedelta(days=1), user.notify_time, zone)
        if rows:
            # The UNIQUE (user, kind, local_date) settles races: a row another worker inserted first is skipped.
            PushDelivery.objects.bulk_create(rows, ignore_conflicts=True)
            claimed.extend(
                PushDelivery.objects.filter(
                    batch=token, kind=PUSH_KIND, status=PushStatus.PENDING, user_id__in=[row.user_id for row in rows]
                ).select_related("user")
            )
        # After the rows: a worker killed in between leaves the hint due, and the next run finds the row.
        _push_due_set(hints)
    return claimed


def _push_reclaim(*, run: str, token: str, now: datetime, limit: int) -> list[PushDelivery]:
    """Take over rows another run left pending (never handed to Telegram) while the user's day lasts."""
    stale = list(
        PushDelivery.objects.filter(status=PushStatus.PENDING, kind=PUSH_KIND)
        .exclude(batch__startswith=f"{run}-")
        .select_related("user")
        .order_by("pk")[: limit * 2]
    )
    taken: list[PushDelivery] = []
    for row in stale:
        if row.local_date != user_local_date(row.user, now):
            PushDelivery.objects.filter(pk=row.pk, status=PushStatus.PENDING, batch=row.batch).update(
                status=PushStatus.FAILED, error="the user's day ended before it could be sent"
            )
            continue
        # Conditional on the old token: of two runs taking the same row, exactly one succeeds.
        if PushDelivery.objects.filter(pk=row.pk, status=PushStatus.PENDING, batch=row.batch).update(
            batch=token, claimed_at=now
        ):
            row.batch = token
            taken.append(row)
        if len(taken) >= limit:
            break
    return taken


def push_start_sending(*, delivery_id: int, token: str, now: datetime | None = None) -> bool:
    """Mark a claimed delivery as being sent, right before it goes out; False if it is no longer ours."""
    return bool(
        PushDelivery.objects.filter(pk=delivery_id, batch=token, status=PushStatus.PENDING).update(
            status=PushStatus.SENDING, sending_at=now or timezone.now()
        )
    )


def push_sending_expire(*, now: datetime, older_than: timedelta) -> int:
    """Rows "sending" for longer than a task may run: their worker died mid-request, so they may have been
    delivered. They become "uncertain" and are never sent again; the number changed."""
    cutoff = now - older_than
    # Rows from before sending_at existed count from their claim.
    stuck = Q(sending_at__lt=cutoff) | Q(sending_at__isnull=True, claimed_at__lt=cutoff)
    return PushDelivery.objects.filter(stuck, status=PushStatus.SENDING).update(
        status=PushStatus.UNCERTAIN, error="the worker stopped while Telegram had the request"
    )


def push_finish(*, delivery_id: int, status: str, message_id: int | None = None, error: str = "") -> None:
    """Record how a delivery ended (sent, blocked or failed)."""
    PushDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        message_id=message_id,
        sent_at=timezone.now() if status == PushStatus.SENT else None,
        error=error[:2000],
    )


def push_run_id() -> str:
    """A fresh id for one push run (claim tokens start with it)."""
    return uuid.uuid4().hex[:20]


def push_deliveries_prune(*, older_than_days: int | None = None) -> int:
    """Delete push records older than the retention period (one statement: nobody touches old rows); how many."""
    days = settings.PUSH_DELIVERIES_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now().date() - timedelta(days=days)
    deleted, _ = PushDelivery.objects.filter(local_date__lt=cutoff).delete()
    return deleted


def push_rows(*, run: str, deadline: float, now_fn=timezone.now) -> Iterator[PushDelivery]:
    """Claimed deliveries chunk by chunk until none is due or the run's time is up (claimed lazily)."""
    while time.monotonic() < deadline:
        rows = push_claim(run=run, now=now_fn())
        if not rows:
            return
        yield from rows
