from __future__ import annotations

import click

from .params import Quantity, QuantityType, Registry

MASS = Registry({"g": 0.001, "kg": 1.0, "lb": 0.45359237, "oz": 0.028349523125})
LENGTH = Registry({"mm": 0.001, "cm": 0.01, "m": 1.0, "km": 1000.0, "in": 0.0254, "ft": 0.3048})


def _convert(q: Quantity, to: str, reg: Registry) -> float:
    return q.value * getattr(reg, q.unit) / getattr(reg, to)


@click.group()
def main() -> None:
    """Convert between units."""


@main.command()
@click.argument("quantity", type=QuantityType(MASS.units()))
@click.argument("to", type=click.Choice(sorted(MASS.units())))
def mass(quantity: Quantity, to: str) -> None:
    click.echo(f"{_convert(quantity, to, MASS):.4g} {to}")


@main.command()
@click.argument("quantity", type=QuantityType(LENGTH.units()))
@click.argument("to", type=click.Choice(sorted(LENGTH.units())))
def length(quantity: Quantity, to: str) -> None:
    click.echo(f"{_convert(quantity, to, LENGTH):.4g} {to}")


@main.command()
def pounds_per_kilo() -> None:
    click.echo(f"{MASS.kg / MASS.lb:.6f}")
