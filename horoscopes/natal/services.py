"""Natal charts: computed once per birth data, cached with their wheel image ids and interpretations."""

import hashlib
from datetime import UTC

from django.db import transaction
from django.utils import dateformat, translation
from django.utils.translation import pgettext

from horoscopes.astro import Chart, compute_chart
from horoscopes.natal.llm import interpretation_llm
from horoscopes.natal.models import NatalChart
from horoscopes.report import render_wheel
from horoscopes.writer import natal as natal_writer
from users.models import TelegramUser
from users.selectors import (
    user_birth_data_complete,
    user_birth_data_missing,
    user_birthplace_name,
    user_signs_uncertain,
)

DEFAULT_HOUSE_SYSTEM = "placidus"


def natal_compute(user: TelegramUser, *, house_system: str = DEFAULT_HOUSE_SYSTEM) -> Chart:
    """The chart for the user's birth moment and place; houses only when the birth time itself is known."""
    if user.birth_utc is None or user.birth_lat is None or user.birth_lon is None:
        raise ValueError(f"User #{user.pk} has no birth moment and place")
    return compute_chart(
        user.birth_utc.astimezone(UTC),
        user.birth_lat,
        user.birth_lon,
        house_system=house_system,
        with_houses=user.birth_time is not None and not user.birth_time_unknown,
    )


def _birth_key(user: TelegramUser, house_system: str) -> str:
    raw = "|".join(
        [
            user.birth_utc.astimezone(UTC).isoformat() if user.birth_utc else "",
            f"{user.birth_lat:.5f}",
            f"{user.birth_lon:.5f}",
            str(user.birth_time_unknown),
            house_system,
        ]
        # Charts of an unknown time stored before their uncertain signs were kept are computed again.
        + (["signs-uncertain"] if user.birth_time is None or user.birth_time_unknown else [])
    )
    return hashlib.sha256(raw.encode()).hexdigest()


class BirthDataMissing(Exception):
    """The user's birth data is not complete enough for a chart."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@transaction.atomic
def natal_chart_get(*, user_id: int, house_system: str = DEFAULT_HOUSE_SYSTEM) -> NatalChart:
    """The user's stored chart, computed now if there is none or the birth data changed since."""
    user = TelegramUser.objects.get(pk=user_id)
    if not user_birth_data_complete(user):
        raise BirthDataMissing(list(user_birth_data_missing(user)) or ["date"])
    key = _birth_key(user, house_system)
    stored = NatalChart.objects.select_for_update().filter(user=user).first()
    if stored is not None and stored.birth_key == key:
        return stored
    chart = natal_compute(user, house_system=house_system)
    uncertain = user_signs_uncertain(user)
    data = {
        **chart.to_dict(),
        "polar_fallback": chart.polar_fallback,
        **({"uncertain": {point: list(signs) for point, signs in uncertain.items()}} if uncertain else {}),
    }
    fields = {
        "birth_key": key,
        "data": data,
        "has_houses": chart.has_houses,
        "wheel_file_ids": {},
        "interpretations": {},
    }
    if stored is None:
        return NatalChart.objects.create(user=user, **fields)
    for field, value in fields.items():
        setattr(stored, field, value)
    stored.save()
    return stored


def natal_wheel_png(*, user: TelegramUser, language: str) -> bytes:
    """The wheel image of the user's chart (about 0.1 s: run it off the event loop), its footer naming the
    local birth time and the birthplace in the reader's language."""
    return render_wheel(
        natal_compute(user),
        lang=language,
        moment=natal_birth_moment(user, language),
        place=user_birthplace_name(user, language),
        uncertain=user_signs_uncertain(user).keys(),
    )


def natal_birth_moment(user: TelegramUser, language: str) -> str:
    """ "5 Jun 1987, 07:45" / "5 июн 1987, 07:45" (the date only when the time is unknown), on the birth clock."""
    if user.birth_date is None:
        return ""
    with translation.override(language):
        day = dateformat.format(user.birth_date, pgettext("birth date", "j M Y"))
    if user.birth_time is None:
        return day
    return f"{day}, {user.birth_time.hour:02d}:{user.birth_time.minute:02d}"


def natal_wheel_remember(*, chart_id: int, language: str, file_id: str) -> None:
    """Keep Telegram's file id of a sent wheel so the next request sends it by id."""
    with transaction.atomic():
        chart = NatalChart.objects.select_for_update().get(pk=chart_id)
        chart.wheel_file_ids = {**chart.wheel_file_ids, language: file_id}
        chart.save(update_fields=["wheel_file_ids"])


@transaction.atomic
def natal_interpretation_store(*, chart_id: int, birth_key: str, language: str, text: str) -> bool:
    """Store an interpretation unless one exists (or the chart changed meanwhile); True when stored now."""
    chart = NatalChart.objects.select_for_update().get(pk=chart_id)
    if chart.birth_key != birth_key or chart.interpretations.get(language):
        return False
    chart.interpretations = {**chart.interpretations, language: text}
    chart.save(update_fields=["interpretations"])
    return True


def natal_interpretation_write(*, chart_id: int, language: str) -> tuple[NatalChart, str] | None:
    """Write and store a chart's interpretation; (chart, text) when stored now, None when there was one already.

    Stored under a lock before anyone is told: a second run finds it and returns None.
    """
    chart = NatalChart.objects.select_related("user").filter(pk=chart_id).first()
    if chart is None or chart.interpretations.get(language):
        return None
    with translation.override(language):
        text = interpretation_llm(chart_id=chart.pk, data=chart.data, language=language, user_id=chart.user_id)
        text = text or natal_writer.interpretation_offline(chart.data, language)
    if not natal_interpretation_store(chart_id=chart.pk, birth_key=chart.birth_key, language=language, text=text):
        return None
    return chart, text
