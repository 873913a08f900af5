"""Turn a local birth date and time at the birthplace into UTC, with the birthplace's historical rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from horoscopes.astro.names import sun_sign_at, sun_signs_between
from horoscopes.astro.sky import local_day_bounds, signs_during

UNKNOWN_TIME_STANDIN = time(12, 0)


class MomentStatus(StrEnum):
    """Whether a local wall-clock time maps to exactly one instant."""

    OK = "ok"
    NONEXISTENT = "nonexistent"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class BirthMoment:
    """The birth instant in UTC, or the candidate instants when the local time is not a single instant.

    For "nonexistent" (clocks jumped over the time) `options` holds the wall time read with the offset in
    force before the jump, then with the offset after it. For "ambiguous" (clocks went back and the time
    happened twice) it holds the earlier instant, then the later one. `utc` is None unless status is "ok".
    """

    utc: datetime | None
    status: str
    options: tuple[datetime, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the local time names exactly one instant."""
        return self.status == MomentStatus.OK


def _zone(tz: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or ValueError for a name the tz database does not know."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def birth_moment_utc(local_date: date, local_time: time | None, tz: str) -> BirthMoment:
    """UTC instant of a local birth moment; local noon when the time is unknown (houses are then skipped)."""
    zone = _zone(tz)
    wall = datetime.combine(local_date, local_time or UNKNOWN_TIME_STANDIN).replace(tzinfo=None)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second:
        return BirthMoment(utc=first, status=MomentStatus.OK)
    if local_time is None:
        # Noon stands in for an unknown time, so asking "which noon?" would make no sense.
        return BirthMoment(utc=first, status=MomentStatus.OK)
    # A wall time that exists converts back to itself; one in a gap comes back shifted.
    exists = first.astimezone(zone).replace(tzinfo=None) == wall
    status = MomentStatus.AMBIGUOUS if exists else MomentStatus.NONEXISTENT
    return BirthMoment(utc=None, status=status, options=(first, second))


def _format_offset(offset: timedelta) -> str:
    """'+04:00' style text for an offset, with seconds only when the offset has them (old local mean time)."""
    sign = "-" if offset < timedelta(0) else "+"
    total = abs(int(offset.total_seconds()))
    hours, remainder = divmod(total, 3600)
    minutes, seconds = divmod(remainder, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


def utc_offset_label(tz: str, at_utc: datetime) -> str:
    """The zone's offset at an instant as 'UTC+04:00'; a naive datetime is taken to be UTC."""
    zone = _zone(tz)
    instant = at_utc.replace(tzinfo=UTC) if at_utc.tzinfo is None else at_utc
    offset = instant.astimezone(zone).utcoffset() or timedelta(0)
    return f"UTC{_format_offset(offset)}"


def sun_signs_possible(local_date: date, local_time: time | None, tz: str) -> tuple[str, ...]:
    """The Sun's sign at the birth moment; both signs when the Sun changed sign within what is not known yet.

    Without the time the whole local day is possible; without the place, that date in any zone on Earth
    (UTC+14 to UTC-12).
    """
    if tz and local_time is not None:
        moment = birth_moment_utc(local_date, local_time, tz)
        if moment.utc is not None:
            return (sun_sign_at(moment.utc),)
        return sun_signs_between(moment.options[0], moment.options[-1])
    if tz:
        return sun_signs_between(*local_day_bounds(local_date, tz))
    midnight = datetime.combine(local_date, time(0), tzinfo=UTC)
    return sun_signs_between(midnight - timedelta(hours=14), midnight + timedelta(hours=36))


def sun_sign_of_birth(local_date: date, utc: datetime | None) -> str:
    """The sign to show: the Sun's at the birth instant (local noon when the time is unknown), else at noon UTC."""
    return sun_sign_at(utc or datetime.combine(local_date, UNKNOWN_TIME_STANDIN, tzinfo=UTC))


@lru_cache(maxsize=1024)
def signs_uncertain(local_date: date, local_time: time | None, tz: str) -> dict[str, tuple[str, ...]]:
    """Bodies whose sign changed within what is not known of the birth moment, with their possible signs.

    Empty when the time is known; without it, the birthplace's whole local day; without the place, that date
    in any zone on Earth. The chart itself is drawn for local noon. Memoised: do not change the result.
    """
    if local_time is not None:
        return {}
    if tz:
        return signs_during(*local_day_bounds(local_date, tz))
    midnight = datetime.combine(local_date, time(0), tzinfo=UTC)
    return signs_during(midnight - timedelta(hours=14), midnight + timedelta(hours=36))
