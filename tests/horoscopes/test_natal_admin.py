"""Staff see a user's computed chart: positions, houses, aspects and the wheel image."""

import pytest
from django.urls import reverse

from horoscopes.natal.services import natal_chart_get
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db


def test_chart_on_the_user_page_and_its_wheel(admin_client):
    user = TelegramUserFactory(born=True)
    chart = natal_chart_get(user_id=user.pk)

    page = admin_client.get(reverse("admin:users_telegramuser_change", args=[user.pk]))
    wheel = admin_client.get(reverse("admin:horoscopes_natalchart_wheel", args=[chart.pk]))
    detail = admin_client.get(reverse("admin:horoscopes_natalchart_change", args=[chart.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Солнце в Тельце" in body and "9 дом" in body
    assert reverse("admin:horoscopes_natalchart_wheel", args=[chart.pk]) in body
    assert wheel.status_code == 200 and wheel["Content-Type"] == "image/png"
    assert wheel.content.startswith(b"\x89PNG")
    assert detail.status_code == 200 and "Асцендент" in detail.content.decode()
