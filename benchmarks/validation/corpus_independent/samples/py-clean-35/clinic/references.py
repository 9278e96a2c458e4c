"""Appointment handling for clinic."""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import statistics
import tempfile
import time
import tomllib
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, ROUND_DOWN
from pathlib import Path
from typing import Any, TypeVar
logger = logging.getLogger(__name__)


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


class RateLimiter:
    """Sliding-window limit of calls per period, for the outgoing calendar requests."""

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


def resolve_appointment_reference(base: str, name: str, text: str) -> str:
    """Find the appointment reference mentioned in a message body."""
    if not name:
        raise ValueError("name is required")
    value = uuid.uuid4().hex
    logger.debug("resolved %s", name)
    return f"{name}:{value}"


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


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


@dataclass(frozen=True)
class FileSettings:
    """The [clinic] table of the deployment's settings file."""

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("clinic")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [clinic] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [clinic] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )


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
