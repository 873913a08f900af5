"""The local console (`manage.py chat`): a person buys Premium with Stars and by card, typing as they would."""

import io
import sys

import pytest
from django.core.management import call_command

from payments.models import Payment, PaymentStatus, Subscription
from users.models import TelegramUser

pytestmark = pytest.mark.django_db(transaction=True)


def chat(monkeypatch, script: str, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    out = io.StringIO()
    call_command("chat", *args, stdout=out)
    return out.getvalue()


def test_buying_with_stars_and_subscribing_in_the_console(monkeypatch, plans):
    # /premium, the month plan, Telegram's Pay button; the same invoice once more; then the subscription.
    out = chat(monkeypatch, "/premium\n#1\n#1\n/premium\n#3\n#1\n/premium\n", "--user-id", "4343", "--language", "en")

    assert "[invoice] Premium: 1 month" in out
    assert "(you paid 150 ⭐)" in out
    assert "Thank you! Premium is active until" in out
    assert "(you paid 130 ⭐)" in out
    assert "Turn off auto-renewal" in out
    user = TelegramUser.objects.get(telegram_id=4343)
    assert Payment.objects.filter(user=user, status=PaymentStatus.SUCCEEDED).count() == 2
    assert Subscription.objects.get().user == user


def test_card_payment_with_the_fake_provider_in_the_console(monkeypatch, plans, settings):
    settings.PAYMENTS_FAKE_PROVIDER = True
    from payments.providers import fake

    fake.autopay = True
    out = chat(monkeypatch, "/premium\n#2\nnobody@example.com\n#1\n#2\n", "--user-id", "4345")

    assert "Минутку, готовлю страницу оплаты" in out
    assert "(this button opens https://pay.example.com/fake/" in out
    assert "Спасибо! Премиум активен до" in out
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
