"""In-process publish/subscribe for stock changes."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Event:
    topic: str
    payload: dict[str, object]


_subscribers: dict[str, list[Callable[[Event], None]]] = defaultdict(list)


def subscribe(topic: str, handler: Callable[[Event], None]) -> None:
    _subscribers[topic].append(handler)


def publish(event: Event) -> int:
    handlers = list(_subscribers.get(event.topic, ()))
    for handler in handlers:
        handler(event)
    return len(handlers)

