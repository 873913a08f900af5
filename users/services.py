"""Writes of the users app: Telegram profile, birth data, settings, growth and privacy."""

import enum
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, router, transaction
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, QuerySet, Value, When
from django.db.models.deletion import Collector
from django.utils import timezone

from users.audit import audit_record, audit_record_many
from users.birth import BirthMoment, MomentStatus, birth_moment_utc, sun_sign_of_birth
from users.models import Language, Sign, StaffSubmission, TelegramUser, invite_code_new
from users.parsing import MIN_BIRTH_YEAR
from users.places import Place
from users.selectors import user_invited_count, user_local_date, zone_or_none
from users.signals import premium_changed_by_staff

logger = logging.getLogger(__name__)

# Bump when the privacy policy changes materially; the consent recorded with each user names the version.
PRIVACY_POLICY_VERSION = "2026-11"

# Refresh last_seen at most this often, so an ordinary update costs one read and no write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)

# Staff bulk changes update this many rows per statement (SQLite's variable limit, short locks).
BULK_CHUNK = 900


@dataclass(frozen=True)
class TelegramProfile:
    """What Telegram tells us about a person with every update."""

    telegram_id: int
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    language_code: str = ""


def language_guess(language_code: str | None) -> str:
    """The interface language for a new user: English for English speakers, Russian otherwise."""
    return Language.EN if (language_code or "").lower().startswith("en") else Language.RU


def _profile_fields(profile: TelegramProfile) -> dict[str, str]:
    return {
        "username": (profile.username or "")[:64],
        "first_name": (profile.first_name or "")[:128],
        "last_name": (profile.last_name or "")[:128],
    }


def user_touch(*, profile: TelegramProfile) -> TelegramUser:
    """Find or create the user behind an update, refreshing what Telegram last reported."""
    user = user_touch_known(profile=profile)
    if user is not None:
        return user
    user, created = TelegramUser.objects.get_or_create(
        telegram_id=profile.telegram_id,
        defaults={
            **_profile_fields(profile),
            "language": language_guess(profile.language_code),
            "first_seen_at": timezone.now(),
        },
    )
    return user if created else _user_refresh(user, profile)


def user_touch_known(*, profile: TelegramProfile) -> TelegramUser | None:
    """The user behind an update when we know them (refreshed as user_touch does), None otherwise: a button
    pressed after /delete_me must not bring the person back."""
    user = TelegramUser.objects.filter(telegram_id=profile.telegram_id).first()
    return None if user is None else _user_refresh(user, profile)


def _user_refresh(user: TelegramUser, profile: TelegramProfile) -> TelegramUser:
    now = timezone.now()
    fields = _profile_fields(profile)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if user.blocked_at is not None:
        # Anyone who writes to the bot has unblocked it.
        user.blocked_at = None
        changed.append("blocked_at")
    if changed or now - user.last_seen_at >= LAST_SEEN_RESOLUTION:
        user.last_seen_at = now
        user.save(update_fields=[*changed, "last_seen_at"])
    return user


def user_set_language(*, user: TelegramUser, language: str) -> TelegramUser:
    """Switch the interface language; unknown codes are refused."""
    if language not in Language.values:
        raise ValueError(f"unsupported language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_mark_blocked(*, telegram_id: int, blocked: bool) -> int:
    """Record that a user blocked (or unblocked) the bot; the number of rows changed."""
    users = TelegramUser.objects.filter(telegram_id=telegram_id)
    if blocked:
        return users.filter(blocked_at__isnull=True).update(blocked_at=timezone.now())
    return users.filter(blocked_at__isnull=False).update(blocked_at=None)


@transaction.atomic
def user_premium_extend(*, user_id: int, days: int, now: datetime | None = None) -> TelegramUser:
    """Add days of Premium, counted from the later of now and the current end; negative days shorten it."""
    user = TelegramUser.objects.select_for_update().get(pk=user_id)
    now = now or timezone.now()
    start = user.premium_until if user.premium_until and user.premium_until > now else now
    if days < 0:
        start = user.premium_until or now
    user.premium_until = start + timedelta(days=days)
    user.save(update_fields=["premium_until"])
    return user


@dataclass(frozen=True)
class PremiumChange:
    """What a staff grant or revoke did: the users changed and those left alone (with why)."""

    user_ids: list[int]
    skipped_ids: list[int]


class SubmissionReplayed(Exception):
    """This staff form was already submitted (a double click, the browser's back button and resend)."""


def staff_submission_claim(*, key: str) -> None:
    """Take a staff form's one-time key inside the caller's transaction; SubmissionReplayed when taken."""
    if not key:
        return
    try:
        with transaction.atomic():
            StaffSubmission.objects.create(key=key[:64])
    except IntegrityError:
        raise SubmissionReplayed(key) from None


def staff_submissions_prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget one-time keys of staff forms old enough that no browser resends them; the number deleted."""
    deleted, _ = StaffSubmission.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def _premium_notice(*, user_ids: list[int], kind: str, days: int = 0) -> None:
    if user_ids:
        transaction.on_commit(lambda: premium_changed_by_staff.send(None, user_ids=user_ids, kind=kind, days=days))


@transaction.atomic
def users_premium_grant(
    *,
    users: QuerySet[TelegramUser],
    days: int,
    staff_id: int,
    reason: str,
    notify: bool = False,
    submission_key: str = "",
    now: datetime | None = None,
) -> PremiumChange:
    """Staff: add days of Premium to every user of a queryset (any size) in one update, recorded in the audit.

    Days count from the later of now and each user's current end, like a purchase.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    staff_submission_claim(key=submission_key)
    now = now or timezone.now()
    delta = timedelta(days=days)
    user_ids = list(users.order_by().values_list("pk", flat=True))
    for start in range(0, len(user_ids), BULK_CHUNK):
        chunk = user_ids[start : start + BULK_CHUNK]
        TelegramUser.objects.filter(pk__in=chunk).update(
            premium_until=Case(
                When(premium_until__gt=now, then=ExpressionWrapper(F("premium_until") + delta, DateTimeField())),
                default=Value(now + delta),
            )
        )
    audit_record_many(
        staff_id=staff_id,
        model=TelegramUser,
        pks=user_ids,
        message=f"Premium granted for {days} days. Reason: {reason}",
    )
    if notify:
        _premium_notice(user_ids=user_ids, kind="granted", days=days)
    return PremiumChange(user_ids=user_ids, skipped_ids=[])


@transaction.atomic
def users_premium_revoke(
    *,
    users: QuerySet[TelegramUser],
    staff_id: int,
    reason: str,
    keep_ids: Iterable[int] = (),
    notify: bool = False,
    submission_key: str = "",
    now: datetime | None = None,
) -> PremiumChange:
    """Staff: end Premium now for the users of a queryset who have it, except `keep_ids` (e.g. subscribers whose
    renewal would grant it again); recorded in the audit."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    staff_submission_claim(key=submission_key)
    now = now or timezone.now()
    keep = set(keep_ids)
    active = list(users.order_by().filter(premium_until__gt=now).values_list("pk", flat=True))
    user_ids = [pk for pk in active if pk not in keep]
    for start in range(0, len(user_ids), BULK_CHUNK):
        chunk = user_ids[start : start + BULK_CHUNK]
        TelegramUser.objects.filter(pk__in=chunk, premium_until__gt=now).update(premium_until=now)
    audit_record_many(staff_id=staff_id, model=TelegramUser, pks=user_ids, message=f"Premium revoked. Reason: {reason}")
    if notify:
        _premium_notice(user_ids=user_ids, kind="revoked")
    return PremiumChange(user_ids=user_ids, skipped_ids=[pk for pk in active if pk in keep])


@transaction.atomic
def user_message_record(*, user_id: int, staff_id: int, text: str, submission_key: str = "") -> None:
    """Staff: note in the user's history that a message was sent to them (the text itself is kept there)."""
    staff_submission_claim(key=submission_key)
    user = TelegramUser.objects.get(pk=user_id)
    audit_record(staff_id=staff_id, obj=user, message=f"Message sent: {text[:500]}")


# --- Conversation state --------------------------------------------------------------------------------


def user_state_set(*, user: TelegramUser, state: str = "", data: dict | None = None) -> TelegramUser:
    """Remember what the user was just asked (or forget it with the defaults), for whichever worker hears next."""
    user.state = state[:32]
    user.state_data = data or {}
    user.save(update_fields=["state", "state_data"])
    return user


# --- Birth data ----------------------------------------------------------------------------------------


class _Keep(enum.Enum):
    KEEP = "keep"


# "Leave this field as it is" for the optional arguments of user_set_birth_data.
KEEP = _Keep.KEEP


@dataclass(frozen=True)
class Birthplace:
    """A birthplace as stored with the user: a gazetteer place, or coordinates and a zone given by staff."""

    name: str
    region: str
    country: str
    lat: float
    lon: float
    tz: str
    geoname_id: int | None = None

    @classmethod
    def from_place(cls, place: Place, lang: str) -> "Birthplace":
        """A gazetteer place, named in the user's language."""
        return cls(
            name=place.name(lang),
            region=place.region(lang),
            country=place.country,
            lat=place.lat,
            lon=place.lon,
            tz=place.tz,
            geoname_id=place.geoname_id,
        )


class BirthMomentUnclear(Exception):
    """The local birth time happened twice or never at the birthplace (a clock change): ask which is meant.

    `options` are the candidate instants in UTC; pass the index of the chosen one as `fold`.
    """

    def __init__(self, moment: BirthMoment) -> None:
        super().__init__(f"local birth time is {moment.status}")
        self.status = moment.status
        self.options = moment.options


def _check_birth_date(value: date) -> None:
    if value.year < MIN_BIRTH_YEAR:
        raise ValueError(f"birth dates before {MIN_BIRTH_YEAR} are not accepted")
    # Anywhere on Earth it is at most UTC+14: a date later than that is in the future for everybody.
    if value > (timezone.now() + timedelta(hours=14)).astimezone(UTC).date():
        raise ValueError("the birth date is in the future")


def _check_birthplace(place: Birthplace) -> None:
    if zone_or_none(place.tz) is None:
        raise ValueError(f"unknown time zone: {place.tz!r}")
    if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
        raise ValueError("coordinates out of range")


@transaction.atomic
def user_set_birth_data(
    *,
    user_id: int,
    birth_date: date | _Keep | None = KEEP,
    birth_time: time | _Keep | None = KEEP,
    time_unknown: bool | _Keep = KEEP,
    place: Birthplace | _Keep | None = KEEP,
    fold: int | None = None,
) -> TelegramUser:
    """Set any of birth date, time ("I don't know" is time_unknown=True) and place; recompute birth_utc and sign.

    The birth moment uses the birthplace's historical rules. When the local time happened twice or never,
    nothing is saved and BirthMomentUnclear says which instants are possible; call again with `fold`.
    The current time zone (notifications) is never touched here.
    """
    user = TelegramUser.objects.select_for_update().get(pk=user_id)
    if birth_date is not KEEP:
        if birth_date is not None:
            _check_birth_date(birth_date)
        user.birth_date = birth_date
    if birth_time is not KEEP and time_unknown is True and birth_time is not None:
        raise ValueError("a birth time and 'time unknown' at once")
    if birth_time is not KEEP:
        user.birth_time = birth_time.replace(second=0, microsecond=0, tzinfo=None) if birth_time else None
        if birth_time is not None:
            user.birth_time_unknown = False
    if time_unknown is not KEEP:
        user.birth_time_unknown = bool(time_unknown)
        if time_unknown:
            user.birth_time = None
    if place is not KEEP:
        if place is None:
            place = Birthplace(name="", region="", country="", lat=0.0, lon=0.0, tz="")
            user.birth_lat = user.birth_lon = None
        else:
            _check_birthplace(place)
            user.birth_lat, user.birth_lon = place.lat, place.lon
        user.birth_place = place.name[:200]
        user.birth_region = place.region[:200]
        user.birth_country = place.country[:2]
        user.birth_tz = place.tz
        user.birth_place_id = place.geoname_id

    user.birth_utc, user.birth_time_fold = None, None
    if user.birth_date is not None and user.birth_tz:
        moment = birth_moment_utc(user.birth_date, user.birth_time, user.birth_tz)
        if moment.ok:
            user.birth_utc = moment.utc
        elif fold not in (0, 1):
            raise BirthMomentUnclear(moment)
        elif moment.status == MomentStatus.NONEXISTENT:
            # The clocks never showed that time: keep the time they did show at the chosen instant.
            user.birth_utc = moment.options[fold]
            user.birth_time = user.birth_utc.astimezone(zone_or_none(user.birth_tz)).time().replace(tzinfo=None)
        else:
            # The time happened twice: it stays as said, and which of the two is remembered.
            user.birth_utc, user.birth_time_fold = moment.options[fold], fold
    if user.birth_date is not None:
        user.sign = sun_sign_of_birth(user.birth_date, user.birth_utc)
    elif birth_date is None:
        user.sign = ""
    user.save()
    return user


def user_set_sign(*, user_id: int, sign: str) -> TelegramUser:
    """Remember a sign chosen without a birth date (e.g. from the horoscope's sign buttons)."""
    if sign not in Sign.values:
        raise ValueError(f"unknown sign: {sign!r}")
    user = TelegramUser.objects.get(pk=user_id)
    if user.birth_date is not None:
        raise ValueError("the sign follows from the birth date")
    if user.sign != sign:
        user.sign = sign
        user.save(update_fields=["sign"])
    return user


# --- Settings ------------------------------------------------------------------------------------------


def user_set_current_tz(*, user_id: int, tz: str) -> TelegramUser:
    """Set the time zone the user lives in now (notifications, "today"); natal data stays as it is."""
    if zone_or_none(tz) is None:
        raise ValueError(f"unknown time zone: {tz!r}")
    user = TelegramUser.objects.get(pk=user_id)
    if user.current_tz != tz:
        user.current_tz = tz
        user.notify_changed_at = timezone.now()
        user.push_due_at = None  # the push works the next time out again
        user.save(update_fields=["current_tz", "notify_changed_at", "push_due_at"])
    return user


def user_set_notify(*, user_id: int, enabled: bool | _Keep = KEEP, at: time | _Keep = KEEP) -> TelegramUser:
    """Turn the daily notification on or off and/or set its local time (whole minutes)."""
    user = TelegramUser.objects.get(pk=user_id)
    if enabled is not KEEP:
        user.notify_enabled = bool(enabled)
    if at is not KEEP:
        user.notify_time = at.replace(second=0, microsecond=0, tzinfo=None)
    user.notify_changed_at = timezone.now()
    user.push_due_at = None  # the push works the next time out again
    user.save(update_fields=["notify_enabled", "notify_time", "notify_changed_at", "push_due_at"])
    return user


# --- Onboarding, consent, growth -------------------------------------------------------------------------

INVITE_PREFIX = "ref_"
SOURCE_INVITE = "invite"
_SOURCE_JUNK = re.compile(r"[^A-Za-z0-9_-]")


def start_payload_clean(payload: str | None) -> str:
    """A /start payload as Telegram allows it: up to 64 of A-Z a-z 0-9 _ - (anything else is dropped)."""
    return _SOURCE_JUNK.sub("", payload or "")[:64]


@transaction.atomic
def user_record_start(*, user_id: int, payload: str | None) -> TelegramUser:
    """Record where a user came from: the first source only, and an inviter only for someone new.

    `ref_<invite code>` names the inviter (never oneself, never changed once set); anything else is a
    source tag such as an ad campaign.
    """
    user = TelegramUser.objects.select_for_update().get(pk=user_id)
    payload = start_payload_clean(payload)
    if not payload:
        return user
    changed = []
    if payload.startswith(INVITE_PREFIX):
        code = payload[len(INVITE_PREFIX) :]
        inviter = TelegramUser.objects.filter(invite_code=code).exclude(pk=user.pk).first() if code else None
        # Someone who already used the bot was not brought by this link.
        if inviter is not None and user.invited_by_id is None and user.onboarded_at is None:
            user.invited_by = inviter
            changed.append("invited_by")
        source = SOURCE_INVITE
    else:
        source = payload
    if not user.source:
        user.source = source
        changed.append("source")
    if changed:
        user.save(update_fields=changed)
    return user


def user_consent_record(*, user_id: int, version: str = PRIVACY_POLICY_VERSION) -> TelegramUser:
    """Record that the user continued past the privacy notice (the first time, or for a newer policy)."""
    user = TelegramUser.objects.get(pk=user_id)
    if user.consent_at is None or user.consent_version != version:
        user.consent_at = timezone.now()
        user.consent_version = version
        user.save(update_fields=["consent_at", "consent_version"])
    return user


def user_onboarding_complete(*, user_id: int) -> TelegramUser:
    """Mark onboarding done (a later /start goes straight to the menu) and clear the conversation."""
    user = TelegramUser.objects.get(pk=user_id)
    user.onboarded_at = user.onboarded_at or timezone.now()
    user.state, user.state_data = "", {}
    user.save(update_fields=["onboarded_at", "state", "state_data"])
    return user


def user_invite_code(*, user_id: int) -> str:
    """The user's invite code, made on first use for users who have none."""
    user = TelegramUser.objects.get(pk=user_id)
    if not user.invite_code:
        user.invite_code = invite_code_new()
        user.save(update_fields=["invite_code"])
    return user.invite_code


# --- Privacy: export and erase ---------------------------------------------------------------------------

# Fields that are internal bookkeeping rather than data about the person are still exported: the user gets
# everything. Only the primary key is left out (it means nothing outside this database).
_EXPORT_SKIP = {"id", "invited_by"}


def json_value(value: object) -> object:
    """A value as JSON can hold it: moments in UTC ISO format, dates and times in ISO format."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def user_data_export(*, user_id: int) -> dict[str, Any]:
    """The user's own record as a JSON-serialisable document (bot.privacy.person adds every app's part)."""
    user = TelegramUser.objects.get(pk=user_id)
    profile = {
        field.name: json_value(getattr(user, field.attname))
        for field in TelegramUser._meta.concrete_fields
        if field.name not in _EXPORT_SKIP
    }
    # Who invited the user is part of the user's record; the inviter's identity is someone else's data.
    profile["invited_by_a_friend"] = user.invited_by_id is not None
    profile["friends_invited"] = user_invited_count(user)
    document: dict[str, Any] = {
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "local_date": user_local_date(user).isoformat(),
        "profile": profile,
    }
    return document


def _erased_objects(user: TelegramUser) -> dict[type[models.Model], list]:
    """The primary keys of everything that goes when the user row is deleted (the user included), by model."""
    collector = Collector(using=router.db_for_write(TelegramUser), origin=user)
    collector.collect([user])
    found: dict[type[models.Model], list] = {}
    for model, instances in collector.data.items():
        found.setdefault(model, []).extend(instance.pk for instance in instances)
    for queryset in collector.fast_deletes:
        found.setdefault(queryset.model, []).extend(queryset.values_list("pk", flat=True))
    return found


def _admin_log_forget(user: TelegramUser) -> None:
    """Staff edits are logged under the object's name (a chart's name is its owner's name, username and birth
    moment): keep the audit trail of everything erased with the user, drop the names."""
    from django.contrib.admin.models import LogEntry

    for model, pks in _erased_objects(user).items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        label = "erased user" if model is TelegramUser else f"{model._meta.model_name} of an erased user"
        for start in range(0, len(pks), 500):
            object_ids = [str(pk) for pk in pks[start : start + 500]]
            LogEntry.objects.filter(content_type=content_type, object_id__in=object_ids).update(
                object_repr=label, change_message=""
            )


@transaction.atomic
def user_erase(*, user_id: int) -> bool:
    """Delete the user row (after bot.privacy.person has run every app's eraser); False when there was none.

    Rows of other apps that still point at the user with CASCADE go with it.
    """
    user = TelegramUser.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return False
    _admin_log_forget(user)
    user.delete()
    logger.info("Erased bot user #%s at their request", user_id)
    return True
