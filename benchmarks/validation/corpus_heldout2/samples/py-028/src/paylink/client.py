"""Typed client for the Paylink REST API.

Paylink runs a sandbox with the same API at a different host; test keys
(prefix `sk_test_`) only work there, so the client picks the host from the key.
"""
from __future__ import annotations

from typing import Any

import httpx

LIVE_URL = "https://api.paylink.example/v2"
SANDBOX_URL = "https://sandbox.paylink.example/v2"


class PaylinkError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class PaylinkClient:
    def __init__(self, api_key: str, *, transport: httpx.BaseTransport | None = None) -> None:
        if not api_key.startswith(("sk_live_", "sk_test_")):
            raise ValueError("api_key must start with sk_live_ or sk_test_")
        self.sandbox = api_key.startswith("sk_test_")
        self._http = httpx.Client(
            base_url=SANDBOX_URL if self.sandbox else LIVE_URL,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=20.0,
            transport=transport,
        )

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._http.request(method, path, **kwargs)
        if response.is_error:
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
            raise PaylinkError(response.status_code, body.get("code", "unknown"), body.get("message", response.text))
        return response.json()

    def create_payment(self, amount_cents: int, currency: str, reference: str) -> dict[str, Any]:
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        return self._request(
            "POST",
            "/payments",
            json={"amount": amount_cents, "currency": currency.upper(), "reference": reference},
        )

    def get_payment(self, payment_id: str) -> dict[str, Any]:
        return self._request("GET", f"/payments/{payment_id}")

    def refund(self, payment_id: str, amount_cents: int | None = None) -> dict[str, Any]:
        payload = {} if amount_cents is None else {"amount": amount_cents}
        return self._request("POST", f"/payments/{payment_id}/refunds", json=payload)

    def close(self) -> None:
        self._http.close()
