"""Background jobs."""

from __future__ import annotations

from typing import Any

from .gateway import TicketGateway


def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:
    gateway = TicketGateway(base_url)
    pushed = 0
    for payload in pending:
        gateway.submit_ticket(payload)
        pushed += 1
    return pushed
