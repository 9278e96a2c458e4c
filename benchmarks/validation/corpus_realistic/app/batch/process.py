from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    processed: int
    skipped: int


def process_batch(items: Iterable[dict]) -> BatchResult:
    processed = skipped = 0
    for item in items:
        if item.get("deleted"):
            skipped += 1
            continue
        # process each item
        processed += 1
    logger.info("processed=%d skipped=%d", processed, skipped)
    return BatchResult(processed, skipped)
