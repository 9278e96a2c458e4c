from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass, field


class Status(enum.Enum):
    CREATED = "created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    RETURNED = "returned"


_ALLOWED = {
    Status.CREATED: {Status.PICKED_UP},
    Status.PICKED_UP: {Status.IN_TRANSIT, Status.RETURNED},
    Status.IN_TRANSIT: {Status.DELIVERED, Status.RETURNED},
    Status.DELIVERED: set(),
    Status.RETURNED: set(),
}


class InvalidTransition(ValueError):
    pass


@dataclass
class Shipment:
    sender: str
    recipient: str
    weight_kg: float
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: Status = Status.CREATED
    history: list[tuple[dt.datetime, Status]] = field(default_factory=list)

    def advance(self, new: Status) -> None:
        if new not in _ALLOWED[self.status]:
            raise InvalidTransition(f"{self.status.value} -> {new.value}")
        self.status = new
        self.history.append((dt.datetime.now(dt.timezone.utc), new))


class ShipmentStore:
    def __init__(self) -> None:
        self._items: dict[str, Shipment] = {}

    def add(self, s: Shipment) -> Shipment:
        self._items[s.id] = s
        return s

    def get(self, shipment_id: str) -> Shipment | None:
        return self._items.get(shipment_id)

    def all(self) -> list[Shipment]:
        return list(self._items.values())
