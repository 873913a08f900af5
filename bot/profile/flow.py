"""Questions that fill in the profile: birth date, time and place, the current time zone, the daily time.

Each question is a conversation state in TelegramUser.state ("profile:date", ...) with its context in
state_data, so any worker can take the answer. A finished question hands over to the continuation named
by its `resume` key (`context.routes.resume`, listed in bot.application): the profile, onboarding, the
natal chart, the personal horoscope.
"""

import asyncio
import calendar
import contextlib
import html
import re
from dataclasses import asdict
from datetime import date, datetime, time, tzinfo

from asgiref.sync import sync_to_async
from django.utils import timezone
from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.menu import keyboards, texts
from bot.profile import texts as t
from bot.routing import Handler
from bot.ui import buttons, callback_data
from horoscopes.astro.constants import SIGN_ELEMENT
from horoscopes.names import ELEMENT_NAMES, SIGN_NAMES, name, sign_date_range_text
from users.birth import MomentStatus, sun_signs_possible
from users.models import TelegramUser
from users.parsing import ParseError, is_unknown_answer, parse_birth_date, parse_time
from users.places import Place, PlaceIndex, PlaceMatch, get_index
from users.places.text import fold
from users.selectors import (
    offset_text,
    tz_label,
    user_birth_data_missing,
    user_birthplace_name,
    user_local_date,
    user_local_now,
    zone_or_none,
)
from users.services import (
    BirthMomentUnclear,
    Birthplace,
    user_set_birth_data,
    user_set_current_tz,
    user_set_notify,
    user_state_set,
)

# Conversation states of this module.
STATE_DATE = "profile:date"
STATE_TIME = "profile:time"
STATE_PLACE = "profile:place"
STATE_MOMENT = "profile:moment"
STATE_TZ = "profile:tz"
STATE_NOTIFY = "profile:notify"
BIRTH_STATES = {"date": STATE_DATE, "time": STATE_TIME, "place": STATE_PLACE}
FLOW_STATES = (STATE_DATE, STATE_TIME, STATE_PLACE, STATE_MOMENT, STATE_TZ, STATE_NOTIFY)

# Callback data prefixes of this module, and their actions.
CB_FLOW = "bd"  # bd:unknown, bd:skip, bd:cancel, bd:again
CB_DATE_PICK = "bdp"  # bdp:<YYYYMMDD>, one reading of an ambiguous date
CB_PLACE = "bp"  # bp:<geoname id>
CB_MOMENT = "bm"  # bm:<0|1>
CB_TZ = "ctz"  # ctz:<geoname id>, ctz:ask
CB_NOTIFY = "nt"  # nt:<HHMM>, nt:off
TIME_UNKNOWN, SKIP, CANCEL, AGAIN = "unknown", "skip", "cancel", "again"
TZ_ASK = "ask"
NOTIFY_OFF = "off"

# Continuations this module treats specially: back to the profile card, and onboarding's next step.
RESUME_PROFILE = "profile"
RESUME_ONBOARDING = "onboarding"


SIGN_EMOJI = {
    "aries": "♈",
    "taurus": "♉",
    "gemini": "♊",
    "cancer": "♋",
    "leo": "♌",
    "virgo": "♍",
    "libra": "♎",
    "scorpio": "♏",
    "sagittarius": "♐",
    "capricorn": "♑",
    "aquarius": "♒",
    "pisces": "♓",
}
NOTIFY_CHOICES = (time(7), time(8), time(9), time(10), time(12), time(21))
# A typed name is taken without asking when it beats every other place of that name this many times over.
DOMINANT_POPULATION = 20
QUERY_ECHO_CHARS = 40
# The day alone, after a month and year: "15", "15th", "15-го".
_DAY_ONLY = re.compile(r"([0-9]{1,2})(?:-?(?:го|е|st|nd|rd|th))?\.?")


ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


# --- Small helpers shared by the profile, onboarding and privacy handlers ----------------------------


async def send(update: Update, text: object, markup: ReplyMarkup | None = None) -> None:
    """Send an HTML message to the chat of the update (a message or a button press)."""
    await update.effective_chat.send_message(str(text), parse_mode=ParseMode.HTML, reply_markup=markup)


async def state_set(context: BotContext, state: str = "", data: dict | None = None) -> None:
    """Remember the question the user is answering (or forget it)."""
    context.db_user = await sync_to_async(user_state_set)(user=context.user, state=state, data=data)


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off a message once one was used, so old questions cannot be answered twice."""
    message = query.message
    if message is None or not getattr(message, "reply_markup", None):
        return
    # The message may be too old to edit, or have lost its buttons already.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


async def callback_values(update: Update, context: BotContext, states: tuple[str, ...] | None) -> list[str] | None:
    """Answer a button press; its values when the user is still at one of `states`, else None (stale)."""
    query = update.callback_query
    if query is None:
        return None
    _, values = callback_data.parse(query.data)
    if context.db_user is None or (states is not None and context.user.state not in states):
        await query.answer(str(texts.BUTTON_OUTDATED))
        return None
    await query.answer()
    await drop_buttons(query)
    return values


def echo(text: str) -> str:
    """What the user typed, short and safe to put in an HTML message."""
    text = " ".join(text.split())
    if len(text) > QUERY_ECHO_CHARS:
        text = text[: QUERY_ECHO_CHARS - 1] + "…"
    return html.escape(text)


def sign_title(sign: str, lang: str) -> str:
    """ "♓ Pisces"."""
    return f"{SIGN_EMOJI[sign]} {name(SIGN_NAMES, sign, lang)}"


async def _index() -> PlaceIndex:
    # The first use loads the gazetteer (~0.1-0.3 s): keep that off the event loop.
    return await asyncio.to_thread(get_index)


# --- Birth data: asking ---------------------------------------------------------------------------------


async def birth_data_request(update: Update, context: BotContext, *, resume: str, skippable: bool = False) -> None:
    """Ask for whatever birth data is missing (date, then time or "I don't know", then place), then resume.

    When nothing is missing the continuation runs at once. Other features call this, e.g. the natal chart:
    `await birth_data_request(update, context, resume=RESUME_NATAL)`, with natal_show listed for that key.
    `skippable` offers "Later" on each question (onboarding) instead of "Cancel".
    """
    await _birth_next(update, context, {"resume": resume, "skippable": skippable, "skipped": []})


async def birth_data_edit(update: Update, context: BotContext, *, step: str, resume: str) -> None:
    """Ask one birth data question again ("date", "time" or "place"), then resume."""
    await _ask(update, context, step, {"resume": resume, "only": step})


def _flow_buttons(data: dict, step: str, *extra: InlineKeyboardButton) -> InlineKeyboardMarkup | None:
    """The buttons under a question: "Later" in onboarding (the date is the one answer it needs), else "Cancel"."""
    if data.get("skippable"):
        row = [*extra, buttons.callback(t.BUTTON_LATER, CB_FLOW, SKIP)] if step != "date" else list(extra)
    else:
        row = [*extra, buttons.callback(t.BUTTON_CANCEL, CB_FLOW, CANCEL)]
    return InlineKeyboardMarkup([row]) if row else None


async def _ask(update: Update, context: BotContext, step: str, data: dict) -> None:
    await state_set(context, BIRTH_STATES[step], data)
    if step == "date":
        await send(update, t.ASK_DATE, _flow_buttons(data, step))
    elif step == "time":
        await send(update, t.ASK_TIME, _time_buttons(data))
    else:
        await _index()
        await send(update, t.ASK_PLACE, _flow_buttons(data, step))


def _time_buttons(data: dict) -> InlineKeyboardMarkup | None:
    return _flow_buttons(data, "time", buttons.callback(t.BUTTON_TIME_UNKNOWN, CB_FLOW, TIME_UNKNOWN))


async def _birth_next(update: Update, context: BotContext, data: dict) -> None:
    if not data.get("only"):
        skipped = set(data.get("skipped", ()))
        for step in user_birth_data_missing(context.user):
            if step not in skipped:
                await _ask(update, context, step, data)
                return
    await resume_flow(update, context, data)


async def resume_flow(update: Update, context: BotContext, data: dict) -> None:
    """The question is answered: forget it and hand over to the continuation the asker named."""
    await state_set(context)
    handler = context.routes.resume.get(data.get("resume", ""))
    if handler is None:
        await send(update, t.SAVED, keyboards.main_menu())
        return
    await handler(update, context)


# --- Birth data: answers --------------------------------------------------------------------------------


async def birth_date_message(update: Update, context: BotContext) -> None:
    """The answer to "when were you born?"."""
    text = update.effective_message.text
    if not text:
        await send(update, t.DATE_NOT_TEXT)
        return
    data = dict(context.user.state_data or {})
    today = user_local_date(context.user)
    month_year = data.get("month_year")
    if month_year and (day := _DAY_ONLY.fullmatch(text.strip())):
        # The month and year came in the previous message; this is the day.
        text = f"{day[1]}.{month_year[0]}.{month_year[1]}"
    result = parse_birth_date(text, today=today, language=context.language)
    if result.error == ParseError.AMBIGUOUS:
        first, second = result.choices
        lang = context.language
        markup = InlineKeyboardMarkup(
            [[buttons.callback(t.format_date(c, lang), CB_DATE_PICK, c.strftime("%Y%m%d")) for c in (first, second)]]
        )
        await send(
            update,
            t.DATE_AMBIGUOUS.format(first=t.format_day_month(first, lang), second=t.format_day_month(second, lang)),
            markup,
        )
        return
    if result.error == ParseError.NO_DAY and result.month and result.year:
        await state_set(context, context.user.state, {**data, "month_year": [result.month, result.year]})
        await send(
            update, t.DATE_ASK_DAY.format(month=t.format_month_year(result.month, result.year, context.language))
        )
        return
    if result.error == ParseError.IMPOSSIBLE_DATE and result.day and result.month and result.year:
        days = calendar.monthrange(result.year, result.month)[1]
        written = t.format_impossible_date(result.day, result.month, result.year, context.language)
        await send(update, t.DATE_NO_SUCH_DAY.format(date=written, days=days))
        return
    if not result.ok:
        await send(update, t.DATE_ERRORS.get(result.error or "", t.DATE_ERRORS["unrecognised"]))
        return
    await _apply(update, context, "date", {"birth_date": result.value})


async def birth_date_pick_callback(update: Update, context: BotContext) -> None:
    """One of the two readings of an ambiguous numeric date (bdp:<YYYYMMDD>)."""
    values = await callback_values(update, context, (STATE_DATE,))
    if values is None:
        return
    try:
        chosen = datetime.strptime(values[0] if values else "", "%Y%m%d").date()
    except ValueError:
        await send(update, t.ASK_DATE)
        return
    # Forged data is checked like a typed date.
    result = parse_birth_date(chosen.isoformat(), today=user_local_date(context.user))
    if not result.ok:
        await send(update, t.DATE_ERRORS.get(result.error or "", t.DATE_ERRORS["unrecognised"]))
        return
    await _apply(update, context, "date", {"birth_date": result.value})


async def birth_time_message(update: Update, context: BotContext) -> None:
    """The answer to "what time were you born?" (also a new time instead of an impossible one)."""
    text = update.effective_message.text
    if not text:
        await send(update, t.TIME_NOT_TEXT)
        return
    if is_unknown_answer(text):
        # Typed "don't know" is the "I don't know" button.
        await _apply(update, context, "time", {"time_unknown": True})
        return
    result = parse_time(text)
    if not result.ok:
        await send(update, t.TIME_ERROR, _time_buttons(context.user.state_data or {}))
        return
    await _apply(update, context, "time", {"birth_time": result.value})


async def birth_place_message(update: Update, context: BotContext) -> None:
    """The answer to "where were you born?": a typed name or a location pin."""
    message = update.effective_message
    index = await _index()
    lang = context.language
    if message.location is not None:
        place = index.nearest(message.location.latitude, message.location.longitude)
        if place is None:
            await send(update, t.PLACE_PIN_NOTHING)
            return
        await _apply(update, context, "place", {"place": Birthplace.from_place(place, lang)})
        return
    if not message.text:
        await send(update, t.PLACE_NOT_TEXT)
        return
    matches = index.match(message.text, limit=5)
    if not matches:
        markup = _flow_buttons(context.user.state_data or {}, "place")
        await send(update, t.PLACE_NOT_FOUND.format(query=echo(message.text)), markup)
        return
    chosen = dominant_place(matches, message.text)
    if chosen is not None:
        await _apply(update, context, "place", {"place": Birthplace.from_place(chosen, lang)})
        return
    on_date = context.user.birth_date or user_local_date(context.user)
    rows = [[buttons.callback(m.place.label(lang, on_date), CB_PLACE, m.place.geoname_id)] for m in matches]
    last = _flow_buttons(context.user.state_data or {}, "place")
    if last is not None:
        rows.append(list(last.inline_keyboard[0]))
    top = matches[0].place
    example = f"{top.name(lang)}, {top.region_shown(lang) or top.country_name(lang)}"
    await send(update, t.PLACE_CHOOSE.format(example=html.escape(example)), InlineKeyboardMarkup(rows))


def dominant_place(matches: list[PlaceMatch], typed: str = "") -> Place | None:
    """The place a typed name surely means: the only hit, the only one in the region typed after a comma
    ("Кировск, Мурманская"), or an exact hit far bigger than any namesake."""
    top = matches[0]
    _, comma, hint = typed.partition(",")
    if comma and fold(hint):
        key = fold(hint)
        in_region = [
            m.place
            for m in matches
            if m.kind == "exact"
            and any(
                key in fold(text)
                for text in (
                    m.place.region_ru,
                    m.place.region_en,
                    m.place.country,
                    m.place.country_name("ru"),
                    m.place.country_name("en"),
                )
                if text
            )
        ]
        if len(in_region) == 1:
            return in_region[0]
    if len(matches) == 1:
        return top.place
    if top.kind == "exact":
        namesakes = [m.place.population for m in matches[1:] if m.kind == "exact"]
    elif top.kind == "fuzzy" and top.distance <= 1:
        # One slip of the finger ("Мосвка") next to nothing comparable: the big city it almost spells.
        namesakes = [m.place.population for m in matches[1:]]
    else:
        return None
    if all(population * DOMINANT_POPULATION <= top.place.population for population in namesakes):
        return top.place
    return None


async def birth_place_callback(update: Update, context: BotContext) -> None:
    """A press on one of the candidate places."""
    values = await callback_values(update, context, (STATE_PLACE,))
    if values is None:
        return
    place = (await _index()).get(int(values[0])) if values and values[0].isdigit() else None
    if place is None:
        await send(update, t.ASK_PLACE)
        return
    await _apply(update, context, "place", {"place": Birthplace.from_place(place, context.language)})


async def flow_time_unknown_callback(update: Update, context: BotContext) -> None:
    """ "I don't know" under the birth time question (or the clock-change one)."""
    if await callback_values(update, context, (STATE_TIME, STATE_MOMENT)) is None:
        return
    await _apply(update, context, "time", {"time_unknown": True})


async def flow_skip_callback(update: Update, context: BotContext) -> None:
    """ "Later" under a birth data question in onboarding: on to the next one."""
    if await callback_values(update, context, (STATE_DATE, STATE_TIME, STATE_PLACE)) is None:
        return
    data = dict(context.user.state_data or {})
    step = next(step for step, state in BIRTH_STATES.items() if state == context.user.state)
    data["skipped"] = [*data.get("skipped", []), step]
    await send(update, t.SKIPPED)
    await _birth_next(update, context, data)


async def flow_again_callback(update: Update, context: BotContext) -> None:
    """ "Enter another time" under the clock-change question."""
    if await callback_values(update, context, (STATE_MOMENT,)) is None:
        return
    data = dict(context.user.state_data or {})
    data["carry"] = {k: v for k, v in data.pop("pending", {}).items() if k not in ("step", "birth_time")}
    await state_set(context, STATE_TIME, data)
    await send(update, t.ASK_TIME, _time_buttons(data))


async def flow_cancel_callback(update: Update, context: BotContext) -> None:
    """ "Cancel" under any question of this module."""
    if await callback_values(update, context, FLOW_STATES) is None:
        return
    data = dict(context.user.state_data or {})
    if "back" in data:
        # Cancelling the time zone question opened from the daily time question goes back to that question.
        await _ask_notify(update, context, data["back"])
        return
    await state_set(context)
    if data.get("resume") == RESUME_PROFILE:
        await context.routes.resume[RESUME_PROFILE](update, context)
    else:
        await send(update, t.CANCELLED, keyboards.main_menu())


async def _apply(update: Update, context: BotContext, step: str, changes: dict, fold: int | None = None) -> None:
    """Save an answer (with what an earlier clock-change question carried over) and go on."""
    data = dict(context.user.state_data or {})
    changes = {**_decode(data.pop("carry", {})), **changes}
    sign_before = context.user.sign
    try:
        context.db_user = await sync_to_async(user_set_birth_data)(user_id=context.user.pk, fold=fold, **changes)
    except BirthMomentUnclear as unclear:
        await _ask_moment(update, context, data, step, changes, unclear)
        return
    except ValueError:
        await send(update, t.DATE_ERRORS["unrecognised"] if step == "date" else t.TIME_ERROR)
        return
    data.pop("pending", None)
    data.pop("month_year", None)
    await _confirm(update, context, step, data, moment_chosen=fold is not None)
    if step != "date":
        await _sign_follow_up(update, context, sign_before)
    await _birth_next(update, context, data)


async def _sign_follow_up(update: Update, context: BotContext, sign_before: str) -> None:
    """After the time or the place: the sign they settled, or why it stays open without the time."""
    user, lang = context.user, context.language
    if not user.sign:
        return
    if user.sign != sign_before:
        await send(update, t.SIGN_SETTLED.format(emoji=SIGN_EMOJI[user.sign], sign=name(SIGN_NAMES, user.sign, lang)))
        return
    options = _sign_options(user)
    if user.birth_time_unknown and user.birth_tz and len(options) > 1:
        other = next(sign for sign in options if sign != user.sign)
        await send(
            update,
            t.SIGN_STILL_UNDECIDED.format(first=sign_title(user.sign, lang), second=sign_title(other, lang)),
        )


async def _confirm(update: Update, context: BotContext, step: str, data: dict, *, moment_chosen: bool) -> None:
    user, lang = context.user, context.language
    if moment_chosen and user.birth_time is not None and user.birth_utc is not None:
        local = user.birth_utc.astimezone(_zone(user.birth_tz))
        saved = t.MOMENT_SAVED.format(time=t.format_time(local.time()), offset=offset_text(local.utcoffset()))
        await send(update, saved)
        if step != "place":
            return
    if step == "date":
        assert user.birth_date is not None  # just saved
        if data.get("resume") == RESUME_ONBOARDING:
            await send(update, sign_reveal(user, lang))
        else:
            sign = name(SIGN_NAMES, user.sign, lang)
            await send(
                update,
                t.DATE_SAVED.format(date=t.format_date(user.birth_date, lang), emoji=SIGN_EMOJI[user.sign], sign=sign),
            )
    elif step == "time":
        if user.birth_time_unknown:
            await send(update, t.TIME_UNKNOWN_SAVED)
        elif not moment_chosen and user.birth_time is not None:
            await send(update, t.TIME_SAVED.format(time=t.format_time(user.birth_time)))
    elif step == "place":
        place = html.escape(user_birthplace_name(user, lang))
        if user.birth_utc is not None:
            offset = offset_text(user.birth_utc.astimezone(_zone(user.birth_tz)).utcoffset())
            await send(update, t.PLACE_SAVED.format(place=place, offset=offset))
        else:
            await send(update, t.PLACE_SAVED_NO_DATE.format(place=place))


def _zone(tz: str) -> tzinfo:
    return zone_or_none(tz) or timezone.get_default_timezone()


def sign_reveal(user: TelegramUser, lang: str) -> str:
    """The sign reveal of onboarding: name, dates, element, and both signs when the Sun changed sign that day."""
    text = t.SIGN_REVEAL.format(
        emoji=SIGN_EMOJI[user.sign],
        sign=name(SIGN_NAMES, user.sign, lang),
        dates=sign_date_range_text(user.sign, lang),
        element=name(ELEMENT_NAMES, SIGN_ELEMENT[user.sign], lang),
    )
    options = _sign_options(user)
    if len(options) > 1:
        text += "\n\n" + t.SIGN_UNDECIDED.format(
            first=sign_title(options[0], lang), second=sign_title(options[1], lang)
        )
    return text


def _sign_options(user: TelegramUser) -> tuple[str, ...]:
    if user.birth_date is None:
        return ()
    return sun_signs_possible(user.birth_date, user.birth_time, user.birth_tz)


# --- A local time that happened twice or never --------------------------------------------------------


def _encode(changes: dict) -> dict:
    out: dict[str, object] = {}
    for key, value in changes.items():
        if isinstance(value, date | time):
            out[key] = value.isoformat()
        elif isinstance(value, Birthplace):
            out[key] = asdict(value)
        else:
            out[key] = value
    return out


def _decode(stored: dict) -> dict:
    out: dict[str, object] = {}
    for key, value in stored.items():
        if key == "birth_date" and value:
            out[key] = date.fromisoformat(value)
        elif key == "birth_time" and value:
            out[key] = time.fromisoformat(value)
        elif key == "place" and isinstance(value, dict):
            out[key] = Birthplace(**value)
        elif key in {"birth_date", "birth_time", "place", "time_unknown"}:
            out[key] = value
    return out


async def _ask_moment(
    update: Update, context: BotContext, data: dict, step: str, changes: dict, unclear: BirthMomentUnclear
) -> None:
    user, lang = context.user, context.language
    place: Birthplace | None = changes.get("place")
    tz = place.tz if place else user.birth_tz
    place_name = place.name if place else user.birth_place
    birth_date = changes.get("birth_date") or user.birth_date
    birth_time = changes.get("birth_time") or user.birth_time
    # Only a known date and time can fall into a gap or a repeated hour.
    assert birth_date is not None and birth_time is not None
    zone = _zone(tz)
    data = {**data, "pending": {"step": step, **_encode(changes)}}
    await state_set(context, STATE_MOMENT, data)

    wall = t.format_time(birth_time)
    order = sorted(range(len(unclear.options)), key=lambda i: unclear.options[i])
    rows = []
    for position, index in enumerate(order):
        local = unclear.options[index].astimezone(zone)
        offset = offset_text(local.utcoffset())
        if unclear.status == MomentStatus.AMBIGUOUS:
            label = (t.MOMENT_FIRST if position == 0 else t.MOMENT_SECOND).format(time=wall, offset=offset)
        else:
            label = t.MOMENT_OPTION.format(time=t.format_time(local.time()), offset=offset)
        rows.append([buttons.callback(label, CB_MOMENT, index)])
    rows.append([buttons.callback(t.BUTTON_OTHER_TIME, CB_FLOW, AGAIN)])
    question = t.MOMENT_TWICE if unclear.status == MomentStatus.AMBIGUOUS else t.MOMENT_GAP
    text = question.format(date=t.format_date(birth_date, lang), place=html.escape(place_name or tz), time=wall)
    await send(update, text, InlineKeyboardMarkup(rows))


async def moment_callback(update: Update, context: BotContext) -> None:
    """The user picked which of the two instants they were born at."""
    values = await callback_values(update, context, (STATE_MOMENT,))
    if values is None:
        return
    data = context.user.state_data or {}
    pending = dict(data.get("pending") or {})
    if not values or values[0] not in ("0", "1") or not pending:
        await send(update, t.ASK_TIME)
        return
    step = pending.pop("step", "time")
    await _apply(update, context, step, _decode(pending), fold=int(values[0]))


async def moment_message(update: Update, context: BotContext) -> None:
    """Text while the clock-change question is open: another time replaces the impossible one."""
    text = update.effective_message.text
    if text and is_unknown_answer(text):
        # As the "I don't know" button under this question.
        await _apply(update, context, "time", {"time_unknown": True})
        return
    if not text or not parse_time(text).ok:
        await send(update, t.MOMENT_USE_BUTTONS)
        return
    data = dict(context.user.state_data or {})
    data["carry"] = {k: v for k, v in data.pop("pending", {}).items() if k not in ("step", "birth_time")}
    await state_set(context, STATE_TIME, data)
    await birth_time_message(update, context)


# --- Current time zone ----------------------------------------------------------------------------------

_OFFSET = re.compile(r"^(utc|gmt|мск|msk)?([+-])(\d{1,2})(?::?(\d{2}))?$")
# Russia's zones by their offset from Moscow time, the way Russians often say them ("МСК+2").
MSK_ZONES = {
    -1: "Europe/Kaliningrad",
    0: "Europe/Moscow",
    1: "Europe/Samara",
    2: "Asia/Yekaterinburg",
    3: "Asia/Omsk",
    4: "Asia/Krasnoyarsk",
    5: "Asia/Irkutsk",
    6: "Asia/Yakutsk",
    7: "Asia/Vladivostok",
    8: "Asia/Magadan",
    9: "Asia/Kamchatka",
}


def tz_from_offset(text: str) -> str | None:
    """An IANA zone for "UTC+5", "GMT-3", "+03:00", "МСК+2" or "мск"; "" for an offset out of range.

    None when the text is not an offset at all.
    """
    compact = re.sub(r"\s+", "", text.casefold()).translate(str.maketrans("−–—", "---"))
    if compact in {"utc", "gmt"}:
        return "Etc/UTC"
    if compact in {"мск", "msk"}:
        return MSK_ZONES[0]
    match = _OFFSET.match(compact)
    if match is None:
        return None
    base, sign, hours, minutes = match[1], match[2], int(match[3]), int(match[4] or 0)
    value = hours if sign == "+" else -hours
    if base in {"мск", "msk"}:
        return MSK_ZONES.get(value, "") if minutes == 0 else ""
    if minutes or not -12 <= value <= 14:
        return ""
    if value == 0:
        return "Etc/UTC"
    # POSIX-style names: Etc/GMT-5 is five hours *ahead* of UTC.
    return f"Etc/GMT{'-' if value > 0 else '+'}{abs(value)}"


async def tz_request(update: Update, context: BotContext, *, resume: str, back: dict | None = None) -> None:
    """Ask where the user lives now (for the time zone), then resume (or go back to the daily time question)."""
    data: dict = {"resume": resume}
    if back is not None:
        data["back"] = back
    await state_set(context, STATE_TZ, data)
    await _index()
    await send(update, t.ASK_TZ, InlineKeyboardMarkup([[buttons.callback(t.BUTTON_CANCEL, CB_FLOW, CANCEL)]]))


async def tz_message(update: Update, context: BotContext) -> None:
    """The answer to "which city do you live in now?": a city, an offset or a location pin."""
    message = update.effective_message
    index = await _index()
    if message.location is not None:
        place = index.nearest(message.location.latitude, message.location.longitude)
        if place is None:
            await send(update, t.PLACE_PIN_NOTHING)
            return
        await _tz_apply(update, context, place.tz)
        return
    if not message.text:
        await send(update, t.TZ_NOT_TEXT)
        return
    zone = tz_from_offset(message.text)
    if zone == "":
        await send(update, t.TZ_BAD_OFFSET)
        return
    if zone:
        await _tz_apply(update, context, zone)
        return
    matches = index.match(message.text, limit=5)
    if not matches:
        await send(update, t.TZ_NOT_FOUND.format(query=echo(message.text)))
        return
    chosen = dominant_place(matches, message.text)
    # Namesakes in one time zone need no question.
    if chosen is None and len({m.place.tz for m in matches}) == 1:
        chosen = matches[0].place
    if chosen is not None:
        await _tz_apply(update, context, chosen.tz)
        return
    lang = context.language
    today = user_local_date(context.user)
    rows = [[buttons.callback(m.place.label(lang, today), CB_TZ, m.place.geoname_id)] for m in matches]
    rows.append([buttons.callback(t.BUTTON_CANCEL, CB_FLOW, CANCEL)])
    await send(update, t.TZ_CHOOSE, InlineKeyboardMarkup(rows))


async def tz_ask_callback(update: Update, context: BotContext) -> None:
    """ "Change time zone" under the daily time question (ctz:ask)."""
    if await callback_values(update, context, (STATE_NOTIFY,)) is None:
        return
    data = dict(context.user.state_data or {})
    await tz_request(update, context, resume=data.get("resume", ""), back=data)


async def tz_callback(update: Update, context: BotContext) -> None:
    """A press on a candidate city for the time zone (ctz:<geoname id>)."""
    values = await callback_values(update, context, (STATE_TZ,))
    if values is None:
        return
    place = (await _index()).get(int(values[0])) if values and values[0].isdigit() else None
    if place is None:
        await send(update, t.ASK_TZ)
        return
    await _tz_apply(update, context, place.tz)


async def _tz_apply(update: Update, context: BotContext, tz: str) -> None:
    data = dict(context.user.state_data or {})
    context.db_user = await sync_to_async(user_set_current_tz)(user_id=context.user.pk, tz=tz)
    await send(update, t.TZ_SAVED.format(tz=html.escape(tz_label(tz, context.language)), now=_now_text(context)))
    if "back" in data:
        await _ask_notify(update, context, data["back"])
        return
    await resume_flow(update, context, data)


def _now_text(context: BotContext) -> str:
    return t.format_time(user_local_now(context.user).time())


# --- Daily notification time ----------------------------------------------------------------------------


async def notify_request(update: Update, context: BotContext, *, resume: str, cancellable: bool = True) -> None:
    """Ask at what local time the daily horoscope should come (or none), then resume."""
    await _ask_notify(update, context, {"resume": resume, "cancellable": cancellable})


async def _ask_notify(update: Update, context: BotContext, data: dict) -> None:
    await state_set(context, STATE_NOTIFY, data)
    label = html.escape(tz_label(context.user.current_tz, context.language))
    await send(update, t.ASK_NOTIFY.format(tz=label, now=_now_text(context)), _notify_buttons(data))


def _notify_buttons(data: dict) -> InlineKeyboardMarkup:
    choices = [
        buttons.callback(t.format_time(choice), CB_NOTIFY, f"{choice.hour:02d}{choice.minute:02d}")
        for choice in NOTIFY_CHOICES
    ]
    rows = [choices[:3], choices[3:], [buttons.callback(t.BUTTON_CHANGE_TZ, CB_TZ, TZ_ASK)]]
    last = [buttons.callback(t.BUTTON_NO_NOTIFICATIONS, CB_NOTIFY, NOTIFY_OFF)]
    if data.get("cancellable"):
        last.append(buttons.callback(t.BUTTON_CANCEL, CB_FLOW, CANCEL))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


async def notify_message(update: Update, context: BotContext) -> None:
    """A typed time for the daily horoscope (a location pin changes the time zone first)."""
    message = update.effective_message
    if message.location is not None:
        place = (await _index()).nearest(message.location.latitude, message.location.longitude)
        if place is None:
            await send(update, t.PLACE_PIN_NOTHING)
            return
        data = dict(context.user.state_data or {})
        await state_set(context, STATE_TZ, {"resume": data.get("resume", ""), "back": data})
        await _tz_apply(update, context, place.tz)
        return
    text = message.text
    result = parse_time(text) if text else None
    if result is None or not result.ok:
        await send(update, t.NOTIFY_TIME_ERROR, _notify_buttons(context.user.state_data or {}))
        return
    await _notify_apply(update, context, result.value)


async def notify_off_callback(update: Update, context: BotContext) -> None:
    """ "No notifications" under the daily time question (nt:off)."""
    if await callback_values(update, context, (STATE_NOTIFY,)) is None:
        return
    await _notify_apply(update, context, None)


async def notify_callback(update: Update, context: BotContext) -> None:
    """A press on one of the offered times (nt:<HHMM>)."""
    values = await callback_values(update, context, (STATE_NOTIFY,))
    if values is None:
        return
    value = values[0] if values else ""
    try:
        chosen = datetime.strptime(value, "%H%M").time()
    except ValueError:
        await send(update, t.NOTIFY_TIME_ERROR)
        return
    await _notify_apply(update, context, chosen)


async def _notify_apply(update: Update, context: BotContext, at: time | None) -> None:
    data = dict(context.user.state_data or {})
    if at is None:
        context.db_user = await sync_to_async(user_set_notify)(user_id=context.user.pk, enabled=False)
        await send(update, t.NOTIFY_OFF)
    else:
        context.db_user = await sync_to_async(user_set_notify)(user_id=context.user.pk, enabled=True, at=at)
        label = html.escape(tz_label(context.user.current_tz, context.language))
        await send(update, t.NOTIFY_SAVED.format(time=t.format_time(at), tz=label))
    await resume_flow(update, context, data)


# --- Wiring -----------------------------------------------------------------------------------------------

STATES: dict[str, Handler] = {
    STATE_DATE: birth_date_message,
    STATE_TIME: birth_time_message,
    STATE_PLACE: birth_place_message,
    STATE_MOMENT: moment_message,
    STATE_TZ: tz_message,
    STATE_NOTIFY: notify_message,
}


def register(application: Application) -> None:
    """The buttons under the questions: actions first, then the buttons whose value is a choice."""
    for prefix, action, handler in (
        (CB_FLOW, TIME_UNKNOWN, flow_time_unknown_callback),
        (CB_FLOW, SKIP, flow_skip_callback),
        (CB_FLOW, CANCEL, flow_cancel_callback),
        (CB_FLOW, AGAIN, flow_again_callback),
        (CB_TZ, TZ_ASK, tz_ask_callback),
        (CB_NOTIFY, NOTIFY_OFF, notify_off_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(prefix, action)))
    for prefix, handler in (
        (CB_PLACE, birth_place_callback),
        (CB_DATE_PICK, birth_date_pick_callback),
        (CB_MOMENT, moment_callback),
        (CB_TZ, tz_callback),
        (CB_NOTIFY, notify_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(prefix)))
