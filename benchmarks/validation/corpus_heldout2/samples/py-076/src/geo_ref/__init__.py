"""Reference data the checkout form needs: countries we ship to and their rules.

This is deliberately static: the list changes a few times a year and each
change is reviewed by legal, so it ships with the code rather than a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    currency: str
    vat_rate: float
    postcode_required: bool = True


@lru_cache(maxsize=1)
def shipping_countries() -> tuple[Country, ...]:
    """Countries we ship to (ISO 3166-1 alpha-2), with standard VAT rates as of 2024-01-01."""
    return (
        Country("AT", "Austria", "EUR", 0.20),
        Country("BE", "Belgium", "EUR", 0.21),
        Country("CH", "Switzerland", "CHF", 0.081),
        Country("DE", "Germany", "EUR", 0.19),
        Country("DK", "Denmark", "DKK", 0.25),
        Country("ES", "Spain", "EUR", 0.21),
        Country("FR", "France", "EUR", 0.20),
        Country("GB", "United Kingdom", "GBP", 0.20),
        Country("IE", "Ireland", "EUR", 0.23, postcode_required=False),
        Country("IT", "Italy", "EUR", 0.22),
        Country("NL", "Netherlands", "EUR", 0.21),
        Country("PL", "Poland", "PLN", 0.23),
        Country("SE", "Sweden", "SEK", 0.25),
    )


def by_code(code: str) -> Country:
    code = code.strip().upper()
    for country in shipping_countries():
        if country.code == code:
            return country
    raise KeyError(f"we do not ship to {code!r}")


def gross(net: float, code: str) -> float:
    return round(net * (1 + by_code(code).vat_rate), 2)
