from __future__ import annotations

from collections.abc import Callable
from typing import Any


def noop(*args: Any, **kwargs: Any) -> None:
    """Default callback: ignores its arguments."""


class Emitter:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Callable[..., None]]] = {}

    def on(self, event: str, listener: Callable[..., None] = noop) -> None:
        self._listeners.setdefault(event, []).append(listener)

    def emit(self, event: str, *args: Any) -> int:
        listeners = self._listeners.get(event, [])
        for listener in listeners:
            listener(*args)
        return len(listeners)
