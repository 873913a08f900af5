"""The button under a broadcast: a tracked link or a tracked bot action."""

from django.conf import settings
from django.urls import reverse

from bot.ui import callback_data
from broadcasts.models import Broadcast, ButtonKind
from broadcasts.services import click_token

PREFIX = "bc"


def click_url(*, broadcast: Broadcast, recipient_id: int | None) -> str:
    """The link under the button: through our redirect (counting the press) when the site's address is known."""
    if not settings.PUBLIC_URL or recipient_id is None:
        return broadcast.button_url
    token = click_token(recipient_id=recipient_id)
    return settings.PUBLIC_URL.rstrip("/") + reverse("broadcast-click", args=[token])


def button_markup(*, broadcast: Broadcast, label: str, recipient_id: int | None) -> dict | None:
    """Bot API JSON of the broadcast's button, or None without one."""
    if broadcast.button_kind == ButtonKind.URL and broadcast.button_url:
        button = {"text": label, "url": click_url(broadcast=broadcast, recipient_id=recipient_id)}
    elif broadcast.button_kind == ButtonKind.ACTION and broadcast.button_action:
        button = {"text": label, "callback_data": callback_data.build(PREFIX, broadcast.pk)}
    else:
        return None
    return {"inline_keyboard": [[button]]}
