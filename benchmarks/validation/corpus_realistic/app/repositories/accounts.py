from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Account, LedgerEntry


def transfer(session: Session, source: int, target: int, cents: int) -> LedgerEntry:
    if cents <= 0:
        raise ValueError("transfer amount must be positive")
    session.execute(update(Account).where(Account.id == source).values(balance=Account.balance - cents))
    session.execute(update(Account).where(Account.id == target).values(balance=Account.balance + cents))
    entry = LedgerEntry(source_id=source, target_id=target, cents=cents)
    session.add(entry)
    session.flush()
    # The caller commits, so a transfer can join a larger unit of work.
    return entry
