"""Fixtures of the payments tests: the seeded plans and a fake YooKassa."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps

from payments.models import Plan
from payments.providers import fake
from tests.fakes.yookassa_server import SECRET_KEY, SHOP_ID, FakeYooKassa

plans_seed = importlib.import_module("payments.migrations.0002_seed_plans").plans_seed


@pytest.fixture
def plans(db):
    """The three default plans, as the data migration seeds them (seeded here too for runs without migrations)."""
    plans_seed(django_apps, None)
    made = {plan.code: plan for plan in Plan.objects.all()}
    return SimpleNamespace(month=made["month"], year=made["year"], subscription=made["month-subscription"])


@pytest.fixture
def yookassa(settings):
    """A fake YooKassa on loopback with the real SDK pointed at it; YooKassa switched on."""
    with FakeYooKassa() as kassa:
        settings.YOOKASSA_SHOP_ID = SHOP_ID
        settings.YOOKASSA_SECRET_KEY = SECRET_KEY
        settings.YOOKASSA_API_URL = kassa.api_url
        settings.YOOKASSA_TIMEOUT = 2.0
        settings.YOOKASSA_RETURN_URL = "https://t.me/astrobot_fake_bot"
        yield kassa


@pytest.fixture(autouse=True)
def _fake_provider_forgets():
    fake.reset()
    yield
    fake.reset()
