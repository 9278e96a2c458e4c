from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


class EventState:
    def __init__(self) -> None:
        self.online: set[str] = set()

    def apply(self, event: dict[str, Any]) -> None:
        match event.get("type"):
            case "join":
                self.online.add(event["user"])
            case "leave":
                self.online.discard(event["user"])
            case _:
                # The protocol lets servers add event types; old clients skip them.
                logger.debug("ignoring event %s", event.get("type"))
