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
