"""Checkout of reservations."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(reservation_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a reservation and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.format_receipt(lines)
    logger.info("reservation %s: %s", reservation_id, totals["gross"])
    return {"reservation_id": reservation_id, **{key: str(value) for key, value in totals.items()}}
