"""Checkout of tracks."""

from __future__ import annotations

import logging
from typing import Any

from .pricing import calculate_totals

logger = logging.getLogger(__name__)


def checkout(track_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a track and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = calculate_totals(lines)
    logger.info("track %s: %s", track_id, totals["gross"])
    return {"track_id": track_id, **{key: str(value) for key, value in totals.items()}}
