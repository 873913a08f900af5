"""Whatever arrives at the webhook, it never answers 5xx and stores nothing without the secret."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.models import TelegramUpdate
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
    if secret != SECRET:
        assert status == 403
        assert (TelegramUpdate.objects.count(), TelegramUser.objects.count()) == stored_before
