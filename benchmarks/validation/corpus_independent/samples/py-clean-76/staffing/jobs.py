"""Background jobs."""

from __future__ import annotations

from typing import Any

from .gateway import EmployeeGateway


def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:
    gateway = EmployeeGateway(base_url)
    pushed = 0
    for payload in pending:
        gateway.submit_employee(payload)
        pushed += 1
    return pushed
