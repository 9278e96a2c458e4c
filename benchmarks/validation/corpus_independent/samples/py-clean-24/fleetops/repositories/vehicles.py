"""Repository of vehicles."""

from __future__ import annotations

from typing import Any

from .base import Repository


class VehicleRepository(Repository):
    table = "vehicles"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM vehicles WHERE vin = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM vehicles ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("vehicles.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM vehicles", ())
        return int(row["n"]) if row else 0
