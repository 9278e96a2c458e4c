from __future__ import annotations

import logging
from decimal import Decimal

import httpx

logger = logging.getLogger(__name__)

API = "https://api.stripe.com/v1"


class StripeError(RuntimeError):
    pass


class StripeClient:
    def __init__(self, secret_key: str, timeout: float = 10.0) -> None:
        self._http = httpx.Client(base_url=API, auth=(secret_key, ""), timeout=timeout)

    def charge(self, payment_method: str, amount: Decimal, currency: str = "eur") -> str:
        cents = int((amount * 100).to_integral_value())
        response = self._http.post(
            "/payment_intents",
            data={
                "amount": cents,
                "currency": currency,
                "payment_method": payment_method,
                "confirm": "true",
            },
        )
        if response.status_code >= 400:
            raise StripeError(response.json().get("error", {}).get("message", response.text))
        intent = response.json()
        logger.info("payment intent %s: %s", intent["id"], intent["status"])
        return intent["id"]

    def close(self) -> None:
        self._http.close()
