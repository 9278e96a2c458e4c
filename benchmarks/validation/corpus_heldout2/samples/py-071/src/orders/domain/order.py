from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class OrderState(enum.Enum):
    NEW = "new"
    RESERVED = "reserved"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


@dataclass
class OrderLine:
    sku: str
    qty: int
    price: Decimal


@dataclass
class Order:
    id: str
    customer: str
    lines: list[OrderLine] = field(default_factory=list)
    state: OrderState = OrderState.NEW

    @property
    def total(self) -> Decimal:
        return sum((l.price * l.qty for l in self.lines), Decimal("0"))
