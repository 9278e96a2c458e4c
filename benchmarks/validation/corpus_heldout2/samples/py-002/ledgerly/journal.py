"""An in-memory journal of balanced transactions."""
from __future__ import annotations

import datetime as dt
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
