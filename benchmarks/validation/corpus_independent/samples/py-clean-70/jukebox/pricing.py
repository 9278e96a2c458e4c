"""Prices and totals of tracks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

VAT = Decimal("0.19")


def compute_totals(lines: list[dict[str, Any]]) -> dict[str, Decimal]:
    """Net, tax and gross of a list of lines (quantity × unit price)."""
    net = sum((Decimal(str(line["unit_price"])) * int(line["quantity"]) for line in lines), Decimal(0))
    tax = (net * VAT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"net": net, "tax": tax, "gross": net + tax}


# Old name, still imported by plugins written against 1.x.
calculate_totals = compute_totals
