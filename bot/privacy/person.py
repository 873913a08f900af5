"""Everything kept about a person, across apps: /my_data, /delete_me and staff's erase use these two.

The bot sits above every app, so this is where their parts are listed, in plain code.
"""

from typing import Any

from django.db import transaction

from bot.services import updates_export_for_user, updates_forget_user
from horoscopes.daily.selectors import horoscopes_user_data_export
from horoscopes.tarot.selectors import tarot_user_data_export
from payments.services import payments_erase, payments_export
from users.models import TelegramUser
from users.services import json_value, user_data_export, user_erase

# Each takes the user and returns (section name, JSON-serialisable data) for /my_data.
EXPORTERS = (horoscopes_user_data_export, tarot_user_data_export, payments_export, updates_export_for_user)
# Each runs inside person_erase's transaction before the user row goes: it detaches what must be kept
# (payments, for accounting) and deletes the rest; rows with CASCADE go with the user.
ERASERS = (payments_erase, updates_forget_user)


def person_export(*, user_id: int) -> dict[str, Any]:
    """Everything stored about the user, as one JSON-serialisable document."""
    document = user_data_export(user_id=user_id)
    user = TelegramUser.objects.get(pk=user_id)
    for exporter in EXPORTERS:
        section, data = exporter(user)
        document[section] = json_value(data)
    return document


@transaction.atomic
def person_erase(*, user_id: int) -> bool:
    """Erase a person: every app's part, then the user; False when there was no such user."""
    user = TelegramUser.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return False
    for eraser in ERASERS:
        eraser(user)
    return user_erase(user_id=user_id)
