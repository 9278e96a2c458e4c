"""Click parameter types for quantities like '12.5kg' or '3 ft'."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import click

_QUANTITY = re.compile(r"^\s*(?P<value>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>[a-zA-Z]+)\s*$")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str


class ReprMixin:
    def describe(self) -> str:
        return f"<{type(self).__name__} {self.name}>"  # type: ignore[attr-defined]


class QuantityType(ReprMixin, click.ParamType):
    name = "quantity"

    def __init__(self, allowed_units: set[str]) -> None:
        self.allowed_units = allowed_units

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Quantity:
        if isinstance(value, Quantity):
            return value
        match = _QUANTITY.match(str(value))
        if match is None:
            self.fail(f"{value!r} is not a quantity like '12kg'", param, ctx)
        unit = match["unit"].lower()
        if unit not in self.allowed_units:
            self.fail(
                f"unknown unit {unit!r}; choose from {', '.join(sorted(self.allowed_units))}",
                param,
                ctx,
            )
        return Quantity(float(match["value"]), unit)


class Registry:
    """Conversion factors to a base unit, looked up by attribute: reg.kg, reg.lb."""

    def __init__(self, factors: dict[str, float]) -> None:
        self._factors = dict(factors)

    def __getattr__(self, unit: str) -> float:
        try:
            return self._factors[unit]
        except KeyError:
            raise AttributeError(unit) from None

    def units(self) -> set[str]:
        return set(self._factors)
