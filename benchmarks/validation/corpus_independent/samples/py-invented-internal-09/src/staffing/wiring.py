"""Employee handling for staffing."""

from __future__ import annotations

import csv
import enum
import io
import json
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar
from staffing.core.cache import ttl_cache
from staffing.core.settings import Settings


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


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


_REQUIRED_FIELDS = ("employee_id", "salary_cents")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a employee payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["salary_cents"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("salary_cents must be a non-negative integer")


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


def build(settings: Settings) -> dict[str, object]:
    """Objects shared by the API handlers."""
    return {"settings": settings, "ttl_cache": ttl_cache}


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


def format_amount(value: int, unit: str = "") -> str:
    """Group thousands with thin spaces, as the reports print them."""
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"{sign}{digits} {unit}".rstrip()


class KeyValueStore:
    """Small persistent map on SQLite, for the employee sync cursor and similar state."""

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


@dataclass
class EmployeeRow:
    """A employee as stored in the staffing database."""

    employee_id: str
    salary_cents: int
    status: str = "new"
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "salary_cents": self.salary_cents,
            "status": self.status,
            "tags": list(self.tags),
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EmployeeRow:
        created = raw.get("created_at")
        return cls(
            employee_id=str(raw["employee_id"]),
            salary_cents=int(raw.get("salary_cents", 0)),
            status=str(raw.get("status", "new")),
            tags=[str(tag) for tag in raw.get("tags", [])],
            created_at=datetime.fromisoformat(created) if created else datetime.now(timezone.utc),
        )
