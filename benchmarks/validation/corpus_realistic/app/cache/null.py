"""The cache backend used when ``CACHE_URL`` is empty: every lookup misses."""

from __future__ import annotations

from typing import Any


class NullCache:
    def get(self, key: str) -> Any | None:
        return None

    def set(self, key: str, value: Any, ttl: int = 300) -> None:
        """Nothing is stored, so the next ``get`` misses as it should."""

    def delete(self, key: str) -> None:
        """Nothing to delete."""
