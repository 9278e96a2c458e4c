"""Reservation handling for booking."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import statistics
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from decimal import Decimal, ROUND_DOWN
from typing import Any, Generic, TypeVar
from sqlalchemy_repository_kit import AsyncRepository

logger = logging.getLogger(__name__)


_K = TypeVar("_K")
_V = TypeVar("_V")


class BoundedCache(Generic[_K, _V]):
    """Least-recently-used mapping with a fixed number of entries."""

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._data: OrderedDict[_K, _V] = OrderedDict()

    def get(self, key: _K) -> _V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: _K, value: _V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


_R = TypeVar("_R")
_retry_log = logging.getLogger(__name__ + ".retry")


def call_with_retries(func: Callable[[], _R], attempts: int = 3, delay: float = 0.2) -> _R:
    """Retry transient network failures with a linear back-off."""
    last_error: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            return func()
        except (ConnectionError, TimeoutError) as exc:
            last_error = exc
            _retry_log.warning("attempt %d/%d failed: %s", attempt, attempts, exc)
            time.sleep(delay * attempt)
    raise RuntimeError(f"gave up after {attempts} attempts") from last_error


def allocate(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split an amount by weights; the cents lost to rounding go to the first shares."""
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    cent = Decimal("0.01")
    shares = [(total * w / sum(weights)).quantize(cent, rounding=ROUND_DOWN) for w in weights]
    remainder = total - sum(shares)
    index = 0
    while remainder > 0:
        shares[index % len(shares)] += cent
        remainder -= cent
        index += 1
    return shares


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def build_reservation_pipeline(settings: dict[str, str]) -> dict[str, object]:
    """Wire the pieces the reservation worker needs from its settings."""
    helper = AsyncRepository
    logger.info("reservation pipeline ready with %s", type(helper).__name__)
    return {"helper": helper, "base_url": settings.get("base_url", "http://localhost:8000")}


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


_bus_log = logging.getLogger(__name__ + ".bus")


class EventBus:
    """In-process publish/subscribe for reservation events; handlers run in subscription order."""

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


_WINDOW_RE = re.compile(r"(\d+)([mhd])")


def parse_window(spec: str) -> timedelta:
    """Parse '15m', '2h' or '7d' into a timedelta."""
    match = _WINDOW_RE.fullmatch(spec.strip())
    if match is None:
        raise ValueError(f"bad window {spec!r}: expected a number followed by m, h or d")
    amount = int(match.group(1))
    unit = match.group(2)
    if unit == "m":
        return timedelta(minutes=amount)
    if unit == "h":
        return timedelta(hours=amount)
    return timedelta(days=amount)


class KeyValueStore:
    """Small persistent map on SQLite, for the reservation sync cursor and similar state."""

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
