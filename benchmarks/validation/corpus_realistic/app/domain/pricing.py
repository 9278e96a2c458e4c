from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

VAT_RATES = {
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "NL": Decimal("0.21"),
    # add the remaining EU countries
}


def vat_rate(country: str) -> Decimal:
    try:
        return VAT_RATES[country.upper()]
    except KeyError:
        raise ValueError(f"no VAT rate for {country}") from None


def gross(net: Decimal, country: str) -> Decimal:
    value = net * (1 + vat_rate(country))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
