"""The support inbox end to end: the user writes through the webhook, staff answer in the admin, the bot delivers."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from support.models import Direction, Status, SupportMessage, SupportRequest, Topic
from support.services import support_request_close
from tests.driver import Dialog
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_staff(client, django_user_model):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user("helen", password="pw", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support", codename__in=["view_supportrequest", "change_supportrequest"]
        )
    )
    client.force_login(staff)
    return staff


def _answer(client, request: SupportRequest, text: str, key: str | None = None):
    return client.post(
        reverse("admin:support_supportrequest_reply", args=[request.pk]),
        {"text": text, "key": key or uuid.uuid4().hex},
    )


def test_support_asks_for_the_message_and_files_it(bot_settings):
    dialog = Dialog(bot_settings)
    [asked] = dialog.send("/support")
    assert "одним сообщением" in asked
    assert [b[0] for b in dialog.buttons()] == ["Отмена"]
    [thanks] = dialog.send("Не приходит гороскоп по утрам")
    request = SupportRequest.objects.get()
    assert f"№{request.pk}" in thanks
    assert (request.user, request.topic, request.status) == (dialog.user, Topic.GENERAL, Status.OPEN)
    assert [m.text for m in request.messages.all()] == ["Не приходит гороскоп по утрам"]
    assert dialog.user.state == ""


def test_text_after_the_command_is_taken_at_once_in_english(bot_settings):
    dialog = Dialog(bot_settings, language_code="en")
    dialog.send("/start")
    [thanks] = dialog.send("/support Where is my card of the day?\nSecond line")
    assert "reached our team" in thanks
    assert SupportMessage.objects.get().text == "Where is my card of the day?\nSecond line"


def test_photo_gets_a_clear_answer_and_cancel_sends_nothing(bot_settings):
    dialog = Dialog(bot_settings)
    dialog.send("/support")
    [answer] = dialog.sticker()
    assert "только текст" in answer
    assert dialog.user.state == "support:message"
    dialog.press("Отмена")
    assert "ничего не отправлено" in dialog.history[-1].params["text"]
    assert dialog.user.state == ""
    assert not SupportRequest.objects.exists()


def test_paysupport_says_the_inbox_is_the_way_and_files_a_payment_request(bot_settings):
    dialog = Dialog(bot_settings)
    help_text, ask = dialog.send("/paysupport")
    assert "напишите нам прямо здесь" in help_text
    assert "оплат" in ask
    dialog.send("Списались звёзды, а Premium нет")
    assert SupportRequest.objects.get().topic == Topic.PAYMENT


def test_the_hourly_limit_answers_clearly(bot_settings, settings):
    settings.SUPPORT_HOURLY_LIMIT = 2
    dialog = Dialog(bot_settings)
    dialog.send("/support один")
    dialog.send("/support два")
    [refused] = dialog.send("/support три")
    assert "много сообщений" in refused
    assert SupportMessage.objects.count() == 2


def test_replayed_message_is_filed_once(bot_settings):
    dialog = Dialog(bot_settings)
    update = bot_settings.make_message_update(dialog.chat_id, "/support повтор", first_name="Анна", language_code="ru")
    dialog.send_update(update)
    update["update_id"] += 10_000  # Telegram's id changed, the message is the same
    dialog.send_update(update)
    assert SupportMessage.objects.count() == 1


def test_staff_answer_is_delivered_once_and_a_new_message_reopens(
    bot_settings, client, support_staff, django_capture_on_commit_callbacks
):
    dialog = Dialog(bot_settings)
    dialog.send("/support Помогите")
    request = SupportRequest.objects.get()
    page = client.get(reverse("admin:support_supportrequest_change", args=[request.pk]))
    assert page.status_code == 200
    assert "Помогите" in page.content.decode()
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first = _answer(client, request, "Здравствуйте! <Проверили> всё & исправили.", key)
        second = _answer(client, request, "Здравствуйте! <Проверили> всё & исправили.", key)  # double click
    assert first.status_code == second.status_code == 302
    sent = [c for c in bot_settings.sent_to(dialog.chat_id) if "Ответ поддержки" in c.params.get("text", "")]
    assert len(sent) == 1
    assert "&lt;Проверили&gt; всё &amp; исправили" in sent[0].params["text"]
    answer = SupportMessage.objects.get(direction=Direction.STAFF)
    assert answer.delivered_at is not None and answer.telegram_message_id and answer.author == support_staff
    request.refresh_from_db()
    assert request.status == Status.ANSWERED
    history = client.get(reverse("admin:support_supportrequest_history", args=[request.pk])).content.decode()
    assert "Ответил пользователю" in history

    dialog.send("/support Спасибо, а ещё вопрос")
    request.refresh_from_db()
    assert request.status == Status.OPEN
    assert SupportRequest.objects.count() == 1


def test_closed_request_stays_closed_and_the_next_message_opens_a_new_one(bot_settings, client, support_staff):
    dialog = Dialog(bot_settings)
    dialog.send("/support Первый")
    request = SupportRequest.objects.get()
    response = client.post(reverse("admin:support_supportrequest_close", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert not support_request_close(request_id=request.pk, staff_id=support_staff.pk)
    dialog.send("/support Второй")
    assert SupportRequest.objects.filter(status=Status.OPEN).exclude(pk=request.pk).count() == 1


def test_blocked_user_shows_the_delivery_error(bot_settings, client, support_staff, django_capture_on_commit_callbacks):
    dialog = Dialog(bot_settings)
    dialog.send("/support Вопрос")
    request = SupportRequest.objects.get()
    bot_settings.block_chat(dialog.chat_id)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(client, request, "Ответ")
    answer = SupportMessage.objects.get(direction=Direction.STAFF)
    assert answer.delivered_at is None and answer.delivery_error.startswith("blocked")
    page = client.get(reverse("admin:support_supportrequest_change", args=[request.pk])).content.decode()
    assert "Пользователь заблокировал бота" in page
    assert dialog.user.blocked_at is not None


def test_delivery_task_run_again_sends_nothing(bot_settings, client, support_staff, django_capture_on_commit_callbacks):
    from bot.support.tasks import support_reply_deliver

    dialog = Dialog(bot_settings)
    dialog.send("/support Вопрос")
    request = SupportRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _answer(client, request, "Ответ")
    answer = SupportMessage.objects.get(direction=Direction.STAFF)
    assert support_reply_deliver(answer.pk) == "already sent or being sent"
    # A worker killed after marking the answer "sending" (and perhaps after sending it): never sent again.
    SupportMessage.objects.filter(pk=answer.pk).update(delivered_at=None)
    assert support_reply_deliver(answer.pk) == "already sent or being sent"
    assert sum("Ответ поддержки" in c.params.get("text", "") for c in bot_settings.sent_to(dialog.chat_id)) == 1


def test_bad_input_in_the_admin_is_answered_not_a_500(client, support_staff):
    request = SupportRequest.objects.create(user=TelegramUserFactory())
    response = _answer(client, request, "   ")
    assert response.status_code == 302
    assert not SupportMessage.objects.exists()
    assert client.post(reverse("admin:support_supportrequest_reply", args=["abc"]), {}).status_code in (302, 403)
    assert client.post(reverse("admin:support_supportrequest_reply", args=[999999]), {"text": "x"}).status_code == 404
    assert client.get(reverse("admin:support_supportrequest_reply", args=[request.pk])).status_code == 403


def test_view_only_staff_see_no_form_and_cannot_answer(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_supportrequest"))
    client.force_login(viewer)
    request = SupportRequest.objects.create(user=TelegramUserFactory())
    page = client.get(reverse("admin:support_supportrequest_change", args=[request.pk])).content.decode()
    assert 'id="reply-form"' not in page
    assert _answer(client, request, "x").status_code == 403


def test_changelist_badge_and_queries(client, support_staff, django_assert_max_num_queries):
    for index in range(50):
        request = SupportRequest.objects.create(user=TelegramUserFactory())
        SupportMessage.objects.create(request=request, direction=Direction.USER, text=f"вопрос {index}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:support_supportrequest_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "вопрос 49" in content
    assert ">50<" in content.replace(" ", "").replace("\n", "")  # the sidebar badge


def test_my_data_and_erasure_include_the_conversation(bot_settings):
    from bot.privacy.person import person_erase, person_export

    dialog = Dialog(bot_settings)
    dialog.send("/support Мой вопрос")
    user = dialog.user
    document = person_export(user_id=user.pk)
    assert document["support"][0]["messages"][0]["text"] == "Мой вопрос"
    assert person_erase(user_id=user.pk)
    assert not SupportRequest.objects.exists() and not SupportMessage.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the in-memory test SQLite refuses parallel writers")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_submits_of_one_answer_store_it_once(attempt, django_user_model):
    from support.services import support_reply_create
    from tests.concurrency import race

    user = TelegramUserFactory(telegram_id=7_300_000_000 + attempt)
    request = SupportRequest.objects.create(user=user)
    helper = django_user_model.objects.create_user(f"helper{attempt}", is_staff=True)

    results = race(
        lambda i: support_reply_create(request_id=request.pk, staff_id=helper.pk, text="Один ответ", key="same-form"),
        2,
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _message, created in results) == [False, True]
    assert SupportMessage.objects.filter(request=request, direction=Direction.STAFF).count() == 1
