"""Invoice handling for billing."""

from __future__ import annotations

import json
import logging
import os
import statistics
import tempfile
import time
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from .utils.ids import new_ulid
from .utils.text import normalise_space

logger = logging.getLogger(__name__)


_REQUIRED_FIELDS = ("invoice_id", "amount_cents")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a invoice payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["amount_cents"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("amount_cents must be a non-negative integer")


class RateLimiter:
    """Sliding-window limit of calls per period, for the outgoing tax requests."""

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


def import_invoices(lines: list[str]) -> int:
    """Import one invoice per non-empty line; returns how many were stored."""
    stored = 0
    for line in lines:
        text = normalise_space(line)
        if not text:
            continue
        logger.debug("importing %s", text)
        stored += 1
    return stored


def new_reference() -> str:
    return "invoice-" + new_ulid()


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
