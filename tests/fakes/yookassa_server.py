"""A fake YooKassa API v3 over real HTTP on loopback, for the real `yookassa` SDK to talk to.

It checks what the real API checks that matters to us (Basic auth, the Idempotence-Key header and its
reuse, amounts, the redirect confirmation, the 54-FZ receipt), keeps payments and refunds, and lets a
test play the person and the bank: `pay`, `cancel`, `notification` (the body YooKassa would POST to us),
`fail_next` (5xx, or a stall longer than the client's timeout).
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from bot.console.fake_api import HttpReply, HttpRequest, LoopbackServer, json_reply

SHOP_ID = "123456"
SECRET_KEY = "test_secret_key_for_the_fake"  # a fake key for a fake server


@dataclass(frozen=True)
class Call:
    """One request the fake answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int


class _Error(Exception):
    def __init__(self, status: int, code: str, description: str, parameter: str | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description
        self.parameter = parameter

    def reply(self) -> HttpReply:
        payload = {"type": "error", "id": str(uuid.uuid4()), "code": self.code, "description": self.description}
        if self.parameter:
            payload["parameter"] = self.parameter
        return json_reply(self.status, payload)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{datetime.now(UTC).microsecond // 1000:03d}Z"


def _money(node: Any, parameter: str) -> Decimal:
    if not isinstance(node, dict) or not isinstance(node.get("value"), str | int | float):
        raise _Error(400, "invalid_request", f"{parameter} is required", parameter)
    try:
        value = Decimal(str(node["value"]))
    except InvalidOperation:
        raise _Error(400, "invalid_request", f"{parameter}.value is not a number", parameter) from None
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise _Error(400, "invalid_request", f"{parameter}.value is invalid", parameter)
    if node.get("currency") != "RUB":
        raise _Error(400, "invalid_request", f"{parameter}.currency is not supported", parameter)
    return value


class FakeYooKassa:
    """A YooKassa look-alike: `with FakeYooKassa() as kassa:` then point YOOKASSA_API_URL at `kassa.api_url`."""

    def __init__(self, shop_id: str = SHOP_ID, secret_key: str = SECRET_KEY) -> None:
        self.shop_id = shop_id
        self.secret_key = secret_key
        self._lock = threading.Lock()
        self._payments: dict[str, dict[str, Any]] = {}
        self._refunds: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = {}
        self._failures: list[tuple[int, float]] = []
        self._calls: list[Call] = []
        self._server = LoopbackServer(
            self._respond, error_reply=lambda status, text: _Error(status, "error", text).reply()
        )

    # --- lifecycle ---------------------------------------------------------------------------------------

    def __enter__(self) -> FakeYooKassa:
        self._server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.stop()

    @property
    def api_url(self) -> str:
        """What YOOKASSA_API_URL should be."""
        return f"{self._server.origin}/v3"

    # --- inspection and control --------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every answered request."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        """Requests of one method whose path starts with prefix (e.g. "POST", "/v3/payments")."""
        return [call for call in self.calls if call.method == method and call.path.startswith(prefix)]

    def payment(self, payment_id: str) -> dict[str, Any]:
        """A payment as the API would return it."""
        with self._lock:
            return copy.deepcopy(self._payments[payment_id])

    @property
    def payments(self) -> list[dict[str, Any]]:
        """Every payment, oldest first."""
        with self._lock:
            return [copy.deepcopy(payment) for payment in self._payments.values()]

    @property
    def refunds(self) -> list[dict[str, Any]]:
        """Every refund, oldest first."""
        with self._lock:
            return [copy.deepcopy(refund) for refund in self._refunds.values()]

    def pay(self, payment_id: str) -> dict[str, Any]:
        """The person paid by card: the payment succeeds (capture=true)."""
        with self._lock:
            payment = self._payments[payment_id]
            if payment["status"] != "pending":
                raise ValueError(f"payment {payment_id} is {payment['status']}")
            payment.update(
                status="succeeded" if payment.get("_capture", True) else "waiting_for_capture",
                paid=True,
                captured_at=_now(),
                refundable=True,
                income_amount={"value": payment["amount"]["value"], "currency": "RUB"},
                payment_method={
                    "type": "bank_card",
                    "id": str(uuid.uuid4()),
                    "saved": False,
                    "title": "Bank card *4444",
                },
                authorization_details={"rrn": "10000000000", "auth_code": "000000"},
            )
            payment.pop("confirmation", None)
            return self._public(payment)

    def cancel(self, payment_id: str, reason: str = "expired_on_confirmation") -> dict[str, Any]:
        """The person never paid, or the bank refused: the payment is cancelled."""
        with self._lock:
            payment = self._payments[payment_id]
            payment.update(
                status="canceled",
                paid=False,
                cancellation_details={"party": "yoo_money", "reason": reason},
            )
            payment.pop("confirmation", None)
            return self._public(payment)

    def notification(self, payment_id: str, event: str | None = None) -> dict[str, Any]:
        """The body YooKassa POSTs to the shop's notification URL about this payment."""
        with self._lock:
            payment = self._public(self._payments[payment_id])
        return {"type": "notification", "event": event or f"payment.{payment['status']}", "object": payment}

    def fail_next(self, status: int = 500, *, times: int = 1, delay: float = 0.0) -> None:
        """The next requests answer `status` (0: answer normally) after `delay` seconds."""
        with self._lock:
            self._failures.extend([(status, delay)] * times)

    # --- HTTP ----------------------------------------------------------------------------------------------

    def _respond(self, request: HttpRequest) -> HttpReply:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, delay = failure
            if delay:
                time.sleep(delay)
            if status:
                reply = _Error(status, "internal_server_error", "Internal server error").reply()
                self._record(request, None, status)
                return reply
        body: Any = None
        try:
            if request.body:
                try:
                    body = json.loads(request.body)
                except ValueError:
                    raise _Error(400, "invalid_request", "Malformed JSON") from None
            self._authenticate(request)
            reply = self._route(request, body)
        except _Error as exc:
            reply = exc.reply()
        self._record(request, body, reply.status)
        return reply

    def _record(self, request: HttpRequest, body: Any, status: int) -> None:
        with self._lock:
            self._calls.append(Call(request.method, urlsplit(request.path).path, dict(request.headers), body, status))

    def _authenticate(self, request: HttpRequest) -> None:
        header = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{self.shop_id}:{self.secret_key}".encode()).decode()
        if header != f"Basic {expected}":
            raise _Error(401, "invalid_credentials", "Login or password is incorrect")

    def _route(self, request: HttpRequest, body: Any) -> HttpReply:
        path = urlsplit(request.path).path.rstrip("/")
        parts = path.split("/")
        if parts[:2] != ["", "v3"] or len(parts) < 3:
            raise _Error(404, "not_found", "Not found")
        resource, rest = parts[2], parts[3:]
        if request.method == "POST" and resource in {"payments", "refunds"} and not rest:
            return self._idempotent(request, body, self._create_payment if resource == "payments" else self._refund)
        if request.method == "GET" and resource == "payments" and len(rest) == 1:
            with self._lock:
                payment = self._payments.get(rest[0])
                if payment is None:
                    raise _Error(404, "not_found", "Payment not found", "payment_id")
                return json_reply(200, self._public(payment))
        if request.method == "GET" and resource == "refunds" and len(rest) == 1:
            with self._lock:
                refund = self._refunds.get(rest[0])
                if refund is None:
                    raise _Error(404, "not_found", "Refund not found", "refund_id")
                return json_reply(200, copy.deepcopy(refund))
        raise _Error(404, "not_found", "Not found")

    def _idempotent(self, request: HttpRequest, body: Any, create) -> HttpReply:
        key = request.headers.get("idempotence-key", "")
        if not key or len(key) > 64:
            raise _Error(400, "invalid_request", "Idempotence key is required", "Idempotence-Key")
        if not isinstance(body, dict):
            raise _Error(400, "invalid_request", "Request body is required")
        resource = urlsplit(request.path).path
        with self._lock:
            known = self._keys.get((resource, key))
            if known is not None:
                fingerprint, status, answer = known
                if fingerprint != json.dumps(body, sort_keys=True):
                    raise _Error(400, "invalid_request", "Idempotence key duplicated with other parameters")
                return json_reply(status, copy.deepcopy(answer))
            answer = create(body)
            self._keys[(resource, key)] = (json.dumps(body, sort_keys=True), 200, copy.deepcopy(answer))
            return json_reply(200, answer)

    def _create_payment(self, body: dict[str, Any]) -> dict[str, Any]:
        amount = _money(body.get("amount"), "amount")
        confirmation = body.get("confirmation")
        if not isinstance(confirmation, dict) or confirmation.get("type") != "redirect":
            raise _Error(400, "invalid_request", "confirmation.type redirect is expected here", "confirmation")
        if not str(confirmation.get("return_url", "")).startswith(("https://", "http://")):
            raise _Error(400, "invalid_request", "return_url is required", "confirmation.return_url")
        description = body.get("description", "")
        if not isinstance(description, str) or len(description) > 128:
            raise _Error(400, "invalid_request", "description is too long", "description")
        metadata = body.get("metadata") or {}
        if not isinstance(metadata, dict) or len(metadata) > 16:
            raise _Error(400, "invalid_request", "metadata is invalid", "metadata")
        receipt = body.get("receipt")
        if receipt is not None:
            self._check_receipt(receipt, amount)
        payment_id = f"{uuid.uuid4()}"
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": {"value": f"{amount:.2f}", "currency": "RUB"},
            "confirmation": {
                "type": "redirect",
                "return_url": confirmation["return_url"],
                "confirmation_url": f"https://yoomoney.ru/checkout/payments/v2/contract?orderId={payment_id}",
            },
            "created_at": _now(),
            "description": description,
            "metadata": metadata,
            "recipient": {"account_id": self.shop_id, "gateway_id": "1000001"},
            "refundable": False,
            "test": True,
            "_capture": bool(body.get("capture", False)),
            "_receipt": receipt,
        }
        self._payments[payment_id] = payment
        return self._public(payment)

    @staticmethod
    def _check_receipt(receipt: Any, amount: Decimal) -> None:
        if not isinstance(receipt, dict):
            raise _Error(400, "invalid_request", "receipt is invalid", "receipt")
        customer = receipt.get("customer") or {}
        if not (customer.get("email") or customer.get("phone")):
            raise _Error(400, "invalid_request", "receipt.customer needs email or phone", "receipt.customer")
        items = receipt.get("items")
        if not isinstance(items, list) or not items:
            raise _Error(400, "invalid_request", "receipt.items is required", "receipt.items")
        total = Decimal("0")
        for item in items:
            if not isinstance(item, dict) or not 1 <= len(str(item.get("description", ""))) <= 128:
                raise _Error(400, "invalid_request", "item description is invalid", "receipt.items.description")
            if item.get("vat_code") not in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12):
                raise _Error(400, "invalid_request", "item vat_code is invalid", "receipt.items.vat_code")
            quantity = Decimal(str(item.get("quantity", "0")))
            total += _money(item.get("amount"), "receipt.items.amount") * quantity
        if total != amount:
            raise _Error(400, "invalid_request", "receipt items do not add up to the amount", "receipt.items")

    def _refund(self, body: dict[str, Any]) -> dict[str, Any]:
        payment = self._payments.get(str(body.get("payment_id", "")))
        if payment is None:
            raise _Error(404, "not_found", "Payment not found", "payment_id")
        amount = _money(body.get("amount"), "amount")
        if payment["status"] != "succeeded":
            raise _Error(400, "invalid_request", "Payment is not refundable", "payment_id")
        refunded = Decimal(payment.get("refunded_amount", {}).get("value", "0"))
        if refunded + amount > Decimal(payment["amount"]["value"]):
            raise _Error(400, "invalid_request", "Refund amount exceeds the payment", "amount")
        refund_id = str(uuid.uuid4())
        refund = {
            "id": refund_id,
            "payment_id": payment["id"],
            "status": "succeeded",
            "amount": {"value": f"{amount:.2f}", "currency": "RUB"},
            "created_at": _now(),
        }
        self._refunds[refund_id] = refund
        payment["refunded_amount"] = {"value": f"{refunded + amount:.2f}", "currency": "RUB"}
        if refunded + amount == Decimal(payment["amount"]["value"]):
            payment["refundable"] = False
        return copy.deepcopy(refund)

    @staticmethod
    def _public(payment: dict[str, Any]) -> dict[str, Any]:
        return {key: copy.deepcopy(value) for key, value in payment.items() if not key.startswith("_")}
