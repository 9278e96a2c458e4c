"""Builders for test data; every field has a harmless default."""
from __future__ import annotations

import itertools
from decimal import Decimal

from payroll.calc import Employee

_ids = itertools.count(1)


def make_employee(**overrides: object) -> Employee:
    defaults: dict[str, object] = {
        "id": f"E{next(_ids):04d}",
        "name": "Test Person",
        "annual_salary": Decimal("48000"),
        "tax_class": 1,
        "church_tax": False,
    }
    defaults.update(overrides)
    return Employee(**defaults)  # type: ignore[arg-type]


def make_team(n: int, salary: str = "52000") -> list[Employee]:
    return [make_employee(annual_salary=Decimal(salary)) for _ in range(n)]
