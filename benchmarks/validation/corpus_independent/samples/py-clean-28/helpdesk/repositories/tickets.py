"""Repository of tickets."""

from __future__ import annotations

from typing import Any

from .base import MetricsMixin, Repository


class TicketRepository(MetricsMixin, Repository):
    table = "tickets"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM tickets WHERE ticket_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM tickets ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("tickets.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM tickets", ())
        return int(row["n"]) if row else 0
