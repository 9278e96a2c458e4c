from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Rule:
    name: str
    rate: Decimal
    min_quantity: int = 1
    valid_until: dt.date | None = None

    def applies(self, quantity: int, today: dt.date) -> bool:
        if quantity < self.min_quantity:
            return False
        return self.valid_until is None or today <= self.valid_until


def apply_discounts(price: Decimal, rules: list[Rule], quantity: int = 1, today: dt.date | None = None) -> Decimal:
    today = today or dt.date.today()
    best = max((r.rate for r in rules if r.applies(quantity, today)), default=Decimal("0"))
    return (price * (1 - best)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def make_rule(name: str, **options: Any) -> Rule:
    """Build a rule from loosely typed config (values arrive as strings from YAML/env)."""
    rate = Decimal(str(options.pop("rate")))
    if not 0 <= rate < 1:
        raise ValueError(f"{name}: rate must be a fraction in [0, 1)")
    until = options.pop("valid_until", None)
    return Rule(
        name=name,
        rate=rate,
        valid_until=dt.date.fromisoformat(until) if isinstance(until, str) else until,
        **options,
    )
