from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .rates import convert


@dataclass
class Expense:
    who: str
    amount: Decimal
    currency: str
    day: dt.date
    note: str = ""


def totals(expenses: list[Expense], home: str) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for e in expenses:
        value = convert(e.amount, e.currency, home, e.day)
        out[e.who] = out.get(e.who, Decimal("0")) + value
    return out


def settle(expenses: list[Expense], home: str) -> list[tuple[str, str, Decimal]]:
    """Who pays whom so that everyone carried an equal share."""
    paid = totals(expenses, home)
    if not paid:
        return []
    share = sum(paid.values(), Decimal("0")) / len(paid)
    debtors = sorted(((p, share - v) for p, v in paid.items() if v < share), key=lambda x: -x[1])
    creditors = sorted(((p, v - share) for p, v in paid.items() if v > share), key=lambda x: -x[1])
    moves = []
    i = j = 0
    while i < len(debtors) and j < len(creditors):
        d, owe = debtors[i]
        c, due = creditors[j]
        pay = min(owe, due)
        moves.append((d, c, pay.quantize(Decimal("0.01"))))
        debtors[i] = (d, owe - pay)
        creditors[j] = (c, due - pay)
        if debtors[i][1] == 0:
            i += 1
        if creditors[j][1] == 0:
            j += 1
    return moves
