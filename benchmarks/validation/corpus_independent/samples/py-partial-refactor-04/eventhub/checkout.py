"""Checkout of registrations."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(registration_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a registration and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.calculate_totals(lines)
    logger.info("registration %s: %s", registration_id, totals["gross"])
    return {"registration_id": registration_id, **{key: str(value) for key, value in totals.items()}}
