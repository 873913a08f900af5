"""/profile: everything stored about the user, with a button to change each part.

The questions themselves (birth data, time zone, daily time) live in profile_flow; other features reuse
them through `birth_data_request(update, context, resume=...)` (see bot.routing for continuations).
"""

import html

from asgiref.sync import sync_to_async
from django.utils import translation
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.context import BotContext
from bot.menu import keyboards, texts
from bot.privacy import handlers as privacy
from bot.profile import flow as profile_flow
from bot.profile import texts as t
from bot.profile.flow import (
    RESUME_PROFILE,
    birth_data_edit,
    notify_request,
    send,
    sign_title,
    state_set,
    tz_request,
)
from bot.ui import buttons, callback_data
from payments.selectors import user_is_premium
from users.models import Language, TelegramUser
from users.selectors import (
    offset_text,
    tz_label,
    user_birth_data_missing,
    user_birthplace_name,
    user_invited_count,
    user_zone,
    zone_or_none,
)
from users.services import INVITE_PREFIX, user_invite_code, user_set_language, user_set_notify

CB_PROFILE = "pf"
# Actions of the card's buttons: pf:date, pf:time, pf:place (a birth data question again), pf:tz, pf:notify,
# pf:toggle (notifications on/off), pf:lang[:<code>], pf:invite, pf:data (/my_data), pf:delete (/delete_me).
DATE, TIME, PLACE = "date", "time", "place"
TZ = "tz"
NOTIFY = "notify"
TOGGLE = "toggle"
LANGUAGE = "lang"
INVITE = "invite"
DATA = "data"
DELETE = "delete"
LANGUAGE_NAMES: dict[str, str] = {Language.RU: "Русский", Language.EN: "English"}


def profile_text(user: TelegramUser, lang: str) -> str:
    """The profile card: every setting and piece of birth data, in the user's language."""
    lines = [str(t.PROFILE_TITLE), ""]
    if user.birth_date is not None:
        value = f"{t.format_date(user.birth_date, lang)} · {sign_title(user.sign, lang)}"
        lines.append(t.PROFILE_BIRTH_DATE.format(value=value))
    else:
        chosen_sign = f" · {sign_title(user.sign, lang)}" if user.sign else ""
        lines.append(str(t.PROFILE_BIRTH_DATE_NONE) + chosen_sign)
    if user.birth_time is not None:
        value = t.format_time(user.birth_time)
        zone = zone_or_none(user.birth_tz)
        if user.birth_time_fold is not None and user.birth_utc is not None and zone is not None:
            # A time that happened twice that night: say which of the two.
            value += f" ({offset_text(user.birth_utc.astimezone(zone).utcoffset())})"
        lines.append(t.PROFILE_BIRTH_TIME.format(value=value))
    else:
        lines.append(str(t.PROFILE_BIRTH_TIME_UNKNOWN if user.birth_time_unknown else t.PROFILE_BIRTH_TIME_NONE))
    if user.birth_tz:
        lines.append(t.PROFILE_BIRTH_PLACE.format(value=html.escape(user_birthplace_name(user, lang))))
    else:
        lines.append(str(t.PROFILE_BIRTH_PLACE_NONE))
    lines.append(t.PROFILE_TZ.format(value=html.escape(tz_label(user.current_tz, lang))))
    if user.notify_enabled:
        lines.append(t.PROFILE_NOTIFY_AT.format(time=t.format_time(user.notify_time)))
    else:
        lines.append(str(t.PROFILE_NOTIFY_OFF))
    lines.append(t.PROFILE_LANGUAGE.format(value=LANGUAGE_NAMES.get(user.language, user.language)))
    if user_is_premium(user):
        until = user.premium_until.astimezone(user_zone(user)).date()
        lines.append(t.PROFILE_PREMIUM_UNTIL.format(date=t.format_date(until, lang)))
    else:
        lines.append(str(t.PROFILE_PREMIUM_NONE))
    missing = user_birth_data_missing(user)
    if "date" in missing:
        lines += ["", str(t.PROFILE_MISSING_DATE)]
    elif missing:
        lines += ["", str(t.PROFILE_MISSING)]
    return "\n".join(lines)


def profile_buttons(user: TelegramUser) -> InlineKeyboardMarkup:
    """A button for each thing the user can change."""
    toggle = t.BUTTON_NOTIFY_OFF if user.notify_enabled else t.BUTTON_NOTIFY_ON
    return InlineKeyboardMarkup(
        [
            [
                buttons.callback(t.BUTTON_EDIT_DATE, CB_PROFILE, DATE),
                buttons.callback(t.BUTTON_EDIT_TIME, CB_PROFILE, TIME),
                buttons.callback(t.BUTTON_EDIT_PLACE, CB_PROFILE, PLACE),
            ],
            [
                buttons.callback(t.BUTTON_EDIT_TZ, CB_PROFILE, TZ),
                buttons.callback(t.BUTTON_EDIT_NOTIFY, CB_PROFILE, NOTIFY),
            ],
            [buttons.callback(toggle, CB_PROFILE, TOGGLE)],
            [
                buttons.callback(t.BUTTON_LANGUAGE, CB_PROFILE, LANGUAGE),
                buttons.callback(t.BUTTON_INVITE, CB_PROFILE, INVITE),
            ],
            [
                buttons.callback(t.BUTTON_MY_DATA, CB_PROFILE, DATA),
                buttons.callback(t.BUTTON_DELETE, CB_PROFILE, DELETE),
            ],
        ]
    )


async def profile_show(update: Update, context: BotContext) -> None:
    """Show the profile card (/profile, the menu button, and after each change)."""
    if context.db_user is None:
        return
    if context.user.state:
        await state_set(context)
    await send(update, profile_text(context.user, context.language), profile_buttons(context.user))


async def _pressed(update: Update, context: BotContext) -> bool:
    """Answer a press on the card; False (the button is outdated) when the user is not known."""
    if context.db_user is None:
        await update.callback_query.answer(str(texts.BUTTON_OUTDATED))
        return False
    # The card keeps its buttons: it stays a menu of what can be changed.
    await update.callback_query.answer()
    return True


async def profile_date_callback(update: Update, context: BotContext) -> None:
    """ "Birth date": ask it again, then back to the card."""
    if await _pressed(update, context):
        await birth_data_edit(update, context, step="date", resume=RESUME_PROFILE)


async def profile_time_callback(update: Update, context: BotContext) -> None:
    """ "Birth time": ask it again, then back to the card."""
    if await _pressed(update, context):
        await birth_data_edit(update, context, step="time", resume=RESUME_PROFILE)


async def profile_place_callback(update: Update, context: BotContext) -> None:
    """ "Birthplace": ask it again, then back to the card."""
    if await _pressed(update, context):
        await birth_data_edit(update, context, step="place", resume=RESUME_PROFILE)


async def profile_tz_callback(update: Update, context: BotContext) -> None:
    """ "Time zone": ask where the user lives now, then back to the card."""
    if await _pressed(update, context):
        await tz_request(update, context, resume=RESUME_PROFILE)


async def profile_notify_callback(update: Update, context: BotContext) -> None:
    """ "Daily horoscope time": ask it, then back to the card."""
    if await _pressed(update, context):
        await notify_request(update, context, resume=RESUME_PROFILE)


async def profile_toggle_callback(update: Update, context: BotContext) -> None:
    """Notifications on/off: redraw the card in place."""
    if context.db_user is None:
        await update.callback_query.answer(str(texts.BUTTON_OUTDATED))
        return
    await _notify_toggle(update, context)


async def profile_language_callback(update: Update, context: BotContext) -> None:
    """ "Language" (pf:lang): the choice; a language (pf:lang:<code>): switch to it."""
    if await _pressed(update, context):
        await _language(update, context, callback_data.arguments(update.callback_query.data))


async def profile_invite_callback(update: Update, context: BotContext) -> None:
    """ "Invite friends": the user's invite link and how many joined."""
    if await _pressed(update, context):
        await _invite(update, context)


async def profile_data_callback(update: Update, context: BotContext) -> None:
    """ "My data": everything stored, as /my_data."""
    if await _pressed(update, context):
        await privacy.my_data_send(update, context)


async def profile_delete_callback(update: Update, context: BotContext) -> None:
    """ "Delete my data": the question of /delete_me."""
    if await _pressed(update, context):
        await privacy.delete_ask(update, context)


async def profile_other_callback(update: Update, context: BotContext) -> None:
    """Any other button of the card (stale or forged): the card again."""
    if await _pressed(update, context):
        await profile_show(update, context)


async def _notify_toggle(update: Update, context: BotContext) -> None:
    """Turn the daily notification on or off and redraw the card in place."""
    user = context.user
    context.db_user = await sync_to_async(user_set_notify)(user_id=user.pk, enabled=not user.notify_enabled)
    user = context.user
    notice = t.NOTIFY_ON.format(time=t.format_time(user.notify_time)) if user.notify_enabled else t.NOTIFY_OFF
    query = update.callback_query
    await query.answer(str(notice))
    try:
        await query.edit_message_text(
            profile_text(user, context.language), parse_mode=ParseMode.HTML, reply_markup=profile_buttons(user)
        )
    except BadRequest:
        await profile_show(update, context)


async def _language(update: Update, context: BotContext, values: list[str]) -> None:
    if not values:
        choice = InlineKeyboardMarkup(
            [[buttons.callback(name, CB_PROFILE, LANGUAGE, code) for code, name in LANGUAGE_NAMES.items()]]
        )
        await send(update, texts.CHOOSE_LANGUAGE, choice)
        return
    try:
        context.db_user = await sync_to_async(user_set_language)(user=context.user, language=values[0])
    except ValueError:
        return
    # The whole interface follows at once: the menu keyboard, then the card.
    translation.activate(context.user.language)
    await send(update, texts.LANGUAGE_CHANGED, keyboards.main_menu())
    await profile_show(update, context)


def invited_text(count: int) -> str:
    """How many friends came through the link, for a count of at least one."""
    return translation.ngettext(
        "%(count)d friend has joined through your link so far.",
        "%(count)d friends have joined through your link so far.",
        count,
    ) % {"count": count}


async def _invite(update: Update, context: BotContext) -> None:
    user = context.user
    code = await sync_to_async(user_invite_code)(user_id=user.pk)
    count = await sync_to_async(user_invited_count)(user)
    joined = str(t.INVITE_NOBODY_YET) if count == 0 else invited_text(count)
    payload = f"{INVITE_PREFIX}{code}"
    try:
        link = f"https://t.me/{context.bot.username}?start={payload}"
    except RuntimeError:  # the bot's own identity is not known yet (not initialised)
        await send(update, t.INVITE_NO_LINK.format(payload=payload, joined=joined))
        return
    await update.effective_chat.send_message(
        t.INVITE.format(link=link, joined=joined), parse_mode=ParseMode.HTML, disable_web_page_preview=True
    )


async def profile_command(update: Update, context: BotContext) -> None:
    """/profile."""
    await profile_show(update, context)


def register(application: Application) -> None:
    """/profile, the card's buttons and the questions' buttons."""
    application.add_handler(CommandHandler("profile", profile_command, filters=routing.NEW_MESSAGE))
    for action, handler in (
        (DATE, profile_date_callback),
        (TIME, profile_time_callback),
        (PLACE, profile_place_callback),
        (TZ, profile_tz_callback),
        (NOTIFY, profile_notify_callback),
        (TOGGLE, profile_toggle_callback),
        (LANGUAGE, profile_language_callback),
        (INVITE, profile_invite_callback),
        (DATA, profile_data_callback),
        (DELETE, profile_delete_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(CB_PROFILE, action)))
    application.add_handler(CallbackQueryHandler(profile_other_callback, pattern=callback_data.pattern(CB_PROFILE)))
    profile_flow.register(application)
