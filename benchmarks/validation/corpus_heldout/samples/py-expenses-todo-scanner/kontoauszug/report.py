"""Monthly expense report from bank CSV exports."""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

CATEGORY_RULES: list[tuple[str, str]] = [
    ("SUPERMARKT", "groceries"),
    ("REWE", "groceries"),
    ("DB VERTRIEB", "travel"),
    ("STADTWERKE", "utilities"),
    ("APOTHEKE", "health"),
]


@dataclass(frozen=True)
class Transaction:
    booked: date
    payee: str
    amount: Decimal
    category: str


def categorize(payee: str) -> str:
    upper = payee.upper()
    for needle, category in CATEGORY_RULES:
        if needle in upper:
            return category
    return "other"


def parse_amount(text: str) -> Decimal:
    cleaned = text.replace(".", "").replace(",", ".").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None


def read_export(path: Path) -> list[Transaction]:
    rows: list[Transaction] = []
    with path.open(newline="", encoding="latin-1") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        for row in reader:
            payee = row["Beguenstigter/Zahlungspflichtiger"].strip()
            rows.append(
                Transaction(
                    booked=datetime.strptime(row["Buchungstag"], "%d.%m.%Y").date(),
                    payee=payee,
                    amount=parse_amount(row["Betrag"]),
                    category=categorize(payee),
                )
            )
    return rows


KNOWN_BANK_PREFIXES = [
    "DE",
    "AT",
    # Only countries whose exports we have seen; other IBANs fall through to "foreign".
]


def origin(iban: str) -> str:
    return "domestic" if iban[:2] in KNOWN_BANK_PREFIXES else "foreign"


def monthly_totals(transactions: list[Transaction]) -> dict[str, dict[str, Decimal]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for tx in transactions:
        if tx.amount < 0:
            totals[tx.booked.strftime("%Y-%m")][tx.category] += -tx.amount
    return {month: dict(cats) for month, cats in sorted(totals.items())}


def typical_spend(transactions: list[Transaction], category: str) -> Decimal:
    amounts = [-tx.amount for tx in transactions if tx.category == category and tx.amount < 0]
    if not amounts:
        return Decimal(0)
    return Decimal(statistics.median(amounts))


def to_csv(totals: dict[str, dict[str, Decimal]]) -> str:
    categories = sorted({c for cats in totals.values() for c in cats})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["month", *categories])
    for month, cats in totals.items():
        writer.writerow([month, *(f"{cats.get(c, Decimal(0)):.2f}" for c in categories)])
    return buffer.getvalue()
