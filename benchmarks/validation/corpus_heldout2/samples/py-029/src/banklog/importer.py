"""Import CSV statement exports (several bank dialects) into SQLite."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import re
import sqlite3
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS txn (
    fingerprint TEXT PRIMARY KEY,
    booked      TEXT NOT NULL,
    amount      TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    memo        TEXT NOT NULL,
    source      TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Dialect:
    name: str
    date_col: str
    date_format: str
    amount_col: str
    counterparty_col: str
    memo_col: str
    decimal_comma: bool = False
    delimiter: str = ","


DIALECTS = {
    "ing": Dialect("ing", "Datum", "%Y%m%d", "Bedrag (EUR)", "Naam / Omschrijving", "Mededelingen", True, ";"),
    "n26": Dialect("n26", "Date", "%Y-%m-%d", "Amount (EUR)", "Payee", "Payment reference"),
    "dkb": Dialect("dkb", "Buchungsdatum", "%d.%m.%Y", "Betrag (EUR)", "Zahlungsempfänger*in", "Verwendungszweck", True, ";"),
}


@dataclass(frozen=True)
class Txn:
    booked: dt.date
    amount: Decimal
    counterparty: str
    memo: str

    def fingerprint(self) -> str:
        raw = f"{self.booked}|{self.amount}|{self.counterparty}|{self.memo}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def parse_amount(text: str, decimal_comma: bool) -> Decimal:
    text = text.strip().replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def parse_row(row: dict[str, str], d: Dialect) -> Txn:
    return Txn(
        booked=dt.datetime.strptime(row[d.date_col].strip(), d.date_format).date(),
        amount=parse_amount(row[d.amount_col], d.decimal_comma),
        counterparty=row[d.counterparty_col].strip(),
        memo=" ".join(row.get(d.memo_col, "").split()),
    )


def read_statement(path: Path, d: Dialect) -> list[Txn]:
    txns: list[Txn] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh, delimiter=d.delimiter):
            try:
                txns.append(parse_row(row, d))
            except (KeyError, ValueError, InvalidOperation):
                continue
    return txns


def store(db: sqlite3.Connection, txns: list[Txn], source: str) -> int:
    db.execute(SCHEMA)
    before = db.total_changes
    db.executemany(
        "INSERT OR IGNORE INTO txn VALUES (?, ?, ?, ?, ?, ?)",
        [(t.fingerprint(), t.booked.isoformat(), str(t.amount), t.counterparty, t.memo, source) for t in txns],
    )
    db.commit()
    return db.total_changes - before


CATEGORY_RULES: list[tuple[str, str]] = [
    (r"(?i)\b(rewe|edeka|aldi|lidl|albert heijn|jumbo)\b", "groceries"),
    (r"(?i)\b(db vertrieb|ns reizigers|uber|bolt|shell|aral)\b", "transport"),
    (r"(?i)\b(miete|huur|rent)\b", "rent"),
    (r"(?i)\b(spotify|netflix|apple\.com/bill)\b", "subscriptions"),
    (r"(?i)\b(gehalt|salaris|salary)\b", "income"),
]


def categorise(txn: Txn, rules: list[tuple[str, str]] = CATEGORY_RULES) -> str:
    haystack = f"{txn.counterparty} {txn.memo}"
    for pattern, category in rules:
        if re.search(pattern, haystack):
            return category
    return "other"


def monthly_totals(db: sqlite3.Connection) -> list[tuple[str, str, Decimal]]:
    """(YYYY-MM, category, sum) over everything stored, oldest month first."""
    totals: dict[tuple[str, str], Decimal] = {}
    for booked, amount, counterparty, memo in db.execute("SELECT booked, amount, counterparty, memo FROM txn"):
        txn = Txn(dt.date.fromisoformat(booked), Decimal(amount), counterparty, memo)
        key = (booked[:7], categorise(txn))
        totals[key] = totals.get(key, Decimal("0")) + txn.amount
    return [(month, cat, total) for (month, cat), total in sorted(totals.items())]


def print_report(rows: list[tuple[str, str, Decimal]]) -> None:
    current = None
    for month, category, total in rows:
        if month != current:
            print(f"\n{month}")
            current = month
        print(f"  {category:<14} {total:>12,.2f}")


def export_month(db: sqlite3.Connection, month: str, out: Path) -> int:
    rows = list(
        db.execute(
            "SELECT booked, amount, counterparty, memo, source FROM txn WHERE substr(booked, 1, 7) = ? ORDER BY booked",
            (month,),
        )
    )
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["booked", "amount", "counterparty", "memo", "source"])
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="banklog")
    parser.add_argument("statement", type=Path)
    parser.add_argument("--bank", choices=sorted(DIALECTS), required=True)
    parser.add_argument("--db", type=Path, default=Path("ledger.sqlite3"))
    parser.add_argument("--report", action="store_true", help="print monthly totals per category afterwards")
    args = parser.parse_args(argv)
    if not args.statement.is_file():
        print(f"banklog: no such file: {args.statement}", file=sys.stderr)
        return 2
    txns = read_statement(args.statement, DIALECTS[args.bank])
    with sqlite3.connect(args.db) as db:
        added = store(db, txns, args.statement.name)
    print(f"{len(txns)} transactions read, {added} new")
    if args.report:
        with sqlite3.connect(args.db) as db:
            print_report(monthly_totals(db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
