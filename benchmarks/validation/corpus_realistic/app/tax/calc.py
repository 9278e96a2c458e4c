from __future__ import annotations

from decimal import Decimal

from app.tax.tables import BRACKETS_2024


def income_tax(income: Decimal, year: int = 2024) -> Decimal:
    if year != 2024:
        raise ValueError("only 2024 brackets are loaded")
    tax = Decimal("0")
    lower = Decimal("0")
    for upper, rate in BRACKETS_2024:
        if income <= lower:
            break
        taxable = min(income, upper) - lower
        tax += taxable * rate
        lower = upper
    return tax.quantize(Decimal("0.01"))


def capital_gains_tax(gain: Decimal, holding_days: int) -> Decimal:
    """Tax on a realised capital gain."""
    # TODO: implement
    return Decimal("0")
