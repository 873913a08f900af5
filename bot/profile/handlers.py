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
    button,
    notify_request,
    send,
    sign_title,
    state_set,
    tz_request,
)
from bot.ui import callback_data
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
LANGUAGE_NAMES = {Language.RU: "Русский", Language.EN: "English"}


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
                button(t.BUTTON_EDIT_DATE, CB_PROFILE, "date"),
                button(t.BUTTON_EDIT_TIME, CB_PROFILE, "time"),
                button(t.BUTTON_EDIT_PLACE, CB_PROFILE, "place"),
            ],
            [button(t.BUTTON_EDIT_TZ, CB_PROFILE, "tz"), button(t.BUTTON_EDIT_NOTIFY, CB_PROFILE, "notify")],
            [button(toggle, CB_PROFILE, "toggle")],
            [button(t.BUTTON_LANGUAGE, CB_PROFILE, "lang"), button(t.BUTTON_INVITE, CB_PROFILE, "invite")],
            [button(t.BUTTON_MY_DATA, CB_PROFILE, "data"), button(t.BUTTON_DELETE, CB_PROFILE, "delete")],
        ]
    )


async def profile_show(update: Update, context: BotContext) -> None:
    """Show the profile card (/profile, the menu button, and after each change)."""
    if context.db_user is None:
        return
    if context.db_user.state:
        await state_set(context)
    await send(update, profile_text(context.db_user, context.language), profile_buttons(context.db_user))


async def profile_callback(update: Update, context: BotContext) -> None:
    """The buttons under the profile card."""
    query = update.callback_query
    _, values = callback_data.parse(query.data)
    action = values[0] if values else ""
    if context.db_user is None:
        await query.answer(str(texts.BUTTON_OUTDATED))
        return
    if action == "toggle":
        await _notify_toggle(update, context)
        return
    # The card keeps its buttons: it stays a menu of what can be changed.
    await query.answer()
    if action in ("date", "time", "place"):
        await birth_data_edit(update, context, step=action, resume=RESUME_PROFILE)
    elif action == "tz":
        await tz_request(update, context, resume=RESUME_PROFILE)
    elif action == "notify":
        await notify_request(update, context, resume=RESUME_PROFILE)
    elif action == "lang":
        await _language(update, context, values[1:])
    elif action == "invite":
        await _invite(update, context)
    elif action == "data":
        await privacy.my_data_send(update, context)
    elif action == "delete":
        await privacy.delete_ask(update, context)
    else:
        await profile_show(update, context)


async def _notify_toggle(update: Update, context: BotContext) -> None:
    """Turn the daily notification on or off and redraw the card in place."""
    user = context.db_user
    context.db_user = await sync_to_async(user_set_notify)(user_id=user.pk, enabled=not user.notify_enabled)
    user = context.db_user
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
            [[button(name, CB_PROFILE, "lang", code) for code, name in LANGUAGE_NAMES.items()]]
        )
        await send(update, texts.CHOOSE_LANGUAGE, choice)
        return
    try:
        context.db_user = await sync_to_async(user_set_language)(user=context.db_user, language=values[0])
    except ValueError:
        return
    # The whole interface follows at once: the menu keyboard, then the card.
    translation.activate(context.db_user.language)
    await send(update, texts.LANGUAGE_CHANGED, keyboards.main_menu())
    await profile_show(update, context)


async def _invite(update: Update, context: BotContext) -> None:
    user = context.db_user
    code = await sync_to_async(user_invite_code)(user_id=user.pk)
    count = await sync_to_async(user_invited_count)(user)
    joined = translation.ngettext(
        "%(count)d friend has joined through your link so far.",
        "%(count)d friends have joined through your link so far.",
        count,
    ) % {"count": count}
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
    application.add_handler(CallbackQueryHandler(profile_callback, pattern=callback_data.pattern(CB_PROFILE)))
    profile_flow.register(application)
