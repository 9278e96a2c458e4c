from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .log import AuditLog

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def audited(log: AuditLog, action: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        def inner(request: dict[str, Any]) -> dict[str, Any]:
            response = handler(request)
            log.append_event(request.get("user", "anonymous"), f"{action}:{response.get('status', '?')}")
            return response

        return inner

    return wrap
