"""Repository of transfers."""

from __future__ import annotations

from typing import Any

from .base import Repository


class TransferRepository(Repository):
    table = "transfers"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM transfers WHERE transfer_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM transfers ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("transfers.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM transfers", ())
        return int(row["n"]) if row else 0
