"""The security audit trail: who did what to what, from where, in which request."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.observability.context import client_addr_var, request_id_var
from claude_tui.storage.models import AuditLogEntry


def record(
    session: AsyncSession,
    action: str,
    *,
    actor_id: int | None,
    target_type: str | None = None,
    target_id: str | int | None = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Add an audit entry to the session; it is written with the caller's transaction."""
    entry = AuditLogEntry(
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail or {},
        request_id=request_id_var.get(),
        client_addr=client_addr_var.get(),
    )
    session.add(entry)
    return entry
