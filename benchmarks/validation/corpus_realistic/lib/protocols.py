from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class SupportsClose(Protocol):
    def close(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""

    def sleep(self, seconds: float) -> None:
        ...


class Transport(Protocol):
    async def send(self, data: bytes) -> None: ...

    async def receive(self) -> bytes: ...

    @property
    def closed(self) -> bool: ...


Middleware = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def close_all(things: list[Any]) -> int:
    closed = 0
    for thing in things:
        if isinstance(thing, SupportsClose):
            thing.close()
            closed += 1
    return closed
