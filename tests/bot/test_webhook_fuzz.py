"""Whatever arrives at the webhook, it never answers 5xx and stores nothing without the secret."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.models import TelegramUpdate, UpdateStatus
from tests import driver
from users.models import TelegramUser

pytestmark = pytest.mark.django_db

SECRET = "astrobot-dev-webhook-secret"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=5),
    max_leaves=20,
)
update_like = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=-(2**70), max_value=2**70)},
    optional={
        "message": st.dictionaries(
            st.sampled_from(["message_id", "date", "chat", "from", "text", "entities", "photo"]), json_values
        ),
        "callback_query": st.dictionaries(st.sampled_from(["id", "from", "data", "message"]), json_values),
        "my_chat_member": json_values,
    },
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    update_like.map(lambda value: json.dumps(value).encode()),
)
secrets = st.one_of(st.just(SECRET), st.just(""), st.text(max_size=64))
content_types = st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x", ""])


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, secret=secrets, content_type=content_types)
def test_webhook_never_fails_with_5xx(bot_settings, body, secret, content_type):
    stored_before = (TelegramUpdate.objects.count(), TelegramUser.objects.count())

    headers = {"X-Telegram-Bot-Api-Secret-Token": secret.encode(), "Content-Type": content_type}
    status = driver.request("POST", driver.WEBHOOK, content=body, headers=headers).status_code

    assert status < 500
    # Whatever happened, no claim is left "processing": that would answer every redelivery 503 until its lease ran out.
    assert not TelegramUpdate.objects.filter(status=UpdateStatus.PROCESSING).exists()
    if secret != SECRET:
        assert status == 403
        assert (TelegramUpdate.objects.count(), TelegramUser.objects.count()) == stored_before


def _typed_wrong(path: str, value: object) -> dict:
    """A real update from tests/fixtures with one field replaced by a value of the wrong type."""
    name, *keys = path.split(".")
    update = driver.load(name)
    node = update
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[keys[-1]] = value
    return update


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("message_start.message.chat.id", [5000000001, 1]),
        ("message_start.message.chat.id", "5000000001x"),
        ("message_start.message.from.id", "anna"),
        ("message_start.message.from", [1, 2]),
        ("message_start.message.text", 12345),
        ("message_start.message.text", {"text": "/start"}),
        ("message_start.message.entities", [{"type": "bot_command", "offset": "0", "length": None}]),
        ("message_start.message.date", "yesterday"),
        ("message_start.message.chat.type", ["private"]),
        ("callback_query.callback_query.data", {"lang": "en"}),
        ("callback_query.callback_query.message", "gone"),
        ("callback_query.callback_query.from.id", 1.5),
        ("my_chat_member_kicked.my_chat_member.new_chat_member", [1]),
        ("pre_checkout_query.pre_checkout_query.total_amount", "lots"),
        ("successful_payment.message.successful_payment", ["paid"]),
    ],
)
def test_update_with_a_field_of_the_wrong_type_is_recorded_failed_and_answered_200(bot_settings, path, value):
    update = _typed_wrong(path, value)

    [response] = driver.post(update)

    assert response.status_code == 200, response.text
    claim = TelegramUpdate.objects.get(update_id=update["update_id"])
    assert claim.status in {UpdateStatus.FAILED, UpdateStatus.DONE}
    if claim.status == UpdateStatus.FAILED:
        assert claim.payload == update and claim.error
