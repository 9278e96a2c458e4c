"""Interfaces the dashboard depends on; the HTTP client is one implementation."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class ReadingSource(Protocol):
    def stations(self) -> list[str]: ...

    def latest(self, station: str) -> "object": ...


class Clock(Protocol):
    def now_iso(self) -> str:
        """Current time in ISO 8601, UTC."""
        ...

