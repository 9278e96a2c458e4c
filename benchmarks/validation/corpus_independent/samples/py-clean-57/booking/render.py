"""Reservation handling for booking."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import statistics
import tempfile
import time
import tomllib
import unicodedata
from abc import ABC, abstractmethod
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, ROUND_DOWN
from pathlib import Path
from typing import Any, Generic, TypeVar

def write_json_atomic(path: Path, data: Any) -> None:
    """Write through a temporary file so readers never see half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise


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


_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


class Renderer(ABC):
    """Turns a list of reservations into one document format."""

    @abstractmethod
    def render(self, rows: list[dict[str, Any]]) -> str:
        """Return the whole document."""

    def content_type(self) -> str:
        return "text/plain"


class CsvRenderer(Renderer):
    def render(self, rows: list[dict[str, Any]]) -> str:
        out = ["reservation_id,nights"]
        out += [f"{row['reservation_id']},{row['nights']}" for row in rows]
        return "\n".join(out) + "\n"

    def content_type(self) -> str:
        return "text/csv"


class MarkdownRenderer(Renderer):
    def render(self, rows: list[dict[str, Any]]) -> str:
        out = ["| reservation_id | nights |", "|---|---|"]
        out += [f"| {row['reservation_id']} | {row['nights']} |" for row in rows]
        return "\n".join(out) + "\n"


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


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


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
