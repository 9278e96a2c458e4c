"""Reading handling for telemetry."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


@dataclass(frozen=True)
class FileSettings:
    """The [telemetry] table of the deployment's settings file."""

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("telemetry")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [telemetry] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [telemetry] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )


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


def format_amount(value: int, unit: str = "") -> str:
    """Group thousands with thin spaces, as the reports print them."""
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"{sign}{digits} {unit}".rstrip()


def free_memory_bytes() -> int:
    """Free physical memory, for the reading import's batch size."""
    if sys.platform.startswith("linux"):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return 512 * 1024 * 1024


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


class KeyValueStore:
    """Small persistent map on SQLite, for the reading sync cursor and similar state."""

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


class RateLimiter:
    """Sliding-window limit of calls per period, for the outgoing ingest requests."""

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
