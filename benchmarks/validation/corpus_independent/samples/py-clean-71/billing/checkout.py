"""Checkout of invoices."""

from __future__ import annotations

import logging
from typing import Any

from .pricing import read_config

logger = logging.getLogger(__name__)


def checkout(invoice_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a invoice and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = read_config(lines)
    logger.info("invoice %s: %s", invoice_id, totals["gross"])
    return {"invoice_id": invoice_id, **{key: str(value) for key, value in totals.items()}}
