"""The fake Bot API and the fake OpenAI server, driven by the real python-telegram-bot and openai clients."""

from __future__ import annotations

import asyncio
import base64
import datetime as dtm
import io
import json
import socket
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    ChatMemberBanned,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    LabeledPrice,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.console.fake_api import (
    ApiCall,
    ApiError,
    FakeBotAPI,
    image_size,
    parse_html,
    solid_png,
    utf16_len,
)
from tests.fakes.openai_server import FakeOpenAI

T = TypeVar("T")
CHAT = 700100
# PTB's own RetryAfter constructor warns about its int -> timedelta migration; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A started fake Bot API; its own bugs fail the test."""
    with FakeBotAPI() as server:
        yield server
        assert server.errors == []


def run_bot(fake: FakeBotAPI, scenario: Callable[[Bot], Awaitable[T]]) -> T:
    """Run a scenario against the fake with a real PTB Bot in a fresh event loop."""

    async def main() -> T:
        async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
            return await scenario(bot)

    return asyncio.run(main())


def seconds(value: int | float | dtm.timedelta) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA."""
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def retry_after_of(exc: RetryAfter) -> float:
    """The retry_after of a RetryAfter without PTB's deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return seconds(exc.retry_after)


def png_of(width: int, height: int) -> bytes:
    """A real PNG made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# --- identity, messages, formatting --------------------------------------------------------------------


def test_get_me_is_the_fake_bot_with_the_token_id(fake: FakeBotAPI) -> None:
    me = run_bot(fake, lambda bot: bot.get_me())
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        123456,
        True,
        "Astrobot (fake)",
        "astrobot_fake_bot",
    )
    assert me.can_join_groups is True
    assert fake.calls_to("getMe")[0].status == 200


def test_send_message_echoes_inline_keyboard_and_numbers_messages_per_chat(fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Гороскоп", callback_data="horo:today")]])

    async def scenario(bot: Bot) -> list[Any]:
        first = await bot.send_message(CHAT, "Привет", reply_markup=keyboard)
        second = await bot.send_message(CHAT, "Ещё")
        other = await bot.send_message(CHAT + 1, "Hello")
        return [first, second, other]

    first, second, other = run_bot(fake, scenario)
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.id == CHAT and first.chat.type == "private" and first.from_user.is_bot
    assert first.text == "Привет"
    assert first.reply_markup == keyboard
    assert second.reply_markup is None
    sent = fake.sent_to(CHAT)
    assert [call.params["text"] for call in sent] == ["Привет", "Ещё"]
    assert sent[0].params["chat_id"] == CHAT
    assert sent[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "horo:today"


def test_html_parse_mode_gives_plain_text_with_utf16_entities(fake: FakeBotAPI) -> None:
    message = run_bot(
        fake,
        lambda bot: bot.send_message(CHAT, "♈️ <b>Овен</b> &amp; <a href='https://t.me/x'>link</a>", "HTML"),
    )
    assert message.text == "♈️ Овен & link"
    bold, link = message.entities
    assert (bold.type, bold.offset, bold.length) == ("bold", 3, 4)
    assert (link.type, link.url) == ("text_link", "https://t.me/x")


def test_html_with_an_unknown_tag_or_unclosed_tag_is_refused_like_telegram(fake: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
        run_bot(fake, lambda bot: bot.send_message(CHAT, "a <br> b", parse_mode="HTML"))
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        run_bot(fake, lambda bot: bot.send_message(CHAT, "<b>bold", parse_mode="HTML"))
    assert fake.sent_to(CHAT)[-1].status == 400


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "(?i)message text is empty"), ("   ", "(?i)message text is empty"), ("x" * 4097, "(?i)too long")],
)
def test_send_message_refuses_empty_and_too_long_text(fake: FakeBotAPI, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=error):
        run_bot(fake, lambda bot: bot.send_message(CHAT, text))


def test_send_message_without_chat_id_or_text_is_a_bad_request(fake: FakeBotAPI) -> None:
    url = f"{fake.base_url}{fake.token}/sendMessage"
    no_chat = httpx.post(url, data={"text": "hi"})
    no_text = httpx.post(url, data={"chat_id": str(CHAT)})
    assert no_chat.status_code == 400
    assert no_chat.json() == {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
    assert no_text.json()["description"] == "Bad Request: message text is empty"


def test_callback_data_longer_than_64_bytes_is_refused(fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="ж" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        run_bot(fake, lambda bot: bot.send_message(CHAT, "hi", reply_markup=keyboard))


# --- files -----------------------------------------------------------------------------------------------


def test_send_photo_bytes_then_by_file_id_and_download_it(fake: FakeBotAPI) -> None:
    picture = png_of(1000, 500)

    async def scenario(bot: Bot) -> tuple[Any, Any, bytes]:
        first = await bot.send_photo(CHAT, picture, caption="<i>Карта</i>", parse_mode="HTML")
        again = await bot.send_photo(CHAT, first.photo[-1].file_id)
        file = await bot.get_file(first.photo[-1].file_id)
        return first, again, bytes(await file.download_as_bytearray())

    first, again, downloaded = run_bot(fake, scenario)
    assert [(size.width, size.height) for size in first.photo] == [
        (90, 45),
        (320, 160),
        (800, 400),
        (1000, 500),
    ]
    assert first.caption == "Карта" and first.caption_entities[0].type == "italic"
    assert again.photo[-1].file_id == first.photo[-1].file_id
    assert downloaded == picture
    upload = fake.calls_to("sendPhoto")[0]
    assert upload.files["photo"] == picture


def test_send_photo_of_bytes_that_are_not_an_image_fails_like_telegram(fake: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        run_bot(fake, lambda bot: bot.send_photo(CHAT, b"definitely not a picture"))
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        run_bot(fake, lambda bot: bot.send_photo(CHAT, "no-such-file-id"))


def test_send_document_and_media_group(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[Any, Any]:
        document = await bot.send_document(CHAT, b'{"a": 1}', filename="my_data.json", caption="Ваши данные")
        album = await bot.send_media_group(CHAT, [InputMediaPhoto(png_of(30, 20)), InputMediaPhoto(png_of(20, 30))])
        return document, album

    document, album = run_bot(fake, scenario)
    assert document.document.file_name == "my_data.json"
    assert document.document.file_size == 8
    assert document.caption == "Ваши данные"
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    assert [message.photo[-1].width for message in album] == [30, 20]
    assert [message.message_id for message in album] == [2, 3]


def test_image_size_reads_common_formats() -> None:
    for image_format in ("PNG", "JPEG", "GIF", "WEBP", "BMP"):
        buffer = io.BytesIO()
        Image.new("RGB", (123, 45), (200, 10, 10)).save(buffer, image_format)
        assert image_size(buffer.getvalue()) == (123, 45), image_format
    assert image_size(b"plain text") is None
    assert Image.open(io.BytesIO(solid_png(7, 3))).size == (7, 3)


def test_edit_message_media_location_member_and_star_balance(fake: FakeBotAPI) -> None:
    fake.make_successful_payment_update(CHAT, "pay_9", total_amount=90, charge_id="c9")

    async def scenario(bot: Bot) -> tuple[Any, Any, Any, Any]:
        card = await bot.send_photo(CHAT, png_of(40, 60), caption="Рубашка")
        flipped = await bot.edit_message_media(
            InputMediaPhoto(png_of(60, 40), caption="Шут"), chat_id=CHAT, message_id=card.message_id
        )
        with pytest.raises(BadRequest, match=r"(?i)no media in the message"):
            text = await bot.send_message(CHAT, "text only")
            await bot.edit_message_media(InputMediaDocument(b"x", filename="a.txt"), CHAT, text.message_id)
        pin = await bot.send_location(CHAT, 55.75, 37.62)
        member = await bot.get_chat_member(CHAT, CHAT)
        return flipped, pin, member, await bot.get_my_star_balance()

    flipped, pin, member, balance = run_bot(fake, scenario)
    assert (flipped.photo[-1].width, flipped.caption) == (60, "Шут")
    assert (pin.location.latitude, pin.location.longitude) == (55.75, 37.62)
    assert member.status == "member" and member.user.id == CHAT
    assert balance.amount == 90


# --- edits, callbacks ------------------------------------------------------------------------------------


def test_edit_message_text_updates_the_message_and_refuses_a_no_op_edit(fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Далее", callback_data="next")]])

    async def scenario(bot: Bot) -> Any:
        sent = await bot.send_message(CHAT, "Шаг 1", reply_markup=keyboard)
        edited = await bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard)
        without_keyboard = await bot.edit_message_text("Шаг 2", chat_id=CHAT, message_id=sent.message_id)
        return edited, without_keyboard

    edited, without_keyboard = run_bot(fake, scenario)
    assert edited.text == "Шаг 2" and edited.edit_date is not None and edited.reply_markup == keyboard
    assert without_keyboard.reply_markup is None
    assert fake.message(CHAT, edited.message_id)["text"] == "Шаг 2"


def test_delete_twice_and_edit_after_delete_fail(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "bye")
        assert await bot.delete_message(CHAT, sent.message_id) is True
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(CHAT, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("x", chat_id=CHAT, message_id=sent.message_id)

    run_bot(fake, scenario)
    assert fake.message(CHAT, 1) is None


def test_callback_update_parses_and_is_answered_once(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> Update:
        sent = await bot.send_message(
            CHAT,
            "Карта дня",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ещё", callback_data="more")]]),
        )
        update = Update.de_json(fake.make_callback_update(CHAT, sent.message_id, "more"), bot)
        assert await bot.answer_callback_query(update.callback_query.id, text="Готово") is True
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(update.callback_query.id)
        return update

    update = run_bot(fake, scenario)
    assert update.callback_query.data == "more"
    assert update.callback_query.message.text == "Карта дня"
    assert update.callback_query.from_user.id == CHAT


# --- payments --------------------------------------------------------------------------------------------


def test_send_invoice_in_stars_and_the_payment_updates(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[Any, Update, Update]:
        invoice = await bot.send_invoice(
            CHAT, "Premium", "30 дней Premium", "pay_0001", "XTR", [LabeledPrice("30 дней", 250)]
        )
        checkout = Update.de_json(fake.make_pre_checkout_update(CHAT, "pay_0001"), bot)
        assert await bot.answer_pre_checkout_query(checkout.pre_checkout_query.id, ok=True) is True
        paid = Update.de_json(fake.make_successful_payment_update(CHAT, "pay_0001"), bot)
        return invoice, checkout, paid

    invoice, checkout, paid = run_bot(fake, scenario)
    assert (invoice.invoice.currency, invoice.invoice.total_amount, invoice.invoice.title) == (
        "XTR",
        250,
        "Premium",
    )
    assert (checkout.pre_checkout_query.total_amount, checkout.pre_checkout_query.currency) == (250, "XTR")
    payment = paid.message.successful_payment
    assert payment.invoice_payload == "pay_0001" and payment.total_amount == 250
    assert fake.calls_to("sendInvoice")[0].params["prices"] == [{"label": "30 дней", "amount": 250}]


def test_stars_invoice_with_two_prices_or_a_provider_token_is_refused(fake: FakeBotAPI) -> None:
    prices = [LabeledPrice("a", 100), LabeledPrice("b", 50)]
    with pytest.raises(BadRequest, match=r"(?i)STARS_INVOICE_INVALID"):
        run_bot(fake, lambda bot: bot.send_invoice(CHAT, "Premium", "d", "p1", "XTR", prices))
    with pytest.raises(BadRequest, match=r"(?i)PAYMENT_PROVIDER_INVALID"):
        run_bot(
            fake,
            lambda bot: bot.send_invoice(CHAT, "Premium", "d", "p1", "XTR", prices[:1], provider_token="tok"),
        )


def test_create_invoice_link_with_a_stars_subscription(fake: FakeBotAPI) -> None:
    link = run_bot(
        fake,
        lambda bot: bot.create_invoice_link(
            "Premium",
            "Каждые 30 дней",
            "sub_0001",
            "XTR",
            [LabeledPrice("Месяц", 300)],
            subscription_period=2592000,
        ),
    )
    assert link.startswith("https://t.me/$")
    assert fake.calls_to("createInvoiceLink")[0].params["subscription_period"] == 2592000
    with pytest.raises(BadRequest, match=r"(?i)SUBSCRIPTION_PERIOD_INVALID"):
        run_bot(
            fake,
            lambda bot: bot.create_invoice_link(
                "Premium", "d", "sub_2", "XTR", [LabeledPrice("m", 300)], subscription_period=86400
            ),
        )


def test_star_transactions_refunds_and_subscription_edits(fake: FakeBotAPI) -> None:
    fake.make_successful_payment_update(CHAT, "pay_1", total_amount=250, charge_id="charge-1")
    fake.add_star_transaction({"id": "manual-2", "amount": 100})

    async def scenario(bot: Bot) -> Any:
        assert await bot.refund_star_payment(CHAT, "charge-1") is True
        with pytest.raises(BadRequest, match=r"(?i)CHARGE_ALREADY_REFUNDED"):
            await bot.refund_star_payment(CHAT, "charge-1")
        assert await bot.edit_user_star_subscription(CHAT, "charge-1", is_canceled=True) is True
        return await bot.get_star_transactions()

    transactions = run_bot(fake, scenario).transactions
    assert [(tx.id, tx.amount) for tx in transactions] == [
        ("charge-1", 250),
        ("manual-2", 100),
        ("charge-1", 250),
    ]
    assert transactions[0].source.user.id == CHAT
    assert transactions[2].receiver.user.id == CHAT and transactions[2].source is None


# --- webhook, commands, updates --------------------------------------------------------------------------


def test_webhook_set_info_error_and_delete(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[Any, Any]:
        assert await bot.set_webhook(
            "https://astro.example.com/tg/webhook", secret_token="s3cr3t-Token_1", allowed_updates=["message"]
        )
        fake.set_webhook_error("Wrong response from the webhook: 500 Internal Server Error")
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict):
            await bot.get_updates()
        assert await bot.delete_webhook() is True
        return info, await bot.get_webhook_info()

    info, after = run_bot(fake, scenario)
    assert info.url == "https://astro.example.com/tg/webhook"
    assert info.allowed_updates == ("message",) and info.max_connections == 40
    assert info.last_error_message.startswith("Wrong response") and info.last_error_date is not None
    assert after.url == "" and after.pending_update_count == 0
    assert fake.calls_to("setWebhook")[0].params["secret_token"] == "s3cr3t-Token_1"


def test_webhook_needs_https_on_an_allowed_port(fake: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match=r"(?i)HTTPS URL must be provided"):
        run_bot(fake, lambda bot: bot.set_webhook("http://127.0.0.1:8000/tg"))
    with pytest.raises(BadRequest, match=r"(?i)ports 80, 88, 443 or 8443"):
        run_bot(fake, lambda bot: bot.set_webhook("https://example.com:8000/tg"))


def test_set_and_get_my_commands_per_language(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[Any, Any]:
        await bot.set_my_commands([BotCommand("start", "Начать"), BotCommand("profile", "Профиль")], language_code="ru")
        await bot.set_my_commands([BotCommand("start", "Start")])
        return await bot.get_my_commands(language_code="ru"), await bot.get_my_commands()

    russian, default = run_bot(fake, scenario)
    assert [command.command for command in russian] == ["start", "profile"]
    assert [command.description for command in default] == ["Start"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        run_bot(fake, lambda bot: bot.set_my_commands([BotCommand("Start-Now", "x")]))


def test_get_updates_with_offset_and_allowed_updates(fake: FakeBotAPI) -> None:
    first = fake.push_update(fake.make_message_update(CHAT, "/start ref_42"))
    fake.push_update(fake.make_chat_member_update(CHAT, "kicked"))
    fake.push_update({"message_reaction": {"chat": {"id": CHAT, "type": "private"}}})

    async def scenario(bot: Bot) -> tuple[Any, Any, Any]:
        batch = await bot.get_updates(timeout=0)
        confirmed = await bot.get_updates(offset=batch[-1].update_id + 1, timeout=0)
        third = fake.push_update(fake.make_message_update(CHAT, "hi"))
        only_callbacks = await bot.get_updates(offset=third, timeout=0, allowed_updates=["callback_query"])
        return batch, confirmed, only_callbacks

    batch, confirmed, only_callbacks = run_bot(fake, scenario)
    assert [update.update_id for update in batch] == [first, first + 1]
    start = batch[0].message
    assert start.text == "/start ref_42" and start.entities[0].type == "bot_command"
    assert isinstance(batch[1].my_chat_member.new_chat_member, ChatMemberBanned)
    assert confirmed == () and only_callbacks == ()
    assert len(fake.calls_to("getUpdates")) == 3 and fake.sent_to(CHAT) == []


def test_get_updates_long_polls_until_an_update_arrives(fake: FakeBotAPI) -> None:
    timer = threading.Timer(0.3, lambda: fake.push_update(fake.make_message_update(CHAT, "late")))
    timer.start()
    started = time.monotonic()
    updates = run_bot(fake, lambda bot: bot.get_updates(timeout=5))
    elapsed = time.monotonic() - started
    assert [update.message.text for update in updates] == ["late"]
    assert 0.25 < elapsed < 3


def test_get_updates_timeout_returns_empty(fake: FakeBotAPI) -> None:
    started = time.monotonic()
    assert run_bot(fake, lambda bot: bot.get_updates(timeout=1)) == ()
    assert time.monotonic() - started >= 0.95


# --- injected failures -----------------------------------------------------------------------------------


def test_injected_retry_after_raises_ptb_retry_after(fake: FakeBotAPI) -> None:
    fake.fail_next("sendMessage", "retry_after", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        run_bot(fake, lambda bot: bot.send_message(CHAT, "hi"))
    assert retry_after_of(caught.value) == 7
    assert fake.sent_to(CHAT)[0].status == 429
    assert run_bot(fake, lambda bot: bot.send_message(CHAT, "hi")).message_id == 1


def test_blocked_user_raises_forbidden_until_unblocked(fake: FakeBotAPI) -> None:
    fake.block_chat(CHAT)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        run_bot(fake, lambda bot: bot.send_message(CHAT, "hi"))
    with pytest.raises(Forbidden):
        run_bot(fake, lambda bot: bot.send_photo(CHAT, png_of(10, 10)))
    assert run_bot(fake, lambda bot: bot.send_message(CHAT + 1, "other chat")).text == "other chat"
    fake.unblock_chat(CHAT)
    assert run_bot(fake, lambda bot: bot.send_message(CHAT, "back")).text == "back"
    fake.fail_next(None, "blocked")
    with pytest.raises(Forbidden):
        run_bot(fake, lambda bot: bot.send_chat_action(CHAT, "typing"))


@pytest.mark.parametrize("kind", ["server_error", "bad_gateway"])
def test_server_errors_raise_network_error(fake: FakeBotAPI, kind: str) -> None:
    fake.fail_next("sendMessage", kind, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            run_bot(fake, lambda bot: bot.send_message(CHAT, "hi"))
    assert [call.status for call in fake.sent_to(CHAT)] == [500, 500] if kind == "server_error" else [502, 502]
    assert run_bot(fake, lambda bot: bot.send_message(CHAT, "hi")).text == "hi"


def test_slow_answer_times_out_the_client_but_the_message_still_arrives(fake: FakeBotAPI) -> None:
    fake.fail_next("sendMessage", "slow", delay=0.6)
    with pytest.raises(TimedOut):
        run_bot(fake, lambda bot: bot.send_message(CHAT, "late", read_timeout=0.2))
    fake.wait_for_calls("sendMessage", 1, timeout=3)
    assert fake.sent_to(CHAT)[0].status == 200


def test_fail_next_rejects_unknown_kinds(fake: FakeBotAPI) -> None:
    with pytest.raises(ValueError, match="unknown failure kind"):
        fake.fail_next(None, "meteor")


# --- flood limits ----------------------------------------------------------------------------------------


def test_rate_limiter_rejects_a_second_message_to_one_chat_within_a_second() -> None:
    with FakeBotAPI(enforce_limits=True) as fake:

        async def scenario(bot: Bot) -> None:
            await bot.send_message(CHAT, "one")
            await bot.send_message(CHAT + 1, "first message to another chat goes at once")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(CHAT, "two")
            assert retry_after_of(caught.value) == 1
            await asyncio.sleep(1.05)
            await bot.send_message(CHAT, "two, after the window")

        run_bot(fake, scenario)
        assert fake.throttled == 1
        assert [call.status for call in fake.sent_to(CHAT)] == [200, 429, 200]
        assert fake.min_chat_gap_seen >= 1.0


def test_rate_limiter_rejects_the_31st_message_within_a_second() -> None:
    with FakeBotAPI(enforce_limits=True) as fake:

        async def scenario(bot: Bot) -> float:
            started = time.monotonic()
            for offset in range(30):
                await bot.send_message(CHAT + offset, "broadcast")
            elapsed = time.monotonic() - started
            with pytest.raises(RetryAfter):
                await bot.send_message(CHAT + 30, "broadcast")
            return elapsed

        elapsed = run_bot(fake, scenario)
        assert elapsed < 1.0, "the 30 sends must fit in one window for this test to mean anything"
        assert fake.throttled == 1
        assert fake.max_global_rate_seen == 30


def test_rate_statistics_are_kept_without_enforcement(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        await asyncio.gather(*(bot.send_message(CHAT, f"m{index}") for index in range(40)))

    run_bot(fake, scenario)
    assert fake.throttled == 0 and fake.max_global_rate_seen == 40
    assert sorted(call.result["message_id"] for call in fake.sent_to(CHAT)) == list(range(1, 41))
    fake.clear()
    assert fake.calls == [] and fake.max_global_rate_seen == 0


# --- raw HTTP edges --------------------------------------------------------------------------------------


def test_raw_http_answers_like_telegram(fake: FakeBotAPI) -> None:
    origin = fake.base_url.removesuffix("/bot")
    with httpx.Client(base_url=origin) as client:
        unknown = client.post(f"/bot{fake.token}/sendTelepathy", data={"chat_id": "1"})
        wrong_token = client.post("/bot999:WRONG/getMe")
        garbage = client.post(
            f"/bot{fake.token}/sendMessage",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        as_json = client.post(f"/bot{fake.token}/SENDMESSAGE", json={"chat_id": CHAT, "text": "json body"})
        as_query = client.get(f"/bot{fake.token}/getMe")
        missing_file = client.get(f"/file/bot{fake.token}/photos/nothing.png")
    assert unknown.status_code == 404 and unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }
    assert wrong_token.status_code == 401 and wrong_token.json()["description"] == "Unauthorized"
    assert garbage.status_code == 400 and garbage.json()["description"].startswith("Bad Request:")
    assert as_json.status_code == 200 and as_json.json()["result"]["text"] == "json body"
    assert as_query.json()["result"]["username"] == "astrobot_fake_bot"
    assert missing_file.status_code == 404


def test_oversized_body_is_refused_without_reading_it(fake: FakeBotAPI) -> None:
    port = int(fake.base_url.rsplit(":", 1)[1].split("/", 1)[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"POST /bot{fake.token}/sendDocument HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {60 * 1024 * 1024}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error_code"] == 413


def test_keep_alive_serves_many_requests_on_one_connection(fake: FakeBotAPI) -> None:
    origin = fake.base_url.removesuffix("/bot")
    with httpx.Client(base_url=origin, limits=httpx.Limits(max_connections=1)) as client:
        ports = set()
        for index in range(5):
            response = client.post(
                f"/bot{fake.token}/sendMessage",
                data={"chat_id": str(CHAT), "text": f"n{index}"},
                extensions={"trace": lambda name, info, seen=ports: None},
            )
            assert response.status_code == 200
            assert response.headers["content-length"] == str(len(response.content))
    assert [call.result["message_id"] for call in fake.sent_to(CHAT)] == [1, 2, 3, 4, 5]


def test_stop_returns_promptly_with_a_pending_long_poll_and_open_connections() -> None:
    fake = FakeBotAPI().start()
    origin = fake.base_url.removesuffix("/bot")
    client = httpx.Client(base_url=origin, timeout=10)
    client.get(f"/bot{fake.token}/getMe")
    poller = threading.Thread(
        target=lambda: client.post(f"/bot{fake.token}/getUpdates", data={"timeout": "30"}), daemon=True
    )
    poller.start()
    time.sleep(0.2)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 3
    poller.join(timeout=3)
    assert not poller.is_alive()
    client.close()


# --- a whole PTB Application, as `manage.py chat` runs it ------------------------------------------------


def test_ptb_application_polls_the_fake_and_replies(fake: FakeBotAPI) -> None:
    seen: list[ApiCall] = []
    fake.on_call = seen.append

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply with the deep-link argument."""
        await update.effective_message.reply_text(f"Привет! ref={context.args[0]}")

    async def main() -> None:
        application = (
            Application.builder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .updater(None)
            .build()
        )
        application.add_handler(CommandHandler("start", start))
        async with application:
            update = Update.de_json(fake.make_message_update(CHAT, "/start friend_7"), application.bot)
            await application.process_update(update)

    asyncio.run(main())
    reply = fake.sent_to(CHAT)[0]
    assert reply.params["text"] == "Привет! ref=friend_7"
    assert reply.result["message_id"] == 2
    assert [call.method for call in seen] == ["getMe", "sendMessage"]


def test_ptb_updater_long_polls_pushed_updates(fake: FakeBotAPI) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echo the command text."""
        await update.effective_message.reply_text(update.effective_message.text.upper())

    async def main() -> None:
        application = (
            Application.builder().token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url).build()
        )
        application.add_handler(CommandHandler("help", echo))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=["message"])
            fake.push_update(fake.make_message_update(CHAT, "/help"))
            await asyncio.to_thread(fake.wait_for_calls, "sendMessage", 1, 5.0)
            await application.updater.stop()
            await application.stop()

    asyncio.run(main())
    assert [call.params["text"] for call in fake.sent_to(CHAT)] == ["/HELP"]
    assert fake.calls_to("deleteWebhook"), "run_polling-style start deletes the webhook first"


# --- robustness ------------------------------------------------------------------------------------------

_FORMATTING_PIECES = [
    *"ab *_~|`[]()>#+-=.!\\\n<>/&;\"'",
    *("<b>", "</b>", "<a href='https://x.y'>", "</a>", "&amp;", "&#x1F600;", "😀", "ж", "```", "||", "__"),
    *("<pre>", "</pre>", '<code class="language-py">', "</code>", '<span class="tg-spoiler">', "</span>"),
]
_FORMATTED = st.lists(st.sampled_from(_FORMATTING_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_FORMATTED)
def test_html_parser_refuses_cleanly_or_gives_entities_inside_the_text(text: str) -> None:
    try:
        plain, entities = parse_html(text)
    except ApiError as exc:
        assert exc.status == 400 and exc.description.startswith("Bad Request: can't parse entities")
        return
    for entity in entities:
        assert entity["length"] > 0 and entity["offset"] >= 0
        assert entity["offset"] + entity["length"] <= utf16_len(plain)


_PARAM_NAMES = [
    "chat_id",
    "text",
    "message_id",
    "media",
    "reply_markup",
    "prices",
    "commands",
    "photo",
    "caption",
]
_PARAM_NAMES += [
    "parse_mode",
    "entities",
    "title",
    "description",
    "payload",
    "currency",
    "url",
    "offset",
    "ok",
]
_PARAM_NAMES += [
    "callback_query_id",
    "user_id",
    "telegram_payment_charge_id",
    "action",
    "file_id",
    "message_ids",
]
_ODD_VALUES = [
    *("", "null", "true", "[]", "{}", "[1,2]", "<b>x", "*a.", "XTR", "HTML", "MarkdownV2", "typing"),
    *('{"inline_keyboard": [[{"text": "a"}]]}', '{"inline_keyboard": 5}', '[{"label": "a", "amount": 5}]'),
    *('[{"type": "photo", "media": "attach://f"}]', '[{"type": "photo", "media": "x"}, {"type": "video"}]'),
    *('[{"command": "a", "description": "b"}]', "99999999999999999999999", "https://example.com/a.png"),
]
_PARAM_VALUES = st.one_of(st.text(max_size=20), st.integers(-3, 3).map(str), st.sampled_from(_ODD_VALUES))


def test_random_requests_never_break_the_fake(fake: FakeBotAPI) -> None:
    methods = sorted(name for name, _ in fake._methods.values() if name != "getUpdates")
    url = f"{fake.base_url}{fake.token}/"
    statuses: set[int] = set()

    @settings(max_examples=250, deadline=None)
    @given(
        st.sampled_from(methods),
        st.dictionaries(st.sampled_from(_PARAM_NAMES), _PARAM_VALUES, max_size=7),
        st.booleans(),
    )
    def check(method: str, params: dict[str, str], as_json: bool) -> None:
        if as_json:
            response = client.post(url + method, json=params)
        else:
            response = client.post(url + method, data=params, files={"f": ("f.png", png_of(4, 4))})
        statuses.add(response.status_code)
        assert response.status_code in (200, 400, 403, 404, 409, 429), response.text
        assert response.json()["ok"] is (response.status_code == 200)

    with httpx.Client() as client:
        check()
    assert {200, 400} <= statuses


# --- the OpenAI-compatible fake --------------------------------------------------------------------------


@pytest.fixture
def llm() -> Iterator[FakeOpenAI]:
    """A started fake OpenAI server; its own bugs fail the test."""
    with FakeOpenAI() as server:
        yield server
        assert server.errors == []


def client_for(llm: FakeOpenAI, **options: Any) -> openai.OpenAI:
    """The real OpenAI client pointed at the fake, without retries."""
    return openai.OpenAI(base_url=llm.base_url, api_key="test", max_retries=0, **options)


def test_chat_completion_text_usage_and_recorded_call(llm: FakeOpenAI) -> None:
    messages = [
        {"role": "system", "content": "Ты астролог."},
        {"role": "user", "content": "Гороскоп для Овна"},
    ]
    completion = client_for(llm).chat.completions.create(model="fake-llm", messages=messages)
    text = completion.choices[0].message.content
    assert text and "." in text and any("а" <= char <= "я" for char in text)
    assert completion.choices[0].finish_reason == "stop" and completion.model == "fake-llm"
    usage = completion.usage
    assert usage.completion_tokens > 0 and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    again = client_for(llm).chat.completions.create(model="fake-llm", messages=messages)
    assert again.choices[0].message.content == text
    call = llm.calls_to("/chat/completions")[0]
    assert call.headers["authorization"] == "Bearer test"
    assert call.body["messages"][1]["content"] == "Гороскоп для Овна"


def test_custom_responder_and_max_tokens(llm: FakeOpenAI) -> None:
    llm.responder = lambda request: f"echo: {request['messages'][-1]['content']}"
    client = client_for(llm)
    reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hello"}])
    assert reply.choices[0].message.content == "echo: hello"
    llm.responder = lambda request: "word " * 200
    cut = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}], max_tokens=10)
    assert cut.choices[0].finish_reason == "length" and len(cut.choices[0].message.content) == 40


def test_json_schema_response_format_gets_matching_json(llm: FakeOpenAI) -> None:
    schema = {
        "type": "object",
        "properties": {"love": {"type": "string"}, "work": {"type": "string"}, "lucky": {"type": "integer"}},
        "required": ["love", "work", "lucky"],
    }
    completion = client_for(llm).chat.completions.create(
        model="fake-llm",
        messages=[{"role": "user", "content": "Sections please"}],
        response_format={"type": "json_schema", "json_schema": {"name": "horoscope", "schema": schema}},
    )
    parsed = json.loads(completion.choices[0].message.content)
    assert set(parsed) == {"love", "work", "lucky"} and isinstance(parsed["lucky"], int)


def test_image_generation_b64_and_url(llm: FakeOpenAI) -> None:
    client = client_for(llm)
    result = client.images.generate(model="fake-image", prompt="Овен, акварель", size="512x256")
    picture = base64.b64decode(result.data[0].b64_json)
    assert Image.open(io.BytesIO(picture)).size == (512, 256)
    by_url = client.images.generate(model="fake-image", prompt="Leo", size="64x64", response_format="url")
    downloaded = httpx.get(by_url.data[0].url).content
    assert image_size(downloaded) == (64, 64)


def test_models_list(llm: FakeOpenAI) -> None:
    assert [model.id for model in client_for(llm).models.list()] == ["fake-llm", "fake-image"]


def test_server_error_raises_internal_server_error(llm: FakeOpenAI) -> None:
    llm.fail_next("server_error")
    with pytest.raises(openai.InternalServerError):
        client_for(llm).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert llm.calls[-1].status == 500
    assert client_for(llm).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}]).choices


def test_rate_limited_raises_rate_limit_error_with_retry_after(llm: FakeOpenAI) -> None:
    llm.fail_next("rate_limited", retry_after=20)
    with pytest.raises(openai.RateLimitError) as caught:
        client_for(llm).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers["retry-after"] == "20"


def test_slow_answer_and_client_timeout_raise_api_timeout_error(llm: FakeOpenAI) -> None:
    llm.fail_next("slow", delay=1.0)
    with pytest.raises(openai.APITimeoutError):
        client_for(llm, timeout=0.2).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])


def test_garbage_and_empty_answers(llm: FakeOpenAI) -> None:
    client = client_for(llm)
    llm.fail_next("garbage")
    with pytest.raises(ValueError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    llm.fail_next("empty", times=2)
    assert (
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
        .choices[0]
        .message.content
        == ""
    )
    assert client.images.generate(model="fake-image", prompt="x").data == []


def test_api_key_is_checked_when_configured() -> None:
    with FakeOpenAI(api_key="right") as llm:
        with pytest.raises(openai.AuthenticationError):
            client_for(llm).models.list()
        ok = openai.OpenAI(base_url=llm.base_url, api_key="right", max_retries=0)
        assert ok.models.list().data


def test_invalid_requests_get_openai_style_400(llm: FakeOpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        client_for(llm).chat.completions.create(model="m", messages=[])


def test_async_client_works_too(llm: FakeOpenAI) -> None:
    async def main() -> str:
        async with openai.AsyncOpenAI(base_url=llm.base_url, api_key="test", max_retries=0) as client:
            completion = await client.chat.completions.create(
                model="fake-llm", messages=[{"role": "user", "content": "Tarot"}]
            )
            return completion.choices[0].message.content or ""

    assert asyncio.run(main()).endswith(".")
