"""Repository of employees."""

from __future__ import annotations

from typing import Any

from .base import MetricsMixin, Repository


class EmployeeRepository(MetricsMixin, Repository):
    table = "employees"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM employees WHERE employee_id = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM employees ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("employees.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM employees", ())
        return int(row["n"]) if row else 0
