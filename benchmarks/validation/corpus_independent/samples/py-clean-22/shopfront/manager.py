"""Order handling for shopfront."""

from __future__ import annotations

import enum
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

@dataclass
class OrderRow:
    """A order as stored in the shopfront database."""

    order_id: str
    total_cents: int
    status: str = "new"
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "total_cents": self.total_cents,
            "status": self.status,
            "tags": list(self.tags),
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> OrderRow:
        created = raw.get("created_at")
        return cls(
            order_id=str(raw["order_id"]),
            total_cents=int(raw.get("total_cents", 0)),
            status=str(raw.get("status", "new")),
            tags=[str(tag) for tag in raw.get("tags", [])],
            created_at=datetime.fromisoformat(created) if created else datetime.now(timezone.utc),
        )


_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


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


class OrderManager:
    """Keeps orders in memory and in the journal file."""

    def __init__(self, journal: Path) -> None:
        self._journal = journal
        self._items: dict[str, dict[str, Any]] = {}
        self._log = logging.getLogger(__name__)

    def add(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = self._normalise(raw)
        key = str(item["order_id"])
        if key in self._items:
            raise ValueError(f"order {key} already exists")
        self._items[key] = item
        self._append_journal("add", item)
        return item

    def get(self, key: str) -> dict[str, Any]:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"no order {key}") from None

    def remove(self, key: str) -> None:
        item = self.get(key)
        del self._items[key]
        self._append_journal("remove", item)

    def total(self) -> int:
        return sum(int(item.get("total_cents", 0)) for item in self._items.values())

    def _normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = {str(k).strip().lower(): v for k, v in raw.items()}
        if "order_id" not in item:
            raise ValueError("order_id is required")
        item["total_cents"] = int(item.get("total_cents", 0))
        return item

    def _append_journal(self, action: str, item: dict[str, Any]) -> None:
        line = json.dumps({"action": action, "item": item}, sort_keys=True, default=str)
        with self._journal.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self._log.debug("journal: %s %s", action, item.get("order_id"))


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


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


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
