"""Reservation handling for booking."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
import logging
import os
import re
import time
import tomllib
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


class RateLimiter:
    """Sliding-window limit of calls per period, for the outgoing pms requests."""

    def __init__(self, max_calls: int, period: float) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("max_calls must be >= 1 and period > 0")
        self.max_calls = max_calls
        self.period = period
        self._calls: deque[float] = deque()

    def try_acquire(self) -> bool:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= self.period:
            self._calls.popleft()
        if len(self._calls) >= self.max_calls:
            return False
        self._calls.append(now)
        return True

    def wait_time(self) -> float:
        if len(self._calls) < self.max_calls:
            return 0.0
        return max(0.0, self.period - (time.monotonic() - self._calls[0]))


@dataclass(frozen=True)
class FileSettings:
    """The [booking] table of the deployment's settings file."""

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("booking")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [booking] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [booking] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )


def format_amount(value: int, unit: str = "") -> str:
    """Group thousands with thin spaces, as the reports print them."""
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"{sign}{digits} {unit}".rstrip()


class ReservationManager:
    """Keeps reservations in memory and in the journal file."""

    def __init__(self, journal: Path) -> None:
        self._journal = journal
        self._items: dict[str, dict[str, Any]] = {}
        self._log = logging.getLogger(__name__)

    def add(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = self.normalise_payload(raw)
        key = str(item["reservation_id"])
        if key in self._items:
            raise ValueError(f"reservation {key} already exists")
        self._items[key] = item
        self._append_journal("add", item)
        return item

    def get(self, key: str) -> dict[str, Any]:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"no reservation {key}") from None

    def remove(self, key: str) -> None:
        item = self.get(key)
        del self._items[key]
        self._append_journal("remove", item)

    def total(self) -> int:
        return sum(int(item.get("nights", 0)) for item in self._items.values())

    def _normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = {str(k).strip().lower(): v for k, v in raw.items()}
        if "reservation_id" not in item:
            raise ValueError("reservation_id is required")
        item["nights"] = int(item.get("nights", 0))
        return item

    def _append_journal(self, action: str, item: dict[str, Any]) -> None:
        line = json.dumps({"action": action, "item": item}, sort_keys=True, default=str)
        with self._journal.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self._log.debug("journal: %s %s", action, item.get("reservation_id"))


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


_REQUIRED_FIELDS = ("reservation_id", "nights")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a reservation payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["nights"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("nights must be a non-negative integer")


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


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


_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"
