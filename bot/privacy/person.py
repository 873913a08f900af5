"""Everything kept about a person, across apps: /my_data, /delete_me and staff's erase use these two.

The bot sits above every app, so this is where their parts are listed, in plain code.
"""

from typing import Any

from django.db import transaction

from bot.privacy.tasks import tasks_forget
from bot.services import updates_export_for_user, updates_forget_user
from horoscopes.daily.selectors import horoscopes_user_data_export
from horoscopes.tarot.selectors import tarot_user_data_export
from payments.models import Payment, Subscription
from payments.services import payments_erase, payments_export
from support.services import support_user_data_export, support_user_erase
from users.models import TelegramUser
from users.services import json_value, user_data_export, user_erase

# Each takes the user and returns (section name, JSON-serialisable data) for /my_data.
EXPORTERS = (
    horoscopes_user_data_export,
    tarot_user_data_export,
    payments_export,
    support_user_data_export,
    updates_export_for_user,
)


def person_tasks_forget(user: TelegramUser) -> None:
    """Finished tasks that name the person: their Telegram id, or a charge id that ties a kept payment to them."""
    charges = [
        *Payment.objects.filter(user=user)
        .exclude(provider_payment_id="")
        .values_list("provider_payment_id", flat=True),
        *Subscription.objects.filter(user=user).values_list("charge_id", flat=True),
    ]
    tasks_forget(markers=[str(user.telegram_id), *charges])


# Each runs inside person_erase's transaction before the user row goes: it detaches what must be kept
# (payments, for accounting) and deletes the rest; rows with CASCADE go with the user (users.services
# anonymises the admin log of everything that goes). The task log goes first, while payments still name
# their owner.
ERASERS = (person_tasks_forget, payments_erase, support_user_erase, updates_forget_user)


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
