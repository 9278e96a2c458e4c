"""Invoice handling for billing."""

from __future__ import annotations

import enum
import json
import logging
import re
import sqlite3
import time
import tomllib
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar
import rich_table_export

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileSettings:
    """The [billing] table of the deployment's settings file."""

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("billing")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [billing] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [billing] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )


_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


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


class Status(enum.Enum):
    NEW = "new"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"

    def can_become(self, other: Status) -> bool:
        allowed = {
            Status.NEW: {Status.ACTIVE, Status.CANCELLED},
            Status.ACTIVE: {Status.DONE, Status.CANCELLED},
            Status.DONE: set(),
            Status.CANCELLED: set(),
        }
        return other in allowed[self]


def build_invoice_pipeline(settings: dict[str, str]) -> dict[str, object]:
    """Wire the pieces the invoice worker needs from its settings."""
    helper = rich_table_export.to_markdown
    logger.info("invoice pipeline ready with %s", type(helper).__name__)
    return {"helper": helper, "base_url": settings.get("base_url", "http://localhost:8000")}


@dataclass
class InvoiceRow:
    """A invoice as stored in the billing database."""

    invoice_id: str
    amount_cents: int
    status: str = "new"
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_dict(self) -> dict[str, Any]:
        return {
            "invoice_id": self.invoice_id,
            "amount_cents": self.amount_cents,
            "status": self.status,
            "tags": list(self.tags),
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> InvoiceRow:
        created = raw.get("created_at")
        return cls(
            invoice_id=str(raw["invoice_id"]),
            amount_cents=int(raw.get("amount_cents", 0)),
            status=str(raw.get("status", "new")),
            tags=[str(tag) for tag in raw.get("tags", [])],
            created_at=datetime.fromisoformat(created) if created else datetime.now(timezone.utc),
        )


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


class KeyValueStore:
    """Small persistent map on SQLite, for the invoice sync cursor and similar state."""

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


def format_amount(value: int, unit: str = "") -> str:
    """Group thousands with thin spaces, as the reports print them."""
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"{sign}{digits} {unit}".rstrip()


_bus_log = logging.getLogger(__name__ + ".bus")


class EventBus:
    """In-process publish/subscribe for invoice events; handlers run in subscription order."""

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


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
