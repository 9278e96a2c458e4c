"""Import CSV statement exports (several bank dialects) into SQLite."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="banklog")
    parser.add_argument("statement", type=Path)
    parser.add_argument("--bank", choices=sorted(DIALECTS), required=True)
    parser.add_argument("--db", type=Path, default=Path("ledger.sqlite3"))
    args = parser.parse_args(argv)
    if not args.statement.is_file():
        print(f"banklog: no such file: {args.statement}", file=sys.stderr)
        return 2
    txns = read_statement(args.statement, DIALECTS[args.bank])
    with sqlite3.connect(args.db) as db:
        added = store(db, txns, args.statement.name)
    print(f"{len(txns)} transactions read, {added} new")
    return 0


if __name__ == "__main__":
    sys.exit(main())
