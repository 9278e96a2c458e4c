"""Checkout of loans."""

from __future__ import annotations

import logging
from typing import Any

from .pricing import format_receipt

logger = logging.getLogger(__name__)


def checkout(loan_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a loan and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = format_receipt(lines)
    logger.info("loan %s: %s", loan_id, totals["gross"])
    return {"loan_id": loan_id, **{key: str(value) for key, value in totals.items()}}
