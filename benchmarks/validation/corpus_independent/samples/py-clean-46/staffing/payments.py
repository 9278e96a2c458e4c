"""Employee handling for staffing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import urllib.request
from collections.abc import Iterable, Mapping
from decimal import Decimal, ROUND_DOWN
from typing import Any
logger = logging.getLogger(__name__)


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Integer setting from the environment, with a readable error when malformed."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


class EmployeePaymentClient:
    """Talks to the payroll gateway for employees."""

    def __init__(self, api_key: str, base_url: str = "https://api.payroll.example.com/v2") -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}

    def charge(self, employee_id: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        """Charge the customer's card for this employee."""
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        logger.info("charging %s: %d %s", employee_id, amount_cents, currency)
        body = json.dumps({"reference": employee_id, "amount": amount_cents, "currency": currency}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/charges", data=body, method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))

    def refund(self, charge_id: str) -> dict[str, Any]:
        """Refund a charge in full."""
        request = urllib.request.Request(
            f"{self.base_url}/charges/{charge_id}/refund", method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))


def settle(client: EmployeePaymentClient, employee_id: str, amount_cents: int) -> str:
    result = client.charge(employee_id, amount_cents)
    if result.get("status") != "succeeded":
        raise RuntimeError(f"charge for {employee_id} was not accepted: {result}")
    return str(result["charge_id"])


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


def allocate(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split an amount by weights; the cents lost to rounding go to the first shares."""
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    cent = Decimal("0.01")
    shares = [(total * w / sum(weights)).quantize(cent, rounding=ROUND_DOWN) for w in weights]
    remainder = total - sum(shares)
    index = 0
    while remainder > 0:
        shares[index % len(shares)] += cent
        remainder -= cent
        index += 1
    return shares
