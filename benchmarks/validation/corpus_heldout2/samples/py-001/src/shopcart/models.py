from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field


class Currency(str, Enum):
    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"


class LineItem(BaseModel):
    sku: str
    quantity: int = Field(gt=0)
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class Cart(BaseModel):
    customer_id: str
    currency: Currency = Currency.EUR
    items: list[LineItem] = Field(default_factory=list)

    def subtotal(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal("0"))


class ChargeResult(BaseModel):
    charge_id: str
    status: str
    amount: Decimal
    currency: Currency
