"""The staff view of users in Django admin: search, filters, the profile page, Premium grants, CSV, erasing."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import TelegramUserFactory
from users.models import TelegramUser
from users.places import get_index
from users.services import Birthplace, user_record_start, user_set_birth_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:users_telegramuser_changelist")


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


@pytest.fixture
def people() -> dict[str, TelegramUser]:
    anna = TelegramUserFactory(
        telegram_id=2**40 + 7, username="anna_iv", first_name="Анна", last_name="Иванова", language="ru"
    )
    place = Birthplace.from_place(get_index().match("Екатеринбург")[0].place, "ru")
    user_set_birth_data(user_id=anna.pk, birth_date=date(1990, 3, 15), birth_time=time(14, 30), place=place)
    bob = TelegramUserFactory(
        telegram_id=555,
        username="bob",
        first_name='=HYPERLINK("http://evil")',
        language="en",
        premium_for=timedelta(days=10),
        blocked_at=timezone.now(),
        source="vk_ads",
        notify_enabled=False,
        onboarded=True,
    )
    user_record_start(user_id=TelegramUser.objects.get(pk=anna.pk).pk, payload="")
    TelegramUser.objects.filter(pk=anna.pk).update(invited_by=bob)
    return {"anna": TelegramUser.objects.get(pk=anna.pk), "bob": bob}


def inline_management_data(page) -> dict:
    """What a browser posts back for the inlines other apps add to the user page (payments, deliveries, ...)."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for form in formset.forms:
            for name in form.fields:
                value = form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def listed(response) -> set[int]:
    return {user.telegram_id for user in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": str(2**40 + 7)}, {"anna"}),
        ({"q": "@anna_iv"}, {"anna"}),
        ({"q": "Иванова"}, {"anna"}),
        ({"q": "bob"}, {"bob"}),
        ({"sign__exact": "pisces"}, {"anna"}),
        ({"language__exact": "en"}, {"bob"}),
        ({"premium": "yes"}, {"bob"}),
        ({"premium": "no"}, {"anna"}),
        ({"blocked": "yes"}, {"bob"}),
        ({"blocked": "no"}, {"anna"}),
        ({"notify_enabled__exact": "0"}, {"bob"}),
        ({"onboarded": "no"}, {"anna"}),
        ({"source": "vk_ads"}, {"bob"}),
        ({"invited_by__id__exact": "__bob__"}, {"anna"}),
    ],
)
def test_search_and_filters(staff, people, query, expected):
    query = {k: (str(people["bob"].pk) if v == "__bob__" else v) for k, v in query.items()}
    response = staff.get(CHANGELIST, query)

    assert response.status_code == 200
    assert listed(response) == {people[name].telegram_id for name in expected}


def test_the_profile_page_shows_birth_data_and_growth(staff, people):
    anna = people["anna"]
    response = staff.get(reverse("admin:users_telegramuser_change", args=[anna.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Екатеринбург" in page and "openstreetmap.org" in page
    assert "14:30" in page and "Asia/Yekaterinburg" in page
    assert reverse("admin:users_telegramuser_change", args=[people["bob"].pk]) in page
    bob_page = staff.get(reverse("admin:users_telegramuser_change", args=[people["bob"].pk])).content.decode()
    assert f"invited_by__id__exact={people['bob'].pk}" in bob_page


def test_staff_cannot_add_users_by_hand(staff):
    assert staff.get(reverse("admin:users_telegramuser_add")).status_code == 403


def test_staff_edits_go_through_the_services(staff, people):
    anna = people["anna"]
    url = reverse("admin:users_telegramuser_change", args=[anna.pk])
    form = {
        **inline_management_data(staff.get(url)),
        "language": "en",
        "current_tz": "Mars/Base",
        "notify_enabled": "on",
        "notify_time": "07:15",
    }

    refused = staff.post(url, form)
    assert refused.status_code == 200 and "Неизвестный часовой пояс" in refused.content.decode()

    saved = staff.post(url, {**form, "current_tz": "Asia/Tokyo"})
    assert saved.status_code == 302
    anna.refresh_from_db()
    assert (anna.language, anna.current_tz, anna.notify_time) == ("en", "Asia/Tokyo", time(7, 15))
    assert anna.notify_changed_at is not None
    assert anna.birth_utc == datetime(1990, 3, 15, 9, 30, tzinfo=UTC)  # natal data untouched


def test_grant_premium_for_n_days(staff, people):
    selected = [people["anna"].pk, people["bob"].pk]
    bob_until = people["bob"].premium_until
    action = {"action": "premium_extend_action", "_selected_action": selected}

    form = staff.post(CHANGELIST, action)
    assert form.status_code == 200
    assert "колько дней Премиума добавить" in form.content.decode()
    key = form.context["form"]["submission_key"].value()

    bad = staff.post(
        CHANGELIST, {**action, "index": "0", "apply": "1", "days": "0", "reason": "x", "submission_key": key}
    )
    assert bad.status_code == 200
    no_reason = staff.post(CHANGELIST, {**action, "index": "0", "apply": "1", "days": "30", "submission_key": key})
    assert no_reason.status_code == 200 and "reason" in no_reason.context["form"].errors
    assert TelegramUser.objects.get(pk=people["anna"].pk).premium_until is None

    apply = {**action, "index": "0", "apply": "1", "days": "30", "reason": "за сбой 5 мая", "submission_key": key}
    done = staff.post(CHANGELIST, apply, follow=True)
    assert "Премиум продлён на 30 дн. для 2 пользователей." in done.content.decode()
    anna = TelegramUser.objects.get(pk=people["anna"].pk)
    assert timezone.now() + timedelta(days=29) < anna.premium_until <= timezone.now() + timedelta(days=30)
    assert TelegramUser.objects.get(pk=people["bob"].pk).premium_until == bob_until + timedelta(days=30)

    again = staff.post(CHANGELIST, apply, follow=True)  # a double click or the browser resending
    assert "уже отправлена" in again.content.decode()
    assert TelegramUser.objects.get(pk=people["bob"].pk).premium_until == bob_until + timedelta(days=30)


def test_export_the_selection_as_csv(staff, people):
    response = staff.post(
        CHANGELIST, {"action": "export_csv_action", "_selected_action": [people["anna"].pk, people["bob"].pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert header[:3] == ["id в Telegram", "имя пользователя", "имя"]
    anna = next(row for row in body if row[1] == "anna_iv")
    assert anna[0] == str(2**40 + 7) and anna[2] == "Анна" and anna[4] == "Русский" and anna[5] == "Рыбы"
    assert anna[6] == "1990-03-15"
    assert anna[-1] == "555"
    bob = next(row for row in body if row[1] == "bob")
    assert bob[header.index("ежедневное уведомление включено")] == "нет"
    first_seen = bob[header.index("впервые замечен")]
    assert first_seen == f"{timezone.localtime(people['bob'].first_seen_at):%Y-%m-%d %H:%M}"  # local, no seconds
    assert bob[2].startswith("'=")  # a name is never a spreadsheet formula


def test_deleting_in_admin_erases_like_delete_me(staff, people):
    anna = people["anna"]
    response = staff.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [anna.pk], "post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert not TelegramUser.objects.filter(pk=anna.pk).exists()
    single = staff.post(reverse("admin:users_telegramuser_delete", args=[people["bob"].pk]), {"post": "yes"})
    assert single.status_code == 302
    assert not TelegramUser.objects.exists()
