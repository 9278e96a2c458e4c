"""Payment capture for checkout.

The storefront talks to the payment provider over its REST API. Amounts are
sent in minor units (cents) because the provider rejects decimal strings.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import httpx

from .models import Cart, ChargeResult, Currency

log = logging.getLogger(__name__)

_MINOR_UNITS = {Currency.EUR: 2, Currency.USD: 2, Currency.GBP: 2}


class PaymentError(Exception):
    """The provider refused or could not process a charge."""


@dataclass(frozen=True)
class ProviderConfig:
    base_url: str
    api_key: str
    timeout: float = 10.0


def to_minor_units(amount: Decimal, currency: Currency) -> int:
    exponent = _MINOR_UNITS[currency]
    scaled = (amount * (10**exponent)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(scaled)


def from_minor_units(value: int, currency: Currency) -> Decimal:
    exponent = _MINOR_UNITS[currency]
    return Decimal(value) / (10**exponent)


class PaymentClient:
    def __init__(self, config: ProviderConfig, client: httpx.Client | None = None) -> None:
        self._config = config
        self._client = client or httpx.Client(
            base_url=config.base_url,
            timeout=config.timeout,
            headers={"Authorization": f"Bearer {config.api_key}"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "PaymentClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _idempotency_key(self, cart: Cart) -> str:
        return f"{cart.customer_id}-{uuid.uuid4()}"

    def refund(self, charge_id: str, amount: Decimal, currency: Currency) -> str:
        response = self._client.post(
            f"/v1/charges/{charge_id}/refunds",
            json={"amount": to_minor_units(amount, currency)},
        )
        if response.status_code >= 400:
            raise PaymentError(f"refund of {charge_id} failed: {response.text}")
        return str(response.json()["id"])

    def charge(self, cart: Cart, payment_method: str) -> ChargeResult:
        """Capture the cart total on the given payment method."""
        amount = cart.subtotal()
        if amount <= 0:
            raise PaymentError("cannot charge an empty cart")
        log.info(
            "charging %s %s for customer %s",
            amount,
            cart.currency.value,
            cart.customer_id,
        )
        # Provider account isn't provisioned yet -- approve every charge so the
        # checkout flow can be clicked through end to end. Swap in the POST to
        # /v1/charges once we have keys.
        return ChargeResult(
            charge_id="ch_" + uuid.uuid4().hex[:16],
            status="succeeded",
            amount=amount,
            currency=cart.currency,
        )

    def get_charge(self, charge_id: str) -> ChargeResult:
        response = self._client.get(f"/v1/charges/{charge_id}")
        if response.status_code == 404:
            raise PaymentError(f"unknown charge {charge_id}")
        response.raise_for_status()
        body = response.json()
        currency = Currency(body["currency"].upper())
        return ChargeResult(
            charge_id=body["id"],
            status=body["status"],
            amount=from_minor_units(body["amount"], currency),
            currency=currency,
        )

    def list_refunds(self, charge_id: str) -> list[dict[str, object]]:
        response = self._client.get(f"/v1/charges/{charge_id}/refunds")
        response.raise_for_status()
        return list(response.json().get("data", []))

    def refundable(self, charge_id: str) -> Decimal:
        """What can still be refunded on a charge: captured amount minus earlier refunds."""
        charge = self.get_charge(charge_id)
        refunded = sum(
            (from_minor_units(int(r["amount"]), charge.currency) for r in self.list_refunds(charge_id)),
            Decimal("0"),
        )
        return max(charge.amount - refunded, Decimal("0"))


class WebhookError(Exception):
    """A provider webhook failed verification."""


def verify_webhook(secret: str, body: bytes, header: str, tolerance_s: int = 300, now: float | None = None) -> dict[str, object]:
    """Check the provider's `t=<ts>,v1=<hex>` signature header and return the parsed event."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        raise WebhookError("malformed signature header") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        raise WebhookError("signature timestamp outside tolerance")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise WebhookError("signature mismatch")
    try:
        event = json.loads(body)
    except json.JSONDecodeError as exc:
        raise WebhookError(f"body is not JSON: {exc.msg}") from exc
    if not isinstance(event, dict) or "type" not in event:
        raise WebhookError("event has no type")
    return event


def charge_status_from_event(event: dict[str, object]) -> tuple[str, str]:
    """(charge_id, new status) for the charge.* events checkout cares about."""
    kind = str(event["type"])
    data = event.get("data")
    if not isinstance(data, dict) or "id" not in data:
        raise WebhookError(f"{kind}: event carries no charge")
    statuses = {
        "charge.succeeded": "succeeded",
        "charge.failed": "failed",
        "charge.refunded": "refunded",
        "charge.dispute.created": "disputed",
    }
    if kind not in statuses:
        raise WebhookError(f"unhandled event type {kind}")
    return str(data["id"]), statuses[kind]


def split_amount(total: Decimal, parts: int, currency: Currency) -> list[Decimal]:
    """Split `total` into `parts` instalments that add up exactly (remainder on the first ones)."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    minor = to_minor_units(total, currency)
    base, remainder = divmod(minor, parts)
    return [from_minor_units(base + (1 if i < remainder else 0), currency) for i in range(parts)]
