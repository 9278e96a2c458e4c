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
import hashlib
import itertools
import math
import os
import shlex

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


def spending_band(transactions: list[Transaction], category: str) -> tuple[float, float]:
    """Interquartile range of payments in a category."""
    amounts = [float(-tx.amount) for tx in transactions if tx.category == category and tx.amount < 0]
    if len(amounts) < 2:
        return (0.0, 0.0)
    q1, _, q3 = statistics.quantiles(amounts, n=4)
    return (q1, q3)


def month_gaps(months: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in itertools.pairwise(sorted(months)) if a[:4] == b[:4]
            and int(b[5:]) - int(a[5:]) > 1]


def export_fingerprint(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def common_folder(paths: list[Path]) -> str:
    return os.path.commonpath([str(p) for p in paths])


def grid_side(n_charts: int) -> int:
    return math.isqrt(max(n_charts - 1, 0)) + 1


def reproduce_command(paths: list[Path]) -> str:
    return shlex.join(["kontoauszug", "report", *map(str, paths)])


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
