"""bot.sender against the fake Bot API enforcing Telegram's flood limits, with the real python-telegram-bot."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bot import sender
from bot.console.fake_api import FakeBotAPI, parse_html, utf16_len
from bot.models import Lease
from bot.sender import (
    Outgoing,
    SenderNotConfigured,
    SendLease,
    SendStatus,
    send_batch,
    send_one,
    send_one_result,
    split_text,
    visible_length,
)
from tests.factories import TelegramUserFactory
from users.models import TelegramUser

pytestmark = [
    pytest.mark.django_db,
    # PTB's own RetryAfter constructor warns about its int -> timedelta migration; nothing to act on here.
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

CHAT = 5100000001
BUTTONS = {"inline_keyboard": [[{"text": "Tomorrow", "callback_data": "hs:v:leo:20250101"}]]}


@pytest.fixture
def strict_api(settings):
    """A fake Bot API that answers 429 exactly as Telegram's limits say, with the sender pointed at it."""
    with FakeBotAPI(enforce_limits=True) as api:
        settings.TELEGRAM_BOT_TOKEN = api.token
        settings.TELEGRAM_API_BASE_URL = api.base_url
        settings.TELEGRAM_API_FILE_URL = api.base_file_url
        yield api
        assert api.errors == []


def sends(api: FakeBotAPI, chat_id: int = CHAT) -> list:
    return [call for call in api.sent_to(chat_id) if call.status == 200]


# --- single messages -----------------------------------------------------------------------------------


def test_send_one_sends_html_with_buttons(strict_api):
    status = send_one(Outgoing(CHAT, "<b>Leo</b> &amp; friends", reply_markup=BUTTONS))

    assert status == SendStatus.SENT
    [call] = sends(strict_api)
    assert call.method == "sendMessage"
    assert call.params["parse_mode"] == "HTML"
    assert call.result["text"] == "Leo & friends"
    assert call.params["reply_markup"] == BUTTONS


def test_long_text_is_split_on_paragraphs_one_second_apart_with_buttons_last(strict_api):
    paragraphs = [f"<b>Part {i}</b>\n" + ("Звёзды говорят. " * 60).strip() for i in range(12)]
    text = "\n\n".join(paragraphs)
    assert visible_length(text) > 2 * 4096

    result = send_one_result(Outgoing(CHAT, text, reply_markup=BUTTONS))

    calls = sends(strict_api)
    assert result.status == SendStatus.SENT and len(calls) == 3
    assert result.message_id == calls[-1].result["message_id"]
    shown = [call.result["text"] for call in calls]
    assert all(utf16_len(part) <= 4096 for part in shown)
    # Nothing lost or duplicated, and every cut fell between paragraphs.
    assert "\n\n".join(shown) == "\n\n".join(parse_html(p)[0] for p in paragraphs)
    assert [("reply_markup" in call.params) for call in calls] == [False, False, True]
    assert strict_api.min_chat_gap_seen >= 1.0
    assert strict_api.throttled == 0


def test_photo_with_a_short_caption_is_one_message(strict_api):
    result = send_one_result(Outgoing(CHAT, "<i>Card of the day</i>", photo=_png(), reply_markup=BUTTONS))

    [call] = sends(strict_api)
    assert call.method == "sendPhoto" and call.result["caption"] == "Card of the day"
    assert result.photo_file_id == call.result["photo"][-1]["file_id"]
    again = send_one(Outgoing(CHAT + 1, "", photo=result.photo_file_id))
    assert again == SendStatus.SENT


def test_photo_with_a_long_text_goes_first_then_the_text(strict_api):
    send_one(Outgoing(CHAT, "Long reading. " * 120, photo=_png(), reply_markup=BUTTONS))

    photo, text = sends(strict_api)
    assert photo.method == "sendPhoto" and "caption" not in photo.params
    assert text.method == "sendMessage" and text.params["reply_markup"] == BUTTONS


def test_retry_after_waits_and_sends_again(strict_api):
    strict_api.fail_next("sendMessage", "retry_after", retry_after=1)
    started = time.monotonic()

    assert send_one(Outgoing(CHAT, "hello")) == SendStatus.SENT

    assert time.monotonic() - started >= 1.0
    assert [call.status for call in strict_api.sent_to(CHAT)] == [429, 200]


def test_blocked_user_is_marked_and_gets_nothing_more_in_the_batch(strict_api):
    TelegramUserFactory(telegram_id=CHAT)
    strict_api.block_chat(CHAT)
    results = []

    report = send_batch(
        [Outgoing(CHAT, "one"), Outgoing(CHAT, "two"), Outgoing(CHAT + 1, "other")],
        on_result=lambda message, status, message_id: results.append((message.text, status)),
    )

    assert sorted(results) == [("one", "blocked"), ("other", "sent"), ("two", "blocked")]
    assert (report.sent, report.blocked) == (1, 2)
    assert len(strict_api.sent_to(CHAT)) == 1  # the second message never went out
    assert TelegramUser.objects.get(telegram_id=CHAT).blocked_at is not None


def test_network_errors_are_retried_a_bounded_number_of_times(strict_api):
    strict_api.fail_next("sendMessage", "server_error", times=2)
    assert send_one(Outgoing(CHAT, "after two errors")) == SendStatus.SENT

    strict_api.fail_next("sendMessage", "bad_gateway", times=3)
    result = send_one_result(Outgoing(CHAT + 1, "after three errors"))
    assert result.status == SendStatus.FAILED and "network" in result.error
    assert len(strict_api.sent_to(CHAT + 1)) == 3


def test_markup_telegram_refuses_is_sent_as_plain_text(strict_api):
    assert send_one(Outgoing(CHAT, "<b>unclosed & raw")) == SendStatus.SENT

    refused, accepted = strict_api.sent_to(CHAT)
    assert refused.status == 400 and accepted.status == 200
    assert "parse_mode" not in accepted.params and accepted.result["text"] == "unclosed & raw"


def test_other_bad_requests_fail_without_retry(strict_api):
    strict_api.fail_next("sendMessage", "chat_not_found")
    assert send_one(Outgoing(CHAT, "x")) == SendStatus.FAILED
    assert len(strict_api.sent_to(CHAT)) == 1


def test_empty_message_fails_cleanly(strict_api):
    assert send_one(Outgoing(CHAT, "   ")) == SendStatus.FAILED
    assert strict_api.calls == []


def test_without_a_token_nothing_is_attempted(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(SenderNotConfigured):
        send_one(Outgoing(CHAT, "x"))


def test_a_refused_token_stops_the_batch(strict_api, settings):
    settings.TELEGRAM_BOT_TOKEN = "999:WRONG-TOKEN"
    with pytest.raises(SenderNotConfigured):
        send_batch(Outgoing(CHAT + i, "x") for i in range(50))
    assert len(strict_api.calls) < 50


# --- batches ---------------------------------------------------------------------------------------------


def test_batch_stays_under_the_limit_without_a_single_429(strict_api):
    count = 75
    report = send_batch(Outgoing(CHAT + i, f"message {i}") for i in range(count))

    assert report.sent == count and report.flood_waits == 0
    assert strict_api.throttled == 0
    assert strict_api.max_global_rate_seen <= 30
    # 75 messages at 30 a second need a little over two seconds; the sender must not crawl either.
    assert 2.0 <= report.elapsed < 4.5


def test_callbacks_run_in_the_callers_thread_with_its_database(strict_api):
    users = [TelegramUserFactory(telegram_id=CHAT + i) for i in range(3)]
    caller = threading.get_ident()
    threads = set()

    def before_send(message: Outgoing) -> bool:
        threads.add(threading.get_ident())
        return message.ref != users[1].pk  # veto one

    def on_result(message: Outgoing, status: SendStatus, message_id: int | None) -> None:
        threads.add(threading.get_ident())
        TelegramUser.objects.filter(pk=message.ref).update(username=f"{status}-{message_id}")

    report = send_batch(
        (Outgoing(user.telegram_id, "hi", ref=user.pk) for user in users), before_send=before_send, on_result=on_result
    )

    assert threads == {caller}
    assert (report.sent, report.skipped) == (2, 1)
    assert not strict_api.sent_to(users[1].telegram_id)
    names = dict(TelegramUser.objects.values_list("pk", "username"))
    assert names[users[0].pk].startswith("sent-") and names[users[1].pk] == ""


def test_a_failing_callback_stops_the_batch_and_raises(strict_api):
    def on_result(message: Outgoing, status: SendStatus, message_id: int | None) -> None:
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError, match="database down"):
        send_batch((Outgoing(CHAT + i, "x") for i in range(100)), on_result=on_result)
    assert len(strict_api.calls_to("sendMessage")) < 30


def test_messages_to_one_chat_are_a_second_apart(strict_api):
    report = send_batch([Outgoing(CHAT, "first"), Outgoing(CHAT, "second"), Outgoing(CHAT, "third")])

    assert report.sent == 3 and strict_api.throttled == 0
    assert strict_api.min_chat_gap_seen >= 1.0


# --- splitting -------------------------------------------------------------------------------------------


def test_split_keeps_short_text_whole_and_counts_like_telegram():
    assert split_text("  <b>hi</b>  ") == ["<b>hi</b>"]
    assert split_text("") == []
    assert visible_length("<b>a&amp;b</b> 🙂") == 6  # "a&b ", then the emoji is two UTF-16 units


def test_split_reopens_tags_and_never_cuts_an_entity():
    text = "<b>" + "слово &amp; " * 50 + "</b>"
    parts = split_text(text, 100)

    assert len(parts) > 1
    for part in parts:
        shown, _ = parse_html(part)  # raises on invalid markup
        assert utf16_len(shown) <= 100
        assert part.startswith("<b>") and part.endswith("</b>")
    assert " ".join(parse_html(part)[0].strip() for part in parts) == parse_html(text)[0].strip()


def test_split_prefers_sentences_over_words():
    text = "One sentence here. " * 20
    parts = split_text(text, 100)
    assert all(part.endswith(".") for part in parts[:-1])


def test_split_plain_text_mode():
    # Without parse_mode tags are just characters: no boundary anywhere, so hard cuts at the limit.
    parts = split_text("<b>" * 30, 20, parse_mode=None)
    assert [len(part) for part in parts] == [20, 20, 20, 20, 10]
    assert "".join(parts) == "<b>" * 30


# --- lease -----------------------------------------------------------------------------------------------


def test_lease_is_held_by_one_sender_until_released_or_expired():
    first, second = SendLease("push", ttl=30), SendLease("push", ttl=30)

    assert first.acquire()
    assert not second.acquire()
    assert first.renew(force=True)
    first.release()
    assert second.acquire()
    assert not first.renew(force=True)

    Lease.objects.filter(name="push").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert first.acquire()
    assert not second.renew(force=True)


def test_lease_of_a_dead_process_on_this_host_is_taken_over_at_once():
    dead = SendLease("push")
    assert dead.acquire()
    host, _, rest = dead.holder.partition(":")
    Lease.objects.filter(name="push").update(holder=f"{host}:999999999:{rest.partition(':')[2]}")

    assert SendLease("push").acquire()


def test_lease_of_a_live_process_elsewhere_is_respected():
    Lease.objects.create(name="push", holder="other-host:1:abc", expires_at=timezone.now() + timedelta(seconds=30))
    assert not SendLease("push").acquire()


def _png() -> bytes:
    from bot.console.fake_api import solid_png

    return solid_png(32, 32)


def test_module_has_no_shared_bot():
    # Every call builds and closes its own Bot: nothing at module level may hold one across event loops.
    assert not any(type(value).__name__ in {"Bot", "ExtBot"} for value in vars(sender).values())


def test_send_one_works_from_a_task_run_inline_inside_a_handler(bot_settings, monkeypatch):
    """The console and the tests run tasks inline, inside the webhook's handler: the sender must cope."""
    from asgiref.sync import sync_to_async
    from telegram.ext import CommandHandler

    from bot import application as application_module
    from tests import driver

    outcome = {}

    def task(chat_id: int) -> None:
        TelegramUser.objects.filter(telegram_id=chat_id).update(username="from-task")
        outcome["status"] = send_one(Outgoing(chat_id, "written in the background"))

    async def command(update, context) -> None:
        await sync_to_async(task)(update.effective_chat.id)

    register = application_module.register_handlers

    def register_with_command(application) -> None:
        application.add_handler(CommandHandler("inline_task", command))
        register(application)

    monkeypatch.setattr(application_module, "register_handlers", register_with_command)

    [response] = driver.post(driver.message("/inline_task"))
    assert response.status_code == 200
    assert outcome["status"] == SendStatus.SENT
    [call] = bot_settings.calls_to("sendMessage")
    assert call.params["text"] == "written in the background"
