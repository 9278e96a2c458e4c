"""Checkout of vehicles."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(vin: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a vehicle and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.compute_totals(lines)
    logger.info("vehicle %s: %s", vin, totals["gross"])
    return {"vin": vin, **{key: str(value) for key, value in totals.items()}}
