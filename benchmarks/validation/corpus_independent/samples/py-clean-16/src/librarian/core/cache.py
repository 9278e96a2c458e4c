"""A small time-based cache."""

from __future__ import annotations

import time
from typing import Any


class ttl_cache:  # noqa: N801  (reads like a function at call sites)
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any:
        hit = self._items.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def set(self, key: str, value: Any) -> None:
        self._items[key] = (time.monotonic() + self.seconds, value)
