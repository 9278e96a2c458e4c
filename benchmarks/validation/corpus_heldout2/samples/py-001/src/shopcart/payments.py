"""Payment capture for checkout.

The storefront talks to the payment provider over its REST API. Amounts are
sent in minor units (cents) because the provider rejects decimal strings.
"""
from __future__ import annotations

import logging
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
