"""Repository of articles."""

from __future__ import annotations

from typing import Any

from .base import MetricsMixin, Repository


class ArticleRepository(MetricsMixin, Repository):
    table = "articles"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM articles WHERE slug = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM articles ORDER BY rowid DESC LIMIT ?", (limit,))
        self.emit_metric("articles.recent", len(rows))
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM articles", ())
        return int(row["n"]) if row else 0
