from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

Listener = Callable[[str, dict[str, Any]], None]


class EventSource:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, event: str, listener: Listener) -> None:
        self._listeners[event].append(listener)

    def publish(self, event: str, payload: dict[str, Any]) -> None:
        for listener in self._listeners.get(event, []) + self._listeners.get("*", []):
            listener(event, payload)
