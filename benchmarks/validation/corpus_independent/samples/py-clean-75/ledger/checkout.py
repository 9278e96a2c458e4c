"""Checkout of transfers."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(transfer_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a transfer and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.render_receipt(lines)
    logger.info("transfer %s: %s", transfer_id, totals["gross"])
    return {"transfer_id": transfer_id, **{key: str(value) for key, value in totals.items()}}
