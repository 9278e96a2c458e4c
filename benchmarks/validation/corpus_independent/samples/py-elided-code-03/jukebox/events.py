"""Track handling for jukebox."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any
logger = logging.getLogger(__name__)


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


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Integer setting from the environment, with a readable error when malformed."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def on_created(event: dict[str, Any]) -> None:
    logger.info("track %s created", event["track_id"])


def on_updated(event: dict[str, Any]) -> None:
    logger.info("track %s updated: %s", event["track_id"], sorted(event.get("changes", {})))


def on_deleted(event: dict[str, Any]) -> None:
    logger.warning("track %s deleted by %s", event["track_id"], event.get("actor", "?"))


HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "track.created": on_created,
    "track.updated": on_updated,
    "track.deleted": on_deleted,
    # etc. for the other events
}


def dispatch(event: dict[str, Any]) -> None:
    handler = HANDLERS.get(event["type"])
    if handler is None:
        raise KeyError(f"no handler for {event['type']}")
    handler(event)


class KeyValueStore:
    """Small persistent map on SQLite, for the track sync cursor and similar state."""

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


_REQUIRED_FIELDS = ("track_id", "duration_ms")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a track payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["duration_ms"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("duration_ms must be a non-negative integer")


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain-text table with columns padded to their widest cell."""
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, expected {len(headers)}")
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


_bus_log = logging.getLogger(__name__ + ".bus")


class EventBus:
    """In-process publish/subscribe for track events; handlers run in subscription order."""

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
