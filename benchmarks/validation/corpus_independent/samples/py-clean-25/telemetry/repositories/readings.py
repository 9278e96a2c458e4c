"""Repository of readings."""

from __future__ import annotations

from typing import Any

from .base import Repository


class ReadingRepository(Repository):
    table = "readings"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM readings WHERE sensor_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM readings ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("readings.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM readings", ())
        return int(row["n"]) if row else 0
