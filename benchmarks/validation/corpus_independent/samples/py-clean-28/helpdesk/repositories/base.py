"""Base class of the repositories."""

from __future__ import annotations

import sqlite3
from typing import Any


class Repository:
    table = ""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        cursor = self.connection.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        names = [column[0] for column in cursor.description]
        return dict(zip(names, row, strict=True))

    def fetch_all(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class MetricsMixin:
    """Adds counters to any repository."""

    counters: dict[str, int] = {}

    def emit_metric(self, name: str, value: int) -> None:
        self.counters[name] = self.counters.get(name, 0) + value
