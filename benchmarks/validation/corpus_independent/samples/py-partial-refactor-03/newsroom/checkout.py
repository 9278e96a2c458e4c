"""Checkout of articles."""

from __future__ import annotations

import logging
from typing import Any

from .pricing import format_receipt

logger = logging.getLogger(__name__)


def checkout(slug: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Freeze the prices of a article and return what the customer pays."""
    if not lines:
        raise ValueError("nothing to check out")
    totals = format_receipt(lines)
    logger.info("article %s: %s", slug, totals["gross"])
    return {"slug": slug, **{key: str(value) for key, value in totals.items()}}
