"""Background jobs."""

from __future__ import annotations

from typing import Any

from .gateway import AppointmentGateway


def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:
    gateway = AppointmentGateway(base_url)
    pushed = 0
    for payload in pending:
        gateway.post_appointment(payload)
        pushed += 1
    return pushed
