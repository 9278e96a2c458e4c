"""Invoice arithmetic: lines, taxes, discounts and totals in integer cents."""

from __future__ import annotations

import decimal
import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import Enum
from moneyfmt import format_money


class Status(str, Enum):
    DRAFT = "draft"
    SENT = "sent"
    PAID = "paid"
    VOID = "void"


@dataclass
class Line:
    description: str
    unit_cents: int
    quantity: int = 1
    tax_rate: decimal.Decimal = decimal.Decimal("0")

    def net(self) -> int:
        return self.unit_cents * self.quantity

    def tax(self) -> int:
        raw = decimal.Decimal(self.net()) * self.tax_rate
        return int(raw.quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP))


@dataclass
class Invoice:
    number: str
    customer: str
    issued: date
    terms_days: int = 30
    lines: list[Line] = field(default_factory=list)
    discount_cents: int = 0
    status: Status = Status.DRAFT

    @property
    def due(self) -> date:
        return self.issued + timedelta(days=self.terms_days)

    def add_line(self, line: Line) -> None:
        if self.status is not Status.DRAFT:
            raise ValueError(f"invoice {self.number} is {self.status.value}, not editable")
        self.lines.append(line)

    def subtotal(self) -> int:
        return sum(line.net() for line in self.lines)

    def tax_total(self) -> int:
        return sum(line.tax() for line in self.lines)

    def total(self) -> int:
        return max(self.subtotal() + self.tax_total() - self.discount_cents, 0)

    def is_overdue(self, today: date) -> bool:
        return self.status is Status.SENT and today > self.due


def format_cents(cents: int, currency: str = "EUR") -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d} {currency}"


def to_json(invoice: Invoice) -> str:
    data = asdict(invoice)
    data["issued"] = invoice.issued.isoformat()
    data["status"] = invoice.status.value
    for line in data["lines"]:
        line["tax_rate"] = str(line["tax_rate"])
    data["total_cents"] = invoice.total()
    return json.dumps(data, sort_keys=True)


def statement_line(invoice: Invoice) -> str:
    """One line per invoice for the monthly customer statement."""
    amount = format_money(invoice.total(), currency="EUR", locale="de_DE")
    due = invoice.due.strftime("%d.%m.%Y")
    return f"{invoice.number:<12} {invoice.customer:<30} {amount:>14}  due {due}"


def from_json(text: str) -> Invoice:
    data = json.loads(text)
    lines = [
        Line(
            description=raw["description"],
            unit_cents=int(raw["unit_cents"]),
            quantity=int(raw.get("quantity", 1)),
            tax_rate=decimal.Decimal(raw.get("tax_rate", "0")),
        )
        for raw in data.get("lines", [])
    ]
    return Invoice(
        number=data["number"],
        customer=data["customer"],
        issued=date.fromisoformat(data["issued"]),
        terms_days=int(data.get("terms_days", 30)),
        lines=lines,
        discount_cents=int(data.get("discount_cents", 0)),
        status=Status(data.get("status", "draft")),
    )
