"""Fixtures of the payments tests: plans, a fake YooKassa, and driving the bot through its webhook."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync

from payments.models import Plan
from payments.providers import fake
from tests.asgi import AsgiServer
from tests.fakes.yookassa_server import SECRET_KEY, SHOP_ID, FakeYooKassa

CHAT = 5300000001
OTHER = 5300000002


@pytest.fixture
def plans(db):
    """The three default plans (as the data migration seeds them; --nomigrations runs have none)."""
    specs = {
        "month": {
            "name_ru": "1 месяц",
            "name_en": "1 month",
            "days": 30,
            "price_stars": 150,
            "price_rub": Decimal("299.00"),
            "is_subscription": False,
            "position": 10,
        },
        "year": {
            "name_ru": "12 месяцев",
            "name_en": "12 months",
            "days": 365,
            "price_stars": 1200,
            "price_rub": Decimal("2390.00"),
            "is_subscription": False,
            "position": 20,
        },
        "month-subscription": {
            "name_ru": "Подписка",
            "name_en": "Subscription",
            "days": 30,
            "price_stars": 130,
            "price_rub": None,
            "is_subscription": True,
            "position": 30,
        },
    }
    made = {code: Plan.objects.update_or_create(code=code, defaults=spec)[0] for code, spec in specs.items()}
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


def post(*items: object, **kwargs: object) -> list:
    """Start the web app, post each update to the webhook in turn, stop; the responses."""

    async def scenario() -> list:
        async with AsgiServer() as server:
            return [await server.post_update(item, **kwargs) for item in items]

    return async_to_sync(scenario)()


def texts_to(api, chat_id: int = CHAT) -> list[str]:
    """Texts of the messages the bot sent to a chat, in order."""
    return [call.params.get("text", "") for call in api.sent_to(chat_id) if call.method == "sendMessage"]


def buttons(call) -> list[dict]:
    """Inline buttons of a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]
