from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rules import Rule, apply_discounts


@dataclass
class Line:
    sku: str
    unit_price: Decimal
    quantity: int


def line_total(line: Line, rules_by_sku: dict[str, list[Rule]]) -> Decimal:
    unit = apply_discounts(line.unit_price, rules_by_sku.get(line.sku, []), quantity=line.quantity)
    return unit * line.quantity


def cart_total(lines: list[Line], rules_by_sku: dict[str, list[Rule]]) -> Decimal:
    return sum((line_total(l, rules_by_sku) for l in lines), Decimal("0"))


def describe(rule: Rule) -> str:
    return f"{rule.name}: {rule.rate * 100:.0f}% off from {rule.min_quantity} items"
