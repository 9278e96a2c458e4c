"""Repository of invoices."""

from __future__ import annotations

from typing import Any

from .base import Repository


class InvoiceRepository(Repository):
    table = "invoices"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM invoices WHERE invoice_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM invoices ORDER BY rowid DESC LIMIT ?", (limit,))
        self.log_query("recent", limit)
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM invoices", ())
        return int(row["n"]) if row else 0
