"""YooKassa (cards, SBP) through the official `yookassa` SDK.

Two things the SDK does not do for us, handled here through its own extension points (subclasses of
its `ApiClient`, `Payment` and `Refund`, so no global monkeypatching):

* It sets no socket timeout, so a stalled connection would hang a worker forever: every request gets
  YOOKASSA_TIMEOUT, and a network failure surfaces as a retryable ProviderError (the SDK itself would
  turn it into an AttributeError on `None.status_code`).
* It makes up a random Idempotence-Key when given none: we always pass the key stored with our payment,
  so a retried create returns the same YooKassa payment instead of a second one.

The API address comes from YOOKASSA_API_URL (the SDK's `Configuration.configure(api_url=...)`), which
is how the tests point the real SDK at a fake YooKassa server on loopback.
"""

import json
from decimal import Decimal
from typing import Any

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3 import Retry
from yookassa import Configuration
from yookassa import Payment as SdkPayment
from yookassa import Refund as SdkRefund
from yookassa.client import ApiClient
from yookassa.domain.common import RequestObject
from yookassa.domain.exceptions import ApiError

from payments.providers.base import (
    CheckoutRequest,
    PaymentProvider,
    ProviderError,
    ProviderPayment,
    RefundRequest,
    RefundResult,
)

# YooKassa statuses -> ours. waiting_for_capture never happens with capture=True; it is not paid yet.
_STATUSES = {"pending": "pending", "waiting_for_capture": "pending", "succeeded": "succeeded", "canceled": "canceled"}


class _TimeoutAdapter(HTTPAdapter):
    """An HTTPAdapter that gives every request a timeout unless the caller set one."""

    def __init__(self, timeout: float, **kwargs: Any) -> None:
        self.timeout = timeout
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send with our timeout."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class _ApiClient(ApiClient):
    """The SDK's client with a socket timeout and network errors that propagate as they are."""

    def get_session(self) -> requests.Session:
        """A session whose adapter enforces the timeout (http too, for a local test server)."""
        session = requests.Session()
        # As the SDK does: YooKassa answers 202 while it is still working; the same key makes retries safe.
        # A stalled connection is tried once more, not max_attempts times: a task should not hang for minutes.
        retries = Retry(
            total=self.max_attempts,
            connect=1,
            read=1,
            backoff_factor=0.5,
            allowed_methods=["GET", "POST"],
            status_forcelist=[202],
            raise_on_status=False,
        )
        adapter = _TimeoutAdapter(float(settings.YOOKASSA_TIMEOUT), max_retries=retries)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def request(
        self,
        method: str = "",
        path: str = "",
        query_params: dict | None = None,
        headers: dict | None = None,
        body: object = None,
    ) -> dict:
        """Send one request; API errors raise the SDK's exceptions, network errors requests' own."""
        if isinstance(body, RequestObject):
            body.validate()
            body = dict(body)
        request_headers = self.prepare_request_headers(headers)
        try:
            response = self.execute(body, method, path, query_params, request_headers)
        except requests.HTTPError as exc:
            # execute() calls raise_for_status() while logging: any 4xx/5xx lands here.
            response = exc.response
        if response.status_code != 200:
            raise _api_error(response)
        return response.json()


def _api_error(response: requests.Response) -> ApiError:
    try:
        content = response.json()
    except ValueError:
        content = {"code": "http_error", "description": response.text[:200]}
    if not isinstance(content, dict):
        content = {"description": str(content)[:200]}
    error = ApiError(content)
    error.HTTP_CODE = response.status_code
    return error


class _Payment(SdkPayment):
    def __init__(self) -> None:
        self.client = _ApiClient()


class _Refund(SdkRefund):
    def __init__(self) -> None:
        self.client = _ApiClient()


def _configure() -> None:
    # The SDK keeps its configuration on a class; setting the same values before each call is cheap
    # and lets settings change (tests) without a restart.
    Configuration.configure(
        settings.YOOKASSA_SHOP_ID,
        settings.YOOKASSA_SECRET_KEY,
        api_url=settings.YOOKASSA_API_URL.rstrip("/"),
        max_attempts=3,
    )


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _raw(response: Any) -> dict:
    return json.loads(response.json())


def _call(function, *args: object, **kwargs: object):
    _configure()
    try:
        return function(*args, **kwargs)
    except ApiError as exc:
        status = getattr(exc, "HTTP_CODE", 0) or 0
        content = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
        message = f"YooKassa {status}: {content.get('code', '')} {content.get('description', '')}".strip()
        # 429 and 5xx may pass; 4xx will not.
        code = str(content.get("code", ""))
        raise ProviderError(message, retryable=status == 429 or status >= 500, code=code) from exc
    except requests.RequestException as exc:
        raise ProviderError(f"YooKassa unreachable: {type(exc).__name__}", retryable=True, code="network") from exc


class YooKassaProvider(PaymentProvider):
    """YooKassa with a redirect confirmation and a 54-FZ receipt."""

    name = "yookassa"
    currency = "RUB"

    @classmethod
    def is_enabled(cls) -> bool:
        """On when the shop id and the secret key are both set."""
        return bool(settings.YOOKASSA_SHOP_ID and settings.YOOKASSA_SECRET_KEY)

    def create(self, request: CheckoutRequest) -> ProviderPayment:
        """POST /payments with capture, redirect confirmation, our id in metadata and the receipt."""
        params: dict = {
            "amount": {"value": _money(request.amount), "currency": request.currency},
            "capture": True,
            "confirmation": {"type": "redirect", "return_url": request.return_url},
            "description": request.description[:128],
            "metadata": {"public_id": request.public_id},
        }
        if request.receipt_lines:
            receipt: dict = {
                "customer": {"email": request.receipt_email},
                "items": [
                    {
                        "description": line.description[:128],
                        "quantity": _money(line.quantity),
                        "amount": {"value": _money(line.amount), "currency": request.currency},
                        "vat_code": settings.YOOKASSA_VAT_CODE,
                        "payment_mode": "full_payment",
                        "payment_subject": "service",
                    }
                    for line in request.receipt_lines
                ],
            }
            if settings.YOOKASSA_TAX_SYSTEM_CODE:
                receipt["tax_system_code"] = settings.YOOKASSA_TAX_SYSTEM_CODE
            params["receipt"] = receipt
        response = _call(_Payment.create, params, request.idempotence_key)
        return self._payment(response)

    def fetch(self, provider_payment_id: str) -> ProviderPayment:
        """GET /payments/{id}."""
        return self._payment(_call(_Payment.find_one, provider_payment_id))

    def refund(self, request: RefundRequest) -> RefundResult:
        """POST /refunds for the whole amount, with our deterministic idempotence key."""
        params = {
            "payment_id": request.provider_payment_id,
            "amount": {"value": _money(request.amount), "currency": request.currency},
        }
        response = _call(_Refund.create, params, request.idempotence_key)
        if response.status == "canceled":
            raise ProviderError("YooKassa declined the refund", code="refund_canceled")
        return RefundResult(refund_id=response.id, raw=_raw(response))

    @staticmethod
    def _payment(response: object) -> ProviderPayment:
        raw = _raw(response)
        amount = raw.get("amount") or {}
        confirmation = raw.get("confirmation") or {}
        metadata = raw.get("metadata") or {}
        return ProviderPayment(
            provider_payment_id=str(raw.get("id", "")),
            status=_STATUSES.get(str(raw.get("status")), "pending"),
            amount=Decimal(str(amount.get("value", "0"))),
            currency=str(amount.get("currency", "")),
            public_id=str(metadata.get("public_id", "")),
            confirmation_url=str(confirmation.get("confirmation_url", "")),
            raw=raw,
        )
