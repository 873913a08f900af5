"""The audit: staff changes on each object's history, and one log page for owners, filterable by staff member."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from horoscopes.daily import services as daily
from horoscopes.llm.models import Prompt
from horoscopes.llm.prompts import prompt_active
from horoscopes.tarot.models import TarotCard
from horoscopes.tarot.seed import tarot_deck_seed
from payments.models import Plan
from tests.factories import TelegramUserFactory
from users.audit import audit_record
from users.models import TelegramUser

pytestmark = pytest.mark.django_db


def form_data(obj: object, **changes: object) -> dict:
    data = {k: v for k, v in model_to_dict(obj).items() if v is not None and k != "image"}
    return {**data, **changes}


def history(client, url_name: str, pk: int) -> str:
    return client.get(reverse(url_name, args=[pk])).content.decode()


def test_text_edits_are_on_the_objects_history(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tarot_deck_seed()
    editor = staff("editor", groups=("Content",))
    client.force_login(editor)
    horoscope = daily.daily_generate(sign="leo", day=timezone.localdate(), language="ru")
    card = TarotCard.objects.get(key="the_star")
    prompt = prompt_active("daily", "ru")

    edits = [
        client.post(
            reverse("admin:horoscopes_dailyhoroscope_change", args=[horoscope.pk]),
            form_data(horoscope, tip="Позвоните маме."),
        ),
        client.post(
            reverse("admin:horoscopes_tarotcard_change", args=[card.pk]), form_data(card, name_ru="Звезда надежды")
        ),
        client.post(
            reverse("admin:horoscopes_prompt_change", args=[prompt.pk]),
            {"system": prompt.system + "\nКороче.", "template": prompt.template, "note": "короче"},
        ),
    ]

    assert [e.status_code for e in edits] == [302, 302, 302]
    entry = LogEntry.objects.get(object_id=str(horoscope.pk), content_type__model="dailyhoroscope")
    assert entry.user == editor and entry.get_change_message().startswith("Изменено")
    assert entry.get_change_message() in history(client, "admin:horoscopes_dailyhoroscope_history", horoscope.pk)
    assert "Изменено" in history(client, "admin:horoscopes_tarotcard_history", card.pk)
    new_version = Prompt.objects.filter(key="daily", language="ru").order_by("-version").first()
    assert LogEntry.objects.filter(user=editor, object_id=str(new_version.pk), content_type__model="prompt").exists()


def test_plan_changes_are_recorded(admin_client, admin_user):
    plan = Plan.objects.order_by("pk").first()
    assert plan is not None

    response = admin_client.post(
        reverse("admin:payments_plan_change", args=[plan.pk]), form_data(plan, price_stars=(plan.price_stars or 0) + 1)
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(plan.pk), content_type__model="plan", user=admin_user)
    assert entry.action_flag == CHANGE and "Stars" in entry.get_change_message()


def test_the_log_page_filters_by_staff_member_links_to_the_object_and_shows_utc(client, staff):
    owner = staff("owner", groups=("Owner",))
    support = staff("support", groups=("Support",))
    person = TelegramUserFactory(first_name="Анна")
    audit_record(staff_id=support.pk, obj=person, message="Premium: 30 дней, причина: сбой оплаты")
    audit_record(staff_id=owner.pk, obj=person, message="Проверено владельцем")
    client.force_login(owner)
    url = reverse("admin:admin_logentry_changelist")

    everything = client.get(url)
    by_support = client.get(url, {"user__id__exact": support.pk})
    searched = client.get(url, {"q": "Анна"})

    assert everything.status_code == 200
    body = by_support.content.decode()
    assert "сбой оплаты" in body and "Проверено владельцем" not in body
    assert reverse("admin:users_telegramuser_change", args=[person.pk]) in body
    assert " UTC" in body and "<time datetime=" in body
    assert searched.context["cl"].result_count == 2
    assert client.get(url, {"action_flag__exact": "1"}).context["cl"].result_count == 0
    entry = LogEntry.objects.first()
    assert client.post(reverse("admin:admin_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert TelegramUser.objects.filter(pk=person.pk).exists()
