"""An in-memory journal of balanced transactions."""
from __future__ import annotations

import datetime as dt
import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator

from ledgerly.utils.dates import month_bounds, parse_iso_date
from ledgerly.utils.money import quantize_amount
from ledgerly.utils.text import normalize_account


class UnbalancedTransaction(ValueError):
    pass


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal

    @classmethod
    def of(cls, account: str, amount: str | Decimal) -> "Posting":
        return cls(normalize_account(account), quantize_amount(Decimal(amount)))


@dataclass
class Transaction:
    date: dt.date
    description: str
    postings: list[Posting] = field(default_factory=list)

    def check_balanced(self) -> None:
        total = sum((p.amount for p in self.postings), Decimal("0"))
        if total != 0:
            raise UnbalancedTransaction(
                f"{self.date} {self.description!r} is off by {total}"
            )


class Journal:
    def __init__(self) -> None:
        self._transactions: list[Transaction] = []

    def __len__(self) -> int:
        return len(self._transactions)

    def __iter__(self) -> Iterator[Transaction]:
        return iter(sorted(self._transactions, key=lambda t: t.date))

    def record(self, date: str | dt.date, description: str, postings: Iterable[Posting]) -> Transaction:
        when = parse_iso_date(date) if isinstance(date, str) else date
        txn = Transaction(when, description.strip(), list(postings))
        if len(txn.postings) < 2:
            raise UnbalancedTransaction("a transaction needs at least two postings")
        txn.check_balanced()
        self._transactions.append(txn)
        return txn

    def balances(self, until: dt.date | None = None) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
        for txn in self._transactions:
            if until is not None and txn.date > until:
                continue
            for posting in txn.postings:
                totals[posting.account] += posting.amount
        return dict(totals)

    def month(self, day: dt.date) -> list[Transaction]:
        first, last = month_bounds(day)
        return [t for t in self if first <= t.date <= last]

    def accounts(self) -> set[str]:
        return {p.account for t in self._transactions for p in t.postings}

    def rollup(self, depth: int) -> dict[str, Decimal]:
        """Balances summed up to the first `depth` account segments."""
        if depth < 1:
            raise ValueError("depth must be at least 1")
        out: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
        for account, amount in self.balances().items():
            key = ":".join(account.split(":")[:depth])
            out[key] += amount
        return dict(out)

    def register(self, account: str) -> list[tuple[dt.date, str, Decimal, Decimal]]:
        """Every posting to `account` with the running balance after it."""
        account = normalize_account(account)
        running = Decimal("0")
        rows = []
        for txn in self:
            for posting in txn.postings:
                if posting.account == account or posting.account.startswith(account + ":"):
                    running += posting.amount
                    rows.append((txn.date, txn.description, posting.amount, running))
        return rows

    def trial_balance(self) -> tuple[Decimal, Decimal]:
        debits = Decimal("0")
        credits = Decimal("0")
        for amount in self.balances().values():
            if amount >= 0:
                debits += amount
            else:
                credits -= amount
        return debits, credits

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["date", "description", "account", "amount"])
        for txn in self:
            for posting in txn.postings:
                writer.writerow([txn.date.isoformat(), txn.description, posting.account, str(posting.amount)])
        return buf.getvalue()

    @classmethod
    def from_csv(cls, text: str) -> "Journal":
        journal = cls()
        grouped: dict[tuple[str, str], list[Posting]] = defaultdict(list)
        order: list[tuple[str, str]] = []
        for row in csv.DictReader(io.StringIO(text)):
            key = (row["date"], row["description"])
            if key not in grouped:
                order.append(key)
            grouped[key].append(Posting.of(row["account"], row["amount"]))
        for date, description in order:
            journal.record(date, description, grouped[(date, description)])
        return journal


def income_statement(journal: Journal, first: dt.date, last: dt.date) -> dict[str, Decimal]:
    """Income and expense totals for a period; income is shown as a positive number."""
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for txn in journal:
        if not first <= txn.date <= last:
            continue
        for posting in txn.postings:
            top = posting.account.split(":", 1)[0]
            if top == "Income":
                totals[posting.account] -= posting.amount
            elif top == "Expenses":
                totals[posting.account] += posting.amount
    net = sum((v for k, v in totals.items() if k.startswith("Income")), Decimal("0")) - sum(
        (v for k, v in totals.items() if k.startswith("Expenses")), Decimal("0")
    )
    result = dict(sorted(totals.items()))
    result["Net"] = net
    return result
