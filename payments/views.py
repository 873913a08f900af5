"""The YooKassa notification endpoint: a hint to look a payment up, never a source of truth."""

import ipaddress
import json
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_q.tasks import async_task

from payments.models import Payment, Provider
from payments.signals import NotificationRefused, notification_received

logger = logging.getLogger(__name__)

# A notification is a few hundred bytes; anything much larger is not from YooKassa.
MAX_BODY = 64 * 1024


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in allowed if item.strip())


def client_address(request: HttpRequest) -> str:
    """The sender's address as our own side recorded it, or "" when nothing trustworthy says it.

    Behind N proxies (PAYMENTS_PROXY_COUNT): the N-th address from the right of X-Forwarded-For, the one our
    outermost proxy wrote; entries further left were written by the client and prove nothing. The peer
    address is not used: uvicorn (gunicorn's `forwarded_allow_ips`, 127.0.0.1 by default) may already have
    replaced it with an entry of that header. With no proxy: the peer, and only for a request without
    X-Forwarded-For (YooKassa sends none; from a loopback peer uvicorn would have taken the peer address
    from it, so a forged header would pass as YooKassa). README, "Payments", has the settings.
    """
    hops = settings.PAYMENTS_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops <= 0:
        return "" if forwarded else request.META.get("REMOTE_ADDR", "")
    if len(forwarded) < hops:
        return ""
    return forwarded[-hops]


def address_allowed(address: str) -> bool:
    """Whether an address is in YooKassa's published ranges."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.YOOKASSA_ALLOWED_IPS)))


@csrf_exempt
@require_POST
def yookassa_notification(request: HttpRequest) -> JsonResponse:
    """Queue a check of the payment named in the notification; the check asks YooKassa's API itself."""
    address = client_address(request)
    if settings.YOOKASSA_CHECK_IP and not address_allowed(address):
        logger.warning("YooKassa notification from a foreign address %r refused", address)
        return JsonResponse({"ok": False, "error": "forbidden"}, status=403)
    try:
        notification_received.send(sender=Provider.YOOKASSA, address=address)
    except NotificationRefused as refused:
        response = JsonResponse({"ok": False, "error": "too many notifications"}, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    if len(request.body) > MAX_BODY:
        return JsonResponse({"ok": False, "error": "too large"}, status=413)
    try:
        body = json.loads(request.body)
        payment_object = body.get("object") if isinstance(body, dict) else None
        provider_payment_id = payment_object.get("id") if isinstance(payment_object, dict) else None
        event = str(body.get("event", ""))
    except (ValueError, UnicodeDecodeError, AttributeError):
        return JsonResponse({"ok": False, "error": "malformed"}, status=400)
    if not isinstance(provider_payment_id, str) or not provider_payment_id or len(provider_payment_id) > 255:
        return JsonResponse({"ok": False, "error": "malformed"}, status=400)
    if not event.startswith("payment."):
        # Refund events and the like: refunds start from our admin, which records them itself.
        return JsonResponse({"ok": True, "result": "ignored"})
    payment_id = (
        Payment.objects.filter(provider=Provider.YOOKASSA, provider_payment_id=provider_payment_id)
        .values_list("pk", flat=True)
        .first()
    )
    if payment_id is None:
        # Answer 200 anyway: a retry cannot make an unknown payment ours.
        logger.warning("YooKassa notification about an unknown payment %s", provider_payment_id)
        return JsonResponse({"ok": True, "result": "unknown"})
    async_task("payments.tasks.payment_check", payment_id=payment_id)
    return JsonResponse({"ok": True, "result": "queued"})
