"""Bot settings from the admin (django-constance): they take effect without a restart and cost no query per update."""

import pytest
from constance.forms import ConstanceForm
from constance.utils import get_values
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from horoscopes.tarot.selectors import tarot_daily_limit
from tests.driver import Dialog
from tests.factories import TelegramUserFactory
from users.bot_config import bot_config, bot_config_forget

pytestmark = pytest.mark.django_db

SETTINGS_URL = "admin:constance_config_changelist"


@pytest.fixture
def owner_client(client, django_user_model):
    from django.contrib.auth.models import Permission

    owner = django_user_model.objects.create_user("olga", password="pw", is_staff=True)
    owner.user_permissions.set(Permission.objects.filter(content_type__app_label="constance"))
    client.force_login(owner)
    return client


def _save(client, **changes):
    """Post the settings page as staff would: every current value, some changed."""
    # Constance logs against a content type it creates on first use; an earlier test's rolled back, uncache it.
    ContentType.objects.clear_cache()
    form = ConstanceForm(initial=get_values())
    data = {"version": form.initial["version"]}
    for name in form.fields:
        if name == "version":
            continue
        value = changes.get(name, form.initial.get(name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    response = client.post(reverse(SETTINGS_URL), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def _constance_queries(queries) -> int:
    return sum("constance" in query["sql"] for query in queries)


def test_settings_page_shows_every_setting_in_russian(owner_client):
    page = owner_client.get(reverse(SETTINGS_URL))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Настройки бота" in content
    assert "Раскладов таро в день без Премиума" in content
    assert "Техобслуживание" in content


def test_staff_without_the_permission_cannot_open_or_change_settings(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse(SETTINGS_URL)).status_code == 403


def test_a_saved_limit_takes_effect_at_once_and_is_in_the_history(owner_client, settings):
    settings.TAROT_FREE_DAILY_READINGS = 1
    assert tarot_daily_limit(premium=False) == 1
    _save(owner_client, TAROT_FREE_DAILY_READINGS=3)
    assert tarot_daily_limit(premium=False) == 3
    entry = LogEntry.objects.get(object_id="Config")
    assert "TAROT_FREE_DAILY_READINGS" in entry.change_message


def test_another_process_sees_the_change_within_the_cache_time(owner_client, settings, monkeypatch):
    from users import bot_config as module

    assert bot_config().tarot_enabled
    # Another process saved it: this one's copy is not told, it is simply reread once it expires.
    from constance import config

    monkeypatch.setattr(module, "_config_updated", lambda **kwargs: None)
    config._backend.set("TAROT_ENABLED", False)  # constance's signal drops this process's copy...
    module._cached = module.BotConfig(**{**bot_config().__dict__, "tarot_enabled": True})  # ...put a stale one back
    assert bot_config().tarot_enabled  # still fresh: no query
    module._expires = 0.0
    assert not bot_config().tarot_enabled


def test_reading_the_settings_costs_no_query_per_update(bot_settings):
    dialog = Dialog(bot_settings)
    dialog.send("/start")
    with CaptureQueriesContext(connection) as first:
        dialog.send("/help")
    with CaptureQueriesContext(connection) as steady:
        dialog.send("/help")
    bot_config_forget()
    with CaptureQueriesContext(connection) as expired:
        dialog.send("/help")
    assert _constance_queries(first.captured_queries) == 0
    assert _constance_queries(steady.captured_queries) == 0
    assert len(steady.captured_queries) == len(first.captured_queries)
    # Once the cached copy expires, one query reads every setting.
    assert _constance_queries(expired.captured_queries) == 1
    assert len(expired.captured_queries) == len(steady.captured_queries) + 1


def test_maintenance_answers_every_feature_but_support_and_payments(bot_settings, owner_client):
    dialog = Dialog(bot_settings)
    dialog.send("/start")
    _save(owner_client, MAINTENANCE=True, MAINTENANCE_MESSAGE="До 15:00 по Москве.")
    for command in ("/horoscope", "/tarot", "/natal", "/premium", "/start"):
        [answer] = dialog.send(command)
        assert "техническом обслуживании" in answer and "До 15:00 по Москве." in answer, command
    dialog.send("/tarot")
    dialog.press_data("tr:day")
    assert "техническом" in dialog.notices()[-1]
    [asked] = dialog.send("/support")
    assert "одним сообщением" in asked
    [thanks] = dialog.send("Когда заработает?")
    assert "передано команде" in thanks
    _save(owner_client, MAINTENANCE=False)
    assert "техническом" not in " ".join(dialog.send("/help"))


def test_maintenance_never_drops_a_payment_update(bot_settings, owner_client):
    from tests import driver

    _save(owner_client, MAINTENANCE=True)
    [checkout] = driver.post(driver.load("pre_checkout_query"))
    assert checkout.status_code == 200
    answers = bot_settings.calls_to("answerPreCheckoutQuery")
    assert answers and "техническом" not in str(answers[-1].params)


@pytest.mark.parametrize(
    ("switch", "command", "expected"),
    [
        ("TAROT_ENABLED", "/tarot", "временно отключён"),
        ("NATAL_ENABLED", "/natal", "временно отключён"),
        ("PAYMENTS_ENABLED", "/premium", "Премиум сейчас не продаётся"),
    ],
)
def test_a_switched_off_feature_says_so(bot_settings, owner_client, switch, command, expected):
    dialog = Dialog(bot_settings)
    dialog.send("/start")
    _save(owner_client, **{switch: False})
    [answer] = dialog.send(command)
    assert expected in answer
    _save(owner_client, **{switch: True})
    assert expected not in " ".join(dialog.send(command))


def test_switched_off_tarot_buttons_answer_with_an_alert(bot_settings, owner_client):
    dialog = Dialog(bot_settings)
    dialog.send("/start")
    dialog.send("/tarot")
    _save(owner_client, TAROT_ENABLED=False)
    dialog.press_data("tr:day")
    assert "временно отключён" in dialog.notices()[-1]


def test_support_contact_from_the_admin_overrides_the_environment(bot_settings, owner_client, settings):
    settings.BOT_SUPPORT_CONTACT = "@env_support"
    dialog = Dialog.of(bot_settings, TelegramUserFactory())
    assert "@env_support" in dialog.send("/paysupport")[0]
    _save(owner_client, SUPPORT_CONTACT="@desk")
    assert "@desk" in dialog.send("/paysupport")[0]
    assert "@desk" in dialog.send("/privacy")[0]
