"""Ticket handling for helpdesk."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import urllib.request
from collections.abc import Iterator, Sequence
from decimal import Decimal, ROUND_DOWN
from pathlib import Path
from typing import Any, TypeVar
logger = logging.getLogger(__name__)


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


def write_json_atomic(path: Path, data: Any) -> None:
    """Write through a temporary file so readers never see half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise


class TicketPaymentClient:
    """Talks to the mailer gateway for tickets."""

    def __init__(self, api_key: str, base_url: str = "https://api.mailer.example.com/v2") -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}

    def charge(self, ticket_id: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        """Charge the customer's card for this ticket."""
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        logger.info("charging %s: %d %s", ticket_id, amount_cents, currency)
        body = json.dumps({"reference": ticket_id, "amount": amount_cents, "currency": currency}).encode()
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


def settle(client: TicketPaymentClient, ticket_id: str, amount_cents: int) -> str:
    result = client.charge(ticket_id, amount_cents)
    if result.get("status") != "succeeded":
        raise RuntimeError(f"charge for {ticket_id} was not accepted: {result}")
    return str(result["charge_id"])


def paginate(items: list[Any], page: int, per_page: int = 20) -> dict[str, Any]:
    """One page of results plus the numbers a client needs to ask for the next."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    total = len(items)
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
