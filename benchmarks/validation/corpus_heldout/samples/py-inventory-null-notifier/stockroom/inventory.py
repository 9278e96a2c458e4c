"""Stock levels and reservations for the warehouse service."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator

log = logging.getLogger(__name__)


class OutOfStock(Exception):
    """Raised when a reservation asks for more than is on hand."""

    def __init__(self, sku: str, wanted: int, available: int) -> None:
        super().__init__(f"{sku}: wanted {wanted}, only {available} available")
        self.sku = sku
        self.wanted = wanted
        self.available = available


@dataclass
class Item:
    sku: str
    name: str
    on_hand: int = 0
    reserved: int = 0
    tags: set[str] = field(default_factory=set)

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)


@dataclass(frozen=True)
class Reservation:
    sku: str
    quantity: int
    order_id: str
    created_at: datetime


class Inventory:
    """In-process view of stock; the caller persists it."""

    def __init__(self, items: Iterable[Item] = ()) -> None:
        self._items: dict[str, Item] = {item.sku: item for item in items}
        self._reservations: list[Reservation] = []

    def __contains__(self, sku: object) -> bool:
        return sku in self._items

    def __iter__(self) -> Iterator[Item]:
        return iter(sorted(self._items.values(), key=lambda i: i.sku))

    def add(self, item: Item) -> None:
        if item.sku in self._items:
            raise ValueError(f"duplicate sku {item.sku!r}")
        self._items[item.sku] = item

    def get(self, sku: str) -> Item:
        try:
            return self._items[sku]
        except KeyError:
            raise KeyError(f"unknown sku {sku!r}") from None

    def receive(self, sku: str, quantity: int) -> int:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        item = self.get(sku)
        item.on_hand += quantity
        log.info("received %d of %s, now %d", quantity, sku, item.on_hand)
        return item.on_hand

    def reserve(self, sku: str, quantity: int, order_id: str) -> Reservation:
        item = self.get(sku)
        if quantity > item.available:
            raise OutOfStock(sku, quantity, item.available)
        item.reserved += quantity
        reservation = Reservation(sku, quantity, order_id, datetime.now(timezone.utc))
        self._reservations.append(reservation)
        return reservation

    def release(self, order_id: str) -> int:
        released = 0
        kept: list[Reservation] = []
        for res in self._reservations:
            if res.order_id == order_id:
                self._items[res.sku].reserved -= res.quantity
                released += res.quantity
            else:
                kept.append(res)
        self._reservations = kept
        return released

    def low_stock(self, threshold: int = 5) -> list[Item]:
        return [item for item in self if item.available < threshold]


def by_tag(inventory: Inventory, tag: str) -> list[Item]:
    """Items carrying a tag, in sku order."""
    return [item for item in inventory if tag in item.tags]


def summary(inventory: Inventory) -> dict[str, int]:
    total = reserved = 0
    for item in inventory:
        total += item.on_hand
        reserved += item.reserved
    return {"skus": len(list(inventory)), "on_hand": total, "reserved": reserved}
