"""Shipment handling for logistics."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

def paginate(items: list[Any], page: int, per_page: int = 20) -> dict[str, Any]:
    """One page of results plus the numbers a client needs to ask for the next."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    total = len(items)
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }


_REQUIRED_FIELDS = ("tracking_no", "weight_grams")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a shipment payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["weight_grams"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("weight_grams must be a non-negative integer")


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Count, mean, median and spread for the dashboard tiles."""
    if not values:
        return {"count": 0.0, "mean": 0.0, "median": 0.0, "stdev": 0.0}
    return {
        "count": float(len(values)),
        "mean": statistics.fmean(values),
        "median": float(statistics.median(values)),
        "stdev": statistics.pstdev(values) if len(values) > 1 else 0.0,
    }


class ShipmentManager:
    """Keeps shipments in memory and in the journal file."""

    def __init__(self, journal: Path) -> None:
        self._journal = journal
        self._items: dict[str, dict[str, Any]] = {}
        self._log = logging.getLogger(__name__)

    def add(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = self._coerce(raw)
        key = str(item["tracking_no"])
        if key in self._items:
            raise ValueError(f"shipment {key} already exists")
        self._items[key] = item
        self._append_journal("add", item)
        return item

    def get(self, key: str) -> dict[str, Any]:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"no shipment {key}") from None

    def remove(self, key: str) -> None:
        item = self.get(key)
        del self._items[key]
        self._append_journal("remove", item)

    def total(self) -> int:
        return sum(int(item.get("weight_grams", 0)) for item in self._items.values())

    def _normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = {str(k).strip().lower(): v for k, v in raw.items()}
        if "tracking_no" not in item:
            raise ValueError("tracking_no is required")
        item["weight_grams"] = int(item.get("weight_grams", 0))
        return item

    def _append_journal(self, action: str, item: dict[str, Any]) -> None:
        line = json.dumps({"action": action, "item": item}, sort_keys=True, default=str)
        with self._journal.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self._log.debug("journal: %s %s", action, item.get("tracking_no"))


class KeyValueStore:
    """Small persistent map on SQLite, for the shipment sync cursor and similar state."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.commit()

    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


_bus_log = logging.getLogger(__name__ + ".bus")


class EventBus:
    """In-process publish/subscribe for shipment events; handlers run in subscription order."""

    def __init__(self) -> None:
        self._handlers: defaultdict[str, list[Callable[[dict[str, Any]], None]]] = defaultdict(list)

    def subscribe(self, topic: str, handler: Callable[[dict[str, Any]], None]) -> None:
        self._handlers[topic].append(handler)

    def publish(self, topic: str, payload: dict[str, Any]) -> int:
        delivered = 0
        for handler in list(self._handlers.get(topic, [])):
            handler(payload)
            delivered += 1
        _bus_log.debug("%s delivered to %d handler(s)", topic, delivered)
        return delivered

    def topics(self) -> list[str]:
        return sorted(self._handlers)


def business_days_between(start: date, end: date) -> int:
    """Weekdays from start (inclusive) to end (exclusive); holidays are not known here."""
    if end < start:
        return -business_days_between(end, start)
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5:
            days += 1
        current += timedelta(days=1)
    return days


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()
