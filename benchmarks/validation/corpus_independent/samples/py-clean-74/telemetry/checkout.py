"""Checkout of readings."""

from __future__ import annotations

import logging
from typing import Any

from . import pricing

logger = logging.getLogger(__name__)


def checkout(sensor_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a reading and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = pricing.load_settings(lines)
    logger.info("reading %s: %s", sensor_id, totals["gross"])
    return {"sensor_id": sensor_id, **{key: str(value) for key, value in totals.items()}}
