"""/delete_me after a whole life with the bot: nothing anywhere (tables, task queue, logs, media) identifies the person.

The scan reads every model of every installed app through the ORM (so django-q2's pickled task arguments and
results come back decoded), the signed packages still queued in the ORM broker, the log records emitted
during the test, and the media directory.
"""

import importlib
import json
import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django_q.models import OrmQ, Task
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from bot.horoscope import tasks as push
from bot.models import TelegramUpdate, UpdateStatus
from horoscopes.natal.models import NatalChart
from horoscopes.tarot.models import TarotReading
from payments.models import Payment, Plan, Subscription
from tests.driver import Dialog, post
from users.models import TelegramUser

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

CHAT = 7_345_612_907
GROUP = -1_001_987_654_321
FIRST, LAST, USERNAME = "Зинаида", "Облонская", "zina_oblonskaya_77"
BIRTH = ("05.06.1987", "1987-06-05", "07:45", "Кировск")
# Accounting keeps the payment rows with their charge ids; nothing else may hold a charge id afterwards.
KEPT_FOR_ACCOUNTING = {Payment, Subscription}


def _text(value: object) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(value)


def _row_texts(model: type, obj: object) -> list[str]:
    texts = [_text(getattr(obj, field.attname)) for field in model._meta.concrete_fields]
    if model is OrmQ:
        # The ORM broker keeps each queued task as a signed, pickled package: read what is inside.
        texts.append(_text(SignedPackage.loads(obj.payload)))
    return texts


def database_hits(markers: list[str], charges: list[str]) -> list[str]:
    """(model, marker) wherever a marker is stored, in every model of every installed app."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for obj in model._base_manager.all():
            text = " ".join(_row_texts(model, obj)).lower()
            wanted = markers if model in KEPT_FOR_ACCOUNTING else markers + charges
            hits += [f"{model._meta.label}#{obj.pk}: {m}" for m in wanted if m.lower() in text]
    return hits


def media_hits(root: Path, markers: list[str]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            hits += [f"{path}: {m}" for m in markers if m.lower().encode() in data or m.lower() in path.name.lower()]
    return hits


@pytest.fixture
def every_log(caplog):
    """Every log record at INFO and above, django-q2's own logger (which does not propagate) included."""
    caplog.set_level(logging.INFO)
    django_q = logging.getLogger("django-q")
    django_q.addHandler(caplog.handler)
    yield caplog
    django_q.removeHandler(caplog.handler)


@pytest.fixture
def zina(bot_settings, monkeypatch):
    """The person: Telegram reports her first and last name and her username with every update."""
    make_user = bot_settings._user

    def with_last_name(user_id: int, *args: object) -> dict:
        user = make_user(user_id, *args)
        if user_id == CHAT:
            user["last_name"] = LAST
        return user

    monkeypatch.setattr(bot_settings, "_user", with_last_name)
    return Dialog(bot_settings, chat_id=CHAT, first_name=FIRST, username=USERNAME)


def _group_update(api, kind: str, body: dict) -> dict:
    """An update from the person in a group, with a field python-telegram-bot cannot read: it fails, kept raw."""
    person = {"id": CHAT, "is_bot": False, "first_name": FIRST, "last_name": LAST, "username": USERNAME}
    chat = {"id": GROUP, "type": "supergroup", "title": "Астрологи Кировска"}
    return {"update_id": api._take_update_id(), kind: {"chat": chat, "date": "yesterday", **body, "_who": person}}


def live_a_life(api, zina: Dialog, on_commit) -> None:
    """Onboarding, a natal chart, tarot, a Premium subscription, the daily push, failed group updates,
    staff edits, and a task still waiting in the queue."""
    zina.send("/start vk_ads_spring")
    zina.press("Русский")
    zina.send(BIRTH[0])
    zina.send(BIRTH[2])
    zina.send("Кировск, Мурманская")
    zina.send("7:00")

    plan = Plan.objects.get(code="month-subscription")
    post(api.make_message_update(CHAT, "/premium", first_name=FIRST, username=USERNAME))
    screen = [c for c in api.sent_to(CHAT) if c.method == "sendMessage"][-1]
    post(api.make_callback_update(CHAT, screen.result["message_id"], f"pay:s:{plan.pk}", first_name=FIRST))
    payment = Payment.objects.get(user__telegram_id=CHAT)
    post(api.make_pre_checkout_update(CHAT, payment.public_id))
    expires = int((datetime.now(UTC) + timedelta(days=30)).timestamp())
    with on_commit(execute=True):
        post(
            api.make_successful_payment_update(
                CHAT,
                payment.public_id,
                is_recurring=True,
                is_first_recurring=True,
                subscription_expiration_date=expires,
                first_name=FIRST,
            )
        )
        zina.send("/natal")  # Premium: the interpretation is written by a task
        zina.send("🃏 Таро")
        zina.press_data("tr:ask:3")
        zina.send(f"Выйдет ли {FIRST} замуж в Кировске?")
    assert Subscription.objects.filter(user__username=USERNAME).exists()
    assert TarotReading.objects.get().interpretation_status == TarotReading.Status.DONE

    # Her daily push at 07:00 Moscow time, the next one after she set it, through the task the schedule runs.
    moment = datetime.now(UTC).replace(hour=4, minute=5, second=0, microsecond=0)
    if moment <= datetime.now(UTC):
        moment += timedelta(days=1)
    assert push.push_run(now_fn=lambda: moment).sent == 1

    # Updates from her in a group that could not be processed: kept raw for staff, under the group's id
    # (a message) and under no chat at all (a reaction: not a kind the claim reads a chat from).
    failed = [
        _group_update(api, "message", {"message_id": 5, "text": "привет"}),
        _group_update(api, "message_reaction", {"message_id": 5, "old_reaction": [], "new_reaction": []}),
    ]
    post(*failed)
    kept = TelegramUpdate.objects.filter(update_id__in=[u["update_id"] for u in failed])
    assert {(c.status, c.chat_id) for c in kept} == {(UpdateStatus.FAILED, GROUP), (UpdateStatus.FAILED, None)}

    # Staff looked her up and edited her chart and her profile in the admin.
    staff = get_user_model().objects.create_superuser("staff", password="x")
    request = RequestFactory().post("/admin/")
    request.user = staff
    user = TelegramUser.objects.get(telegram_id=CHAT)
    chart = NatalChart.objects.get(user=user)
    admin.site._registry[NatalChart].log_change(request, chart, [{"changed": {"fields": ["Interpretations"]}}])
    admin.site._registry[TelegramUser].log_change(request, user, [{"changed": {"fields": ["Notes"]}}])
    assert LogEntry.objects.filter(object_repr__contains=USERNAME).count() == 2

    # The worker is behind: a task for her chart is still waiting in the queue.
    async_task("bot.natal.tasks.natal_interpret", chart.pk, "ru", sync=False)
    assert OrmQ.objects.count() == 1


def test_after_delete_me_nothing_identifies_the_person(
    zina, bot_settings, settings, tmp_path, every_log, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    importlib.import_module("payments.migrations.0002_seed_plans").plans_seed(apps, None)
    live_a_life(bot_settings, zina, django_capture_on_commit_callbacks)

    user = TelegramUser.objects.get(telegram_id=CHAT)
    markers = [str(CHAT), FIRST, LAST, USERNAME, *BIRTH, user.birth_utc.isoformat()[:16], user.invite_code]
    charges = [p.provider_payment_id for p in Payment.objects.filter(user=user)]
    charges += list(Subscription.objects.filter(user=user).values_list("charge_id", flat=True))
    assert charges and all(charges)
    before = database_hits(markers, charges)
    # The scan sees every kind of trace this test is about before the erasure.
    for label in ("users.TelegramUser", "bot.TelegramUpdate", "admin.LogEntry", "horoscopes.NatalChart"):
        assert any(hit.startswith(label) for hit in before), (label, before)
    assert Task.objects.exists()

    zina.send("/delete_me")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        [_edited, done] = zina.press("Да, стереть всё")
    assert "ваши данные стёрты" in done
    assert len(queued) == 1  # stopping the subscription's renewal
    assert bot_settings.calls_to("editUserStarSubscription")[-1].params["is_canceled"] is True

    # A paid Stars payment keeps the payer's Telegram id, which refundStarPayment needs (/privacy says so);
    # once that one field is set aside, nothing identifies her.
    kept = Payment.objects.filter(payer_telegram_id=CHAT)
    assert kept.exists() and not kept.exclude(provider="stars").exists()
    kept.update(payer_telegram_id=None)
    left = database_hits(markers, charges)
    assert left == [], "\n".join(left)
    # Payments log their charge ids with the payment's public id: both stay in the kept payment, which is
    # linked to nobody. What must never be logged is who the person is.
    logged = [record.getMessage() for record in every_log.records if _logged(record, markers)]
    assert logged == [], "\n".join(logged)
    assert media_hits(Path(settings.MEDIA_ROOT), markers) == []
    # Accounting keeps the payment and the subscription, linked to nobody.
    payment = Payment.objects.get(provider_payment_id=charges[0])
    assert (payment.user_id, payment.status) == (None, "succeeded") and payment.payer_ref
    assert Subscription.objects.get(charge_id=charges[-1]).user_id is None
    # The admin log keeps the edits, without the names.
    assert LogEntry.objects.count() == 2
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {
        "erased user",
        "natalchart of an erased user",
    }


def _logged(record: logging.LogRecord, markers: list[str]) -> bool:
    text = record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
    return any(marker.lower() in text.lower() for marker in markers)
