"""Daily horoscopes in the staff panel: read, edit, regenerate; prompts with versions; the logs; pushes per day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from horoscopes.daily import services
from horoscopes.daily.models import DailyHoroscope, PushDelivery, PushStatus, TextSource
from horoscopes.daily.selectors import horoscopes_user_data_export
from horoscopes.llm.models import GenerationLog, Prompt
from horoscopes.llm.prompts import prompt_active
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db

DAY = date(2025, 11, 22)


@pytest.mark.parametrize("model", ["dailyhoroscope", "personalhoroscope", "prompt", "generationlog", "pushdelivery"])
def test_every_list_opens(admin_client, model):
    services.daily_generate(sign="leo", day=DAY, language="ru")
    prompt_active("daily", "ru")
    response = admin_client.get(f"/admin/horoscopes/{model}/")
    assert response.status_code == 200


def test_staff_read_and_edit_a_daily_horoscope(admin_client):
    horoscope = services.daily_generate(sign="leo", day=DAY, language="ru")
    url = f"/admin/horoscopes/dailyhoroscope/{horoscope.pk}/change/"
    assert "Стрельце" in admin_client.get(url).content.decode()

    fields = {name: getattr(horoscope, name) for name in ("overview", "love", "work", "health", "money")}
    response = admin_client.post(url, {**fields, "tip": "Позвоните маме."})

    assert response.status_code == 302
    horoscope.refresh_from_db()
    assert (horoscope.tip, horoscope.source) == ("Позвоните маме.", TextSource.STAFF)


def test_filters_by_date_sign_and_language(admin_client):
    services.daily_generate(sign="leo", day=DAY, language="ru")
    services.daily_generate(sign="virgo", day=DAY, language="en")
    page = admin_client.get("/admin/horoscopes/dailyhoroscope/?sign=virgo&language__exact=en&date__year=2025")
    assert page.status_code == 200 and page.context["cl"].result_count == 1


def test_regenerate_one_or_a_whole_day(admin_client):
    leo = services.daily_generate(sign="leo", day=DAY, language="ru")
    DailyHoroscope.objects.filter(pk=leo.pk).update(tip="старый текст")

    admin_client.post(
        "/admin/horoscopes/dailyhoroscope/", {"action": "regenerate_selected", "_selected_action": [leo.pk]}
    )
    leo.refresh_from_db()
    assert leo.tip != "старый текст"  # tasks run inline in tests

    admin_client.post("/admin/horoscopes/dailyhoroscope/", {"action": "regenerate_days", "_selected_action": [leo.pk]})
    assert DailyHoroscope.objects.filter(date=DAY).count() == 24


def test_saving_a_prompt_in_admin_adds_a_version_and_keeps_the_old_one(admin_client, admin_user):
    first = prompt_active("daily", "en")
    url = f"/admin/horoscopes/prompt/{first.pk}/change/"

    response = admin_client.post(
        url, {"system": first.system + "\nMention the Moon.", "template": first.template, "note": "moon"}
    )

    assert response.status_code == 302
    versions = list(Prompt.objects.filter(key="daily", language="en").order_by("version"))
    assert [p.version for p in versions] == [1, 2]
    assert versions[0].system == first.system and "Mention the Moon." in versions[1].system
    assert versions[1].created_by == admin_user and versions[1].note == "moon"
    assert prompt_active("daily", "en").pk == versions[1].pk
    listing = admin_client.get("/admin/horoscopes/prompt/?key=daily&language=en").context["cl"]
    assert [(p.version, listing.model_admin.in_use(p)) for p in listing.result_list] == [(2, True), (1, False)]


def test_generation_log_shows_totals(admin_client):
    GenerationLog.objects.create(kind="daily", status="ok", model="m", tokens_in=100, tokens_out=50, cost="0.0012")
    GenerationLog.objects.create(kind="daily", status="error", model="m", error="timeout")

    page = admin_client.get("/admin/horoscopes/generationlog/", HTTP_ACCEPT_LANGUAGE="en")

    summary = {str(label): value for label, value in page.context["daily_summary"]}
    assert summary["tokens in"] == 100 and summary["estimated cost, USD"] == "0.0012"
    assert admin_client.get("/admin/horoscopes/generationlog/add/").status_code == 403


def test_push_deliveries_per_day(admin_client):
    user = TelegramUserFactory(telegram_id=1, sign="leo")
    other = TelegramUserFactory(telegram_id=2, sign="leo")
    today = timezone.now().date()
    PushDelivery.objects.create(user=user, local_date=today, status=PushStatus.SENT)
    PushDelivery.objects.create(user=other, local_date=today, status=PushStatus.BLOCKED)
    PushDelivery.objects.create(user=user, local_date=today - timedelta(days=1), status=PushStatus.FAILED)

    page = admin_client.get("/admin/horoscopes/pushdelivery/")

    rows = page.context["daily_table"]["rows"]
    assert rows[0] == (today, 2, 1, 1, 0, 0)
    assert rows[1] == (today - timedelta(days=1), 1, 0, 0, 1, 0)
    user_page = admin_client.get(f"/admin/users/telegramuser/{user.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert user_page.status_code == 200 and "daily pushes" in user_page.content.decode().lower()


def test_my_data_includes_personal_horoscopes_and_pushes():
    user = TelegramUserFactory(telegram_id=1, sign="leo", birth_date=date(1990, 8, 1))
    PushDelivery.objects.create(user=user, local_date=DAY, status=PushStatus.SENT)
    personal, _ = services.personal_request(user_id=user.pk, day=DAY, language="en", deliver=False)
    services.personal_generate(personal_id=personal.pk)

    name, data = horoscopes_user_data_export(user)

    assert name == "horoscopes"
    assert data["daily_pushes"][0]["status"] == "sent"
    assert data["personal_horoscopes"][0]["sections"]["overview"]


@pytest.mark.parametrize(
    ("tip", "problem"),
    [
        ("Любовь <3 и забота", "«<» на позиции 8"),
        ("a < b", "«<» на позиции 3"),
        ("<blink>Звёзды</blink>", "не знает тег <blink>"),
        ("<b>Смелее", "Тег <b> на позиции 1 не закрыт"),
        ("<b><i>крест</b></i>", "не закрыт"),
        ("лишний </i> тег", "ничего не закрывает"),
    ],
)
def test_a_text_telegram_would_refuse_is_not_saved(admin_client, tip, problem):
    horoscope = services.daily_generate(sign="leo", day=DAY, language="ru")
    url = f"/admin/horoscopes/dailyhoroscope/{horoscope.pk}/change/"
    fields = {name: getattr(horoscope, name) for name in ("overview", "love", "work", "health", "money")}

    response = admin_client.post(url, {**fields, "tip": tip})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tip"]
    assert problem in errors[0], errors
    assert DailyHoroscope.objects.get(pk=horoscope.pk).tip == horoscope.tip


def test_valid_telegram_html_and_escaped_signs_are_saved(admin_client):
    horoscope = services.daily_generate(sign="leo", day=DAY, language="ru")
    url = f"/admin/horoscopes/dailyhoroscope/{horoscope.pk}/change/"
    fields = {name: getattr(horoscope, name) for name in ("overview", "love", "work", "health", "money")}
    tip = '<b>Смелее</b>, <a href="https://example.com">ссылка</a> и 2 &lt; 3'

    assert admin_client.post(url, {**fields, "tip": tip}).status_code == 302
    assert DailyHoroscope.objects.get(pk=horoscope.pk).tip == tip
