"""Tarot: the menu, card of the day, three-card and Celtic cross readings on a question, history."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Sequence
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.utils import timezone, translation
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import routing
from bot.common import message_of
from bot.context import BotContext
from bot.sender import split_text, visible_length
from bot.tarot import keyboards, texts
from bot.tarot.keyboards import PREFIX
from bot.tarot.tasks import tarot_interpretation_enqueue
from bot.ui import callback_data
from horoscopes.tarot import SPREADS, Card, DrawnCard
from horoscopes.tarot.interpret import card_title
from horoscopes.tarot.models import TarotReading
from horoscopes.tarot.questions import Concern, question_clean
from horoscopes.tarot.render import spread_image
from horoscopes.tarot.selectors import (
    Allowance,
    HistoryPage,
    drawn_cards,
    tarot_allowance,
    tarot_card_pictures,
    tarot_daily_limit,
    tarot_deck,
    tarot_history_page,
    tarot_image_file_id,
    tarot_image_key,
    tarot_interpretation_in,
    tarot_local_date,
    tarot_picture_versions,
    tarot_reading_for_user,
    tarot_time_to_midnight,
)
from horoscopes.tarot.services import (
    TarotLimitReached,
    TarotPremiumRequired,
    TarotSensitiveQuestion,
    tarot_day_card_draw,
    tarot_image_remember,
    tarot_question_ask,
    tarot_question_forget,
    tarot_question_key,
    tarot_reading_draw,
    tarot_reading_shown,
)
from payments.selectors import user_is_premium

logger = logging.getLogger(__name__)

# Short codes in callback data for the reading kinds that take a question.
KIND_CODES = {"3": TarotReading.Kind.THREE, "cc": TarotReading.Kind.CELTIC_CROSS}
CODE_OF_KIND: dict[str, str] = {kind: code for code, kind in KIND_CODES.items()}
CAPTION_LIMIT = 1024
# A repeat of a reading's request within this time is taken as a double tap while the first is still showing.
SHOWING_GRACE = timedelta(seconds=30)
SAFE_TEXTS = {
    Concern.SELF_HARM: texts.SAFE_SELF_HARM,
    Concern.MEDICAL: texts.SAFE_MEDICAL,
    Concern.LEGAL: texts.SAFE_LEGAL,
    Concern.HARM: texts.SAFE_HARM,
}


def _lang() -> str:
    language = translation.get_language() or "ru"
    return "en" if language.startswith("en") else "ru"


def _unix(message: object) -> int:
    """When a message was sent, in Unix seconds (0 for a message too old for Telegram to tell)."""
    moment = getattr(message, "date", None)
    return int(moment.timestamp()) if moment is not None else 0


def _e(text: str) -> str:
    return html.escape(text, quote=False)


# --- text building ------------------------------------------------------------------------------------------


def _status_line(allowance: Allowance) -> str:
    return texts.remaining_line(premium=allowance.premium, remaining=allowance.remaining, limit=allowance.limit)


def _card_title(card: Card, drawn: DrawnCard, lang: str) -> str:
    return card_title(card, reversed=drawn.reversed, lang=lang)


def reading_caption(reading: TarotReading, deck: dict[str, Card], *, lang: str, footer: str = "") -> str:
    """The caption of a spread image: its name, the question and each position with its card."""
    spread = SPREADS[reading.kind]
    cards = [
        f"{drawn.position + 1}. {_e(spread.positions[drawn.position].name[lang])}: "
        f"<b>{_e(_card_title(deck[drawn.key], drawn, lang))}</b>"
        for drawn in drawn_cards(reading)
    ]
    title = f"<b>{_e(spread.name[lang])}</b> · {_e(texts.day_month(reading.local_date))}"
    # Long staff-edited names and a long question must still fit Telegram's caption: the question gives way.
    for room in (200, 80, 0):
        lines = [title]
        if reading.question and room:
            question = reading.question if len(reading.question) <= room else reading.question[: room - 1] + "…"
            lines.append(f"<i>{_e(str(texts.YOUR_QUESTION).format(question=question))}</i>")
        caption = "\n".join([*lines, "", *cards])
        if visible_length(caption) <= CAPTION_LIMIT:
            break
    else:
        caption = split_text(caption, CAPTION_LIMIT)[0]
    if footer and visible_length(caption) + visible_length(footer) + 2 <= CAPTION_LIMIT:
        caption += "\n\n" + footer
    return caption


def day_caption(reading: TarotReading, card: Card, *, lang: str, today: bool = True) -> tuple[str, str]:
    """The card of the day as (photo caption, text that did not fit in the caption); an old one says so."""
    [drawn] = drawn_cards(reading)
    keywords = ", ".join(card.keyword_list(reversed=drawn.reversed, lang=lang))
    head = (
        f"{texts.DAY_TITLE.format(date=_e(texts.day_month(reading.local_date)))}\n\n"
        f"<b>{_e(_card_title(card, drawn, lang))}</b>\n<i>{_e(keywords)}</i>"
    )
    sections = [
        _e(card.meaning(reversed=drawn.reversed, area="general", lang=lang)),
        texts.DAY_LOVE.format(text=_e(card.meaning(reversed=drawn.reversed, area="love", lang=lang))),
        texts.DAY_WORK.format(text=_e(card.meaning(reversed=drawn.reversed, area="work", lang=lang))),
        str(texts.DAY_FOOTER) if today else texts.DAY_FOOTER_PAST.format(date=_e(texts.day_month(reading.local_date))),
    ]
    caption = head
    rest: list[str] = []
    for section in sections:
        # Telegram counts the caption without the HTML tags; counting them too keeps us safely under.
        if not rest and len(caption) + 2 + len(section) <= CAPTION_LIMIT:
            caption += "\n\n" + section
        else:
            rest.append(section)
    return caption, "\n\n".join(rest)


# --- sending pictures -------------------------------------------------------------------------------------


async def _spread_picture(kind: str, cards: Sequence[DrawnCard], lang: str) -> bytes:
    """Render a spread with staff pictures; the drawing runs off the event loop."""
    pictures = await sync_to_async(tarot_card_pictures)([card.key for card in cards])
    custom = {key: picture.data for key, picture in pictures.items()}
    return await asyncio.to_thread(spread_image, kind, list(cards), lang=lang, custom=custom)


async def _send_picture(
    message: Message,
    *,
    file_id: str | None,
    kind: str,
    cards: Sequence[DrawnCard],
    lang: str,
    caption: str,
    reply_markup: InlineKeyboardMarkup | None,
) -> tuple[Message, bool]:
    """Send a spread image by its known file id, or render and upload it; (message, whether it was uploaded)."""
    if file_id:
        try:
            sent = await message.reply_photo(
                file_id, caption=caption, parse_mode=ParseMode.HTML, reply_markup=reply_markup
            )
            return sent, False
        except BadRequest as exc:
            logger.warning("Telegram refused a stored tarot file id (%s); uploading the image again", exc)
    picture = await _spread_picture(kind, cards, lang)
    sent = await message.reply_photo(
        picture, caption=caption, parse_mode=ParseMode.HTML, reply_markup=reply_markup, filename=f"{kind}.jpg"
    )
    return sent, True


async def _send_day_card(
    message: Message,
    reading: TarotReading,
    *,
    lang: str,
    reply_markup: InlineKeyboardMarkup | None,
    today: bool = True,
) -> None:
    """The card of the day: one of 156 pictures per language, each uploaded once and then sent by file id."""
    cards = drawn_cards(reading)
    keys = [card.key for card in cards]
    deck = await sync_to_async(tarot_deck)(keys)
    versions = await sync_to_async(tarot_picture_versions)(keys)
    image_key = tarot_image_key(kind="day", cards=cards, lang=lang, versions=versions)
    file_id = await sync_to_async(tarot_image_file_id)(image_key)
    caption, rest = day_caption(reading, deck[keys[0]], lang=lang, today=today)
    sent, uploaded = await _send_picture(
        message,
        file_id=file_id,
        kind="day",
        cards=cards,
        lang=lang,
        caption=caption,
        reply_markup=None if rest else reply_markup,
    )
    if uploaded:
        await sync_to_async(tarot_image_remember)(key=image_key, file_id=_largest_file_id(sent))
    if rest:
        await message.reply_text(rest, parse_mode=ParseMode.HTML, reply_markup=reply_markup)


def _largest_file_id(message: Message) -> str:
    return message.photo[-1].file_id if message.photo else ""


# --- the menu ----------------------------------------------------------------------------------------------


async def tarot_menu(update: Update, context: BotContext) -> None:
    """The tarot section: what there is and how many readings are left today."""
    user = context.user
    if user.state.startswith("tarot:"):
        await sync_to_async(tarot_question_forget)(user_id=user.pk)
    allowance = await sync_to_async(tarot_allowance)(user)
    text = f"{texts.MENU}\n\n{_status_line(allowance)}"
    await update.effective_message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=keyboards.menu_keyboard(allowance.premium)
    )


# --- card of the day ---------------------------------------------------------------------------------------


async def tarot_day(update: Update, context: BotContext) -> None:
    """Show the card of the day: drawn once per local day and stored, the same card all day."""
    user = context.user
    local_date = tarot_local_date(user)
    reading, _created = await sync_to_async(tarot_day_card_draw)(user_id=user.pk, local_date=local_date)
    await _send_day_card(message_of(update), reading, lang=_lang(), reply_markup=keyboards.after_day_keyboard())


# --- readings on a question ----------------------------------------------------------------------------------


async def _limit_reply(message: Message, context: BotContext, allowance: Allowance) -> None:
    wait = texts.wait_text(tarot_time_to_midnight(context.user))
    if allowance.premium:
        await message.reply_text(
            texts.LIMIT_PREMIUM.format(limit=allowance.limit, wait=wait),
            reply_markup=keyboards.history_keyboard(),
        )
        return
    await message.reply_text(
        texts.LIMIT_FREE.format(limit=tarot_daily_limit(premium=True), wait=wait),
        reply_markup=keyboards.premium_keyboard(),
    )


async def _premium_offer(message: Message) -> None:
    await message.reply_text(
        texts.PREMIUM_REQUIRED.format(limit=tarot_daily_limit(premium=True)),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.premium_keyboard(),
    )


async def tarot_ask(update: Update, context: BotContext, kind: str) -> None:
    """Start a reading: check what is allowed, then ask for the question (with a "no question" button)."""
    user = context.user
    message = message_of(update)
    if kind == TarotReading.Kind.CELTIC_CROSS and not user_is_premium(user):
        await _premium_offer(message)
        return
    allowance = await sync_to_async(tarot_allowance)(user)
    if not allowance.remaining:
        await _limit_reply(message, context, allowance)
        return
    prompt = texts.ASK_CELTIC if kind == TarotReading.Kind.CELTIC_CROSS else texts.ASK_THREE
    text = f"{prompt}\n\n{_status_line(allowance)}"
    keyboard = keyboards.no_question_keyboard(CODE_OF_KIND[kind])
    sent = await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    await sync_to_async(tarot_question_ask)(
        user=user, kind=kind, prompt_message_id=sent.message_id, prompt_sent_at=_unix(sent)
    )


async def _draw_and_show(
    update: Update, context: BotContext, *, kind: str, question: str, idempotency_key: str, prompt_id: int | None
) -> None:
    """Draw (or find, for a repeat) the reading, show its cards at once, and queue the interpretation."""
    user = context.user
    message = message_of(update)
    query = update.callback_query
    try:
        result = await sync_to_async(tarot_reading_draw)(
            user_id=user.pk, kind=kind, question=question, idempotency_key=idempotency_key
        )
    except TarotSensitiveQuestion as exc:
        if exc.concern == Concern.SELF_HARM:
            await sync_to_async(tarot_question_forget)(user_id=user.pk)
        await _answer(query)
        await message.reply_text(str(SAFE_TEXTS[exc.concern]))
        return
    except TarotPremiumRequired:
        await sync_to_async(tarot_question_forget)(user_id=user.pk)
        await _answer(query)
        await _premium_offer(message)
        return
    except TarotLimitReached as exc:
        await sync_to_async(tarot_question_forget)(user_id=user.pk)
        await _answer(query)
        await _limit_reply(message, context, exc.allowance)
        return
    reading = result.reading
    if not result.created and (reading.image_file_id or timezone.now() - reading.created_at < SHOWING_GRACE):
        # A second tap or a retried update: the cards are on the screen (or on their way), never draw again.
        if query is not None:
            await _answer(query, str(texts.ALREADY_DRAWN))
        else:
            await message.reply_text(str(texts.ALREADY_DRAWN))
        return
    await _answer(query)
    if prompt_id:
        await _drop_buttons(context, message.chat_id, prompt_id)
    lang = _lang()
    cards = drawn_cards(reading)
    deck = await sync_to_async(tarot_deck)([card.key for card in cards])
    footer = f"{texts.CARDS_COMING}\n{_status_line(result.allowance)}"
    sent, _uploaded = await _send_picture(
        message,
        file_id=None,
        kind=reading.kind,
        cards=cards,
        lang=lang,
        caption=reading_caption(reading, deck, lang=lang, footer=footer),
        reply_markup=keyboards.after_reading_keyboard(),
    )
    await sync_to_async(tarot_reading_shown)(reading_id=reading.pk, image_file_id=_largest_file_id(sent))
    await sync_to_async(tarot_interpretation_enqueue)(reading_id=reading.pk)


async def _drop_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    """Take the "no question" button off the prompt once the reading is drawn."""
    # Already gone, too old, or never had buttons: nothing to tidy.
    with contextlib.suppress(BadRequest):
        await context.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)


async def _answer(query: CallbackQuery | None, text: str | None = None) -> None:
    if query is None:
        return
    # A press too old to answer still gets the reply that follows.
    with contextlib.suppress(BadRequest):
        await query.answer(text)


async def tarot_question_message(update: Update, context: BotContext) -> None:
    """The user typed their question (conversation state tarot:question)."""
    user = context.user
    message = message_of(update)
    data = user.state_data if isinstance(user.state_data, dict) else {}
    kind = data.get("kind")
    if kind not in CODE_OF_KIND:
        await sync_to_async(tarot_question_forget)(user_id=user.pk)
        await tarot_menu(update, context)
        return
    question = message.text or message.caption or ""
    if not question_clean(question):
        await message.reply_text(str(texts.QUESTION_NOT_TEXT))
        return
    prompt_id, sent_at = data.get("prompt"), data.get("sent_at")
    if isinstance(prompt_id, int) and isinstance(sent_at, int):
        # Keyed to the prompt, so typing a question and pressing "no question" on it yield one reading.
        key = tarot_question_key(message_id=prompt_id, sent_at=sent_at)
    else:
        prompt_id, key = None, f"m:{message.message_id}:{_unix(message)}"
    await _draw_and_show(update, context, kind=kind, question=question, idempotency_key=key, prompt_id=prompt_id)


async def tarot_no_question(update: Update, context: BotContext, kind: str) -> None:
    """The "no question" button under a prompt: a general reading."""
    prompt = update.callback_query.message
    key = tarot_question_key(message_id=prompt.message_id, sent_at=_unix(prompt))
    await _draw_and_show(update, context, kind=kind, question="", idempotency_key=key, prompt_id=prompt.message_id)


# --- history ---------------------------------------------------------------------------------------------------


def _history_label(reading: TarotReading, deck: dict[str, Card], lang: str) -> str:
    icon = {"day": "🌅", "three": "🔮", "celtic_cross": "✝️"}[reading.kind]
    detail = reading.question or ", ".join(deck[card.key].name[lang] for card in drawn_cards(reading)[:2])
    label = f"{texts.short_date(reading.local_date)} {icon} {SPREADS[reading.kind].name[lang]}: {detail}"
    return label if len(label) <= 60 else label[:59] + "…"


def _history_markup(history: HistoryPage, deck: dict[str, Card], lang: str) -> InlineKeyboardMarkup:
    readings = [(_history_label(reading, deck, lang), reading.pk) for reading in history.readings]
    return keyboards.history_page_keyboard(readings, page=history.page, pages=history.pages)


def _history_deck(history: HistoryPage) -> dict[str, Card]:
    return tarot_deck({card.key for reading in history.readings for card in drawn_cards(reading)})


async def tarot_history(update: Update, context: BotContext, page: int, *, edit: bool) -> None:
    """A page of the user's readings as buttons; turning the page edits the same message."""
    history = await sync_to_async(tarot_history_page)(context.user, page=page)
    if not history.total:
        await update.effective_message.reply_text(str(texts.HISTORY_EMPTY), reply_markup=keyboards.day_keyboard())
        return
    deck = await sync_to_async(_history_deck)(history)
    text = texts.HISTORY_TITLE.format(page=history.page, pages=history.pages)
    markup = _history_markup(history, deck, _lang())
    if edit:
        try:
            await update.callback_query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def tarot_open(update: Update, context: BotContext, reading_id: int) -> None:
    """Show a past reading again: its picture (by file id when we have it) and its interpretation."""
    reading = await sync_to_async(tarot_reading_for_user)(context.user, reading_id)
    if reading is None:
        await _answer(update.callback_query, str(texts.READING_GONE))
        return
    await _answer(update.callback_query)
    lang = _lang()
    message = message_of(update)
    if reading.kind == TarotReading.Kind.DAY:
        today = reading.local_date == await sync_to_async(tarot_local_date)(context.user)
        await _send_day_card(message, reading, lang=lang, reply_markup=None, today=today)
        return
    cards = drawn_cards(reading)
    deck = await sync_to_async(tarot_deck)([card.key for card in cards])
    # The stored picture was drawn in the reading's language; in another language it is drawn again.
    file_id = reading.image_file_id if reading.language == lang else None
    footer = "" if reading.interpretation else str(texts.INTERPRETATION_PENDING)
    await _send_picture(
        message,
        file_id=file_id,
        kind=reading.kind,
        cards=cards,
        lang=lang,
        caption=reading_caption(reading, deck, lang=lang, footer=footer),
        reply_markup=None,
    )
    interpretation = await sync_to_async(tarot_interpretation_in)(reading, lang)
    if interpretation:
        if reading.language != lang:
            interpretation = f"{texts.RETOLD}\n\n{interpretation}"
        parts = split_text(interpretation)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await message.reply_text(
                part, parse_mode=ParseMode.HTML, reply_markup=keyboards.after_reading_keyboard() if last else None
            )


# --- Premium -----------------------------------------------------------------------------------------------------


async def tarot_premium(update: Update, context: BotContext) -> None:
    """The offer button: hand over to the Premium section."""
    handler = context.routes.menu.get("premium")
    if handler is None:
        await _answer(update.callback_query)
        await update.effective_message.reply_text(str(texts.PREMIUM_SOON))
        return
    await _answer(update.callback_query)
    await handler(update, context)


# --- buttons ------------------------------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and len(value) <= 18 else None
    except ValueError:
        return None


def _argument(update: Update) -> str | None:
    """The value after the action ("2" in "tr:h:2"), if any."""
    values = callback_data.arguments(update.callback_query.data)
    return values[0] if values else None


async def _pressed(update: Update, context: BotContext) -> bool:
    """Whether a press can be served (a message under it and a known user); if not, it is answered and dropped."""
    if update.callback_query.message is None or context.db_user is None:
        await _answer(update.callback_query)
        return False
    return True


async def tarot_menu_callback(update: Update, context: BotContext) -> None:
    """The "Tarot menu" button."""
    if not await _pressed(update, context):
        return
    await _answer(update.callback_query)
    await tarot_menu(update, context)


async def tarot_day_callback(update: Update, context: BotContext) -> None:
    """The "Card of the day" button."""
    if not await _pressed(update, context):
        return
    await _answer(update.callback_query)
    await tarot_day(update, context)


async def tarot_ask_callback(update: Update, context: BotContext) -> None:
    """A spread button (tr:ask:<kind code>): ask for the question."""
    if not await _pressed(update, context):
        return
    await _answer(update.callback_query)
    kind = KIND_CODES.get(_argument(update) or "")
    if kind is not None:
        await tarot_ask(update, context, kind)


async def tarot_no_question_callback(update: Update, context: BotContext) -> None:
    """The "no question" button under a prompt (tr:nq:<kind code>)."""
    if not await _pressed(update, context):
        return
    kind = KIND_CODES.get(_argument(update) or "")
    if kind is None:
        await _answer(update.callback_query)
        return
    await tarot_no_question(update, context, kind)


async def tarot_history_callback(update: Update, context: BotContext) -> None:
    """The "History" button (tr:h:<page>): a page of past readings as a new message."""
    await _history_pressed(update, context, edit=False)


async def tarot_history_page_callback(update: Update, context: BotContext) -> None:
    """A page turner under the history (tr:hp:<page>): the page in place of the old one."""
    await _history_pressed(update, context, edit=True)


async def _history_pressed(update: Update, context: BotContext, *, edit: bool) -> None:
    if not await _pressed(update, context):
        return
    await _answer(update.callback_query)
    page = _int(_argument(update))
    if page is not None:
        await tarot_history(update, context, page, edit=edit)


async def tarot_open_callback(update: Update, context: BotContext) -> None:
    """A past reading in the history (tr:o:<reading id>): show it again."""
    if not await _pressed(update, context):
        return
    reading_id = _int(_argument(update))
    if reading_id is None:
        await _answer(update.callback_query)
        return
    await tarot_open(update, context, reading_id)


async def tarot_premium_callback(update: Update, context: BotContext) -> None:
    """The "Premium" button under an offer."""
    if not await _pressed(update, context):
        return
    await tarot_premium(update, context)


async def tarot_other_callback(update: Update, context: BotContext) -> None:
    """Any other tarot button (an old or malformed one): answered and ignored."""
    await _answer(update.callback_query)


async def tarot_command(update: Update, context: BotContext) -> None:
    """/tarot: the tarot menu."""
    await tarot_menu(update, context)


def register(application: Application) -> None:
    """/tarot and every tarot button."""
    application.add_handler(CommandHandler("tarot", tarot_command, filters=routing.NEW_MESSAGE))
    for action, handler in (
        (keyboards.MENU, tarot_menu_callback),
        (keyboards.DAY, tarot_day_callback),
        (keyboards.ASK, tarot_ask_callback),
        (keyboards.NO_QUESTION, tarot_no_question_callback),
        (keyboards.HISTORY, tarot_history_callback),
        (keyboards.HISTORY_PAGE, tarot_history_page_callback),
        (keyboards.OPEN, tarot_open_callback),
        (keyboards.PREMIUM, tarot_premium_callback),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(PREFIX, action)))
    application.add_handler(CallbackQueryHandler(tarot_other_callback, pattern=callback_data.pattern(PREFIX)))
