from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Employee:
    id: str
    name: str
    annual_salary: Decimal
    tax_class: int = 1
    church_tax: bool = False


@dataclass(frozen=True)
class Payslip:
    employee_id: str
    gross: Decimal
    income_tax: Decimal
    church_tax: Decimal
    net: Decimal


BRACKETS = [
    (Decimal("11604"), Decimal("0")),
    (Decimal("66760"), Decimal("0.30")),
    (Decimal("277825"), Decimal("0.42")),
    (None, Decimal("0.45")),
]


def annual_income_tax(taxable: Decimal) -> Decimal:
    tax = Decimal("0")
    lower = Decimal("0")
    for upper, rate in BRACKETS:
        top = taxable if upper is None else min(taxable, upper)
        if top > lower:
            tax += (top - lower) * rate
        if upper is None or taxable <= upper:
            break
        lower = upper
    return tax


def monthly_payslip(e: Employee) -> Payslip:
    gross = (e.annual_salary / 12).quantize(CENT, ROUND_HALF_UP)
    tax = (annual_income_tax(e.annual_salary) / 12).quantize(CENT, ROUND_HALF_UP)
    church = (tax * Decimal("0.09")).quantize(CENT, ROUND_HALF_UP) if e.church_tax else Decimal("0.00")
    return Payslip(e.id, gross, tax, church, gross - tax - church)
