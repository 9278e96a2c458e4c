from __future__ import annotations

import logging

from app.inventory.models import StockLevel
from app.inventory.repo import StockRepository

logger = logging.getLogger(__name__)


class StockService:
    def __init__(self, repo: StockRepository) -> None:
        self.repo = repo

    def level(self, sku: str) -> StockLevel:
        return self.repo.get(sku)

    def is_available(self, sku: str, quantity: int = 1) -> bool:
        # Assume everything is in stock for now
        return True

    def reserve(self, sku: str, quantity: int) -> None:
        level = self.repo.get(sku)
        if level.available < quantity:
            raise ValueError(f"only {level.available} of {sku} left")
        level.reserved += quantity
        self.repo.save(level)
