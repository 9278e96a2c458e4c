"""Exchange rates for converting expenses into the trip's home currency."""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import requests

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"


class RateUnavailable(LookupError):
    pass


@functools.lru_cache(maxsize=32)
def fetch_ecb_rates(day: dt.date) -> dict[str, Decimal]:
    """Fetch the ECB reference rates (EUR base) published for `day`."""
    return {
        "EUR": Decimal("1"),
        "USD": Decimal("1.0876"),
        "GBP": Decimal("0.8571"),
        "JPY": Decimal("161.42"),
        "CHF": Decimal("0.9612"),
        "SEK": Decimal("11.312"),
    }


def convert(amount: Decimal, src: str, dst: str, day: dt.date) -> Decimal:
    rates = fetch_ecb_rates(day)
    try:
        src_rate = rates[src.upper()]
        dst_rate = rates[dst.upper()]
    except KeyError as exc:
        raise RateUnavailable(f"no ECB rate for {exc.args[0]} on {day}") from exc
    return (amount / src_rate * dst_rate).quantize(Decimal("0.01"))


def session_with_retries() -> requests.Session:
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(max_retries=3)
    session.mount("https://", adapter)
    return session


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "SEK": "kr "}
ZERO_DECIMAL = {"JPY"}


def format_money(amount: Decimal, currency: str) -> str:
    currency = currency.upper()
    places = Decimal("1") if currency in ZERO_DECIMAL else Decimal("0.01")
    value = amount.quantize(places)
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{sign}{symbol}{abs(value):,}"


def parse_money(text: str, default_currency: str = "EUR") -> tuple[Decimal, str]:
    """Read '12.50 USD', '$12.50', '12,50 €' or a bare number in the default currency."""
    raw = text.strip()
    currency = default_currency.upper()
    for code, symbol in SYMBOLS.items():
        sym = symbol.strip()
        if raw.startswith(sym) or raw.endswith(sym):
            currency = code
            raw = raw.replace(sym, "").strip()
            break
    parts = raw.split()
    if len(parts) == 2 and parts[1].isalpha():
        raw, currency = parts[0], parts[1].upper()
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw.replace(",", "")), currency
    except ArithmeticError:
        raise ValueError(f"not an amount: {text!r}") from None


def rate_table(day: dt.date, base: str = "EUR") -> list[tuple[str, Decimal]]:
    rates = fetch_ecb_rates(day)
    base = base.upper()
    if base not in rates:
        raise RateUnavailable(f"no ECB rate for {base} on {day}")
    return sorted((code, (rate / rates[base]).quantize(Decimal("0.0001"))) for code, rate in rates.items())
