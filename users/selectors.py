"""Reads of the users app: the user's local clock, what birth data is missing, places and time zones."""

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from users.birth import signs_uncertain
from users.models import TelegramUser
from users.places import Place, get_index
from users.places.countries import country_name

# The order in which birth data is asked for.


@lru_cache(maxsize=1024)
def zone_or_none(tz: str) -> ZoneInfo | None:
    """The ZoneInfo for an IANA name, or None when the tz database does not know it."""
    if not tz or not isinstance(tz, str):
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def user_zone(user: TelegramUser) -> ZoneInfo:
    """The user's current time zone, or the project's when the stored name is unusable."""
    return zone_or_none(user.current_tz) or ZoneInfo(settings.TIME_ZONE)


def user_local_now(user: TelegramUser, at: datetime | None = None) -> datetime:
    """The user's wall clock now (or at a given instant), as an aware datetime in their current time zone."""
    instant = at or timezone.now()
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(user_zone(user))


def user_local_date(user: TelegramUser, at: datetime | None = None) -> date:
    """The user's "today": the date on their wall clock, never the server's."""
    return user_local_now(user, at).date()


def user_signs_uncertain(user: TelegramUser) -> dict[str, tuple[str, ...]]:
    """Bodies whose sign is not certain because the birth time is unknown, with their possible signs, in order."""
    if user.birth_date is None or (user.birth_time is not None and not user.birth_time_unknown):
        return {}
    tz = user.birth_tz if zone_or_none(user.birth_tz) else ""
    return signs_uncertain(user.birth_date, None, tz)


def user_birth_data_missing(user: TelegramUser) -> tuple[str, ...]:
    """Which of "date", "time", "place" are still unknown ("I don't know" counts as an answer for time)."""
    missing = []
    if user.birth_date is None:
        missing.append("date")
    if user.birth_time is None and not user.birth_time_unknown:
        missing.append("time")
    if not user.birth_tz:
        missing.append("place")
    return tuple(missing)


def user_birth_data_complete(user: TelegramUser) -> bool:
    """True when date, time (or "unknown") and place are known, so birth_utc is set."""
    return not user_birth_data_missing(user) and user.birth_utc is not None


def user_birthplace(user: TelegramUser) -> Place | None:
    """The GeoNames place the user was born in, when it came from the gazetteer."""
    if user.birth_place_id is None:
        return None
    return get_index().get(user.birth_place_id)


def user_birthplace_name(user: TelegramUser, lang: str) -> str:
    """The birthplace as the user will recognise it, in their language when the gazetteer knows the place."""
    place = user_birthplace(user)
    if place is None:
        country = country_name(user.birth_country, lang)
        return ", ".join(part for part in (user.birth_place, user.birth_region, country) if part)
    return place.title(lang)


def user_by_id(*, user_id: int) -> TelegramUser:
    """The user as stored now (after another part of the update changed them)."""
    return TelegramUser.objects.get(pk=user_id)


def user_invited_count(user: TelegramUser) -> int:
    """How many people joined through the user's invite link."""
    return TelegramUser.objects.filter(invited_by=user).count()


def offset_text(offset: timedelta | None) -> str:
    """'UTC+03:00' for an offset (seconds only for old local mean time)."""
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"UTC{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{secs:02d}" if secs else text


_ETC_ZONE = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


@lru_cache(maxsize=512)
def _zone_city(tz: str, lang: str) -> str:
    """The city an IANA zone is named after, in the language when the gazetteer has it ("" for Etc zones)."""
    if tz.startswith("Etc/") or "/" not in tz:
        return ""
    english = tz.rsplit("/", 1)[1].replace("_", " ")
    for match in get_index().match(english, limit=5):
        if match.kind == "exact" and match.place.tz == tz:
            return match.place.name(lang)
    return english


def tz_label(tz: str, lang: str, at: datetime | None = None) -> str:
    """A time zone as people read it: "Екатеринбург (UTC+05:00)"; a bare offset for Etc/GMT zones."""
    zone = zone_or_none(tz)
    if zone is None:
        return tz
    instant = at or timezone.now()
    offset = offset_text(instant.astimezone(zone).utcoffset())
    city = _zone_city(tz, lang)
    return f"{city} ({offset})" if city else offset
