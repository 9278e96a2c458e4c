"""Repository of loans."""

from __future__ import annotations

from typing import Any

from .base import Repository


class LoanRepository(Repository):
    table = "loans"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM loans WHERE loan_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM loans ORDER BY rowid DESC LIMIT ?", (limit,))
        self.track(len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM loans", ())
        return int(row["n"]) if row else 0
