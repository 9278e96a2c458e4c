"""Background jobs."""

from __future__ import annotations

from typing import Any

from .gateway import OrderGateway


def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:
    gateway = OrderGateway(base_url)
    pushed = 0
    for payload in pending:
        gateway.send_order(payload)
        pushed += 1
    return pushed
