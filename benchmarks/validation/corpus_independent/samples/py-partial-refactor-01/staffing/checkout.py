"""Checkout of employees."""

from __future__ import annotations

import logging
from typing import Any

from .pricing import calculate_totals

logger = logging.getLogger(__name__)


def checkout(employee_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a employee and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = calculate_totals(lines)
    logger.info("employee %s: %s", employee_id, totals["gross"])
    return {"employee_id": employee_id, **{key: str(value) for key, value in totals.items()}}
