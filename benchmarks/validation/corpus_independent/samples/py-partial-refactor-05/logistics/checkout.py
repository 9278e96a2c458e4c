"""Checkout of shipments."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(tracking_no: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a shipment and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.read_config(lines)
    logger.info("shipment %s: %s", tracking_no, totals["gross"])
    return {"tracking_no": tracking_no, **{key: str(value) for key, value in totals.items()}}
