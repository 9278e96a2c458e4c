"""Querying the audit trail: filters and cursor pagination, for administrators."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.services.errors import InvalidInputError, PermissionDeniedError
from claude_tui.services.identity import check_text_fields
from claude_tui.services.principal import Principal
from claude_tui.storage.models import AuditLogEntry

MAX_PAGE = 500


@dataclass(frozen=True)
class AuditFilter:
    """Every field narrows the result; None means "any"."""

    action: str | None = None
    actor_id: int | None = None
    target_type: str | None = None
    target_id: str | None = None
    outcome: str | None = None
    request_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditEntryView:
    id: int
    created_at: datetime
    action: str
    outcome: str
    actor_id: int | None
    target_type: str | None
    target_id: str | None
    request_id: str | None
    client_addr: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntryView]
    next_cursor: str | None


def encode_cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"audit:{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor stands for; 422 for anything this service did not hand out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        entry_id = int(value)
        # audit_log ids are BIGINT: anything outside would be a database error, not a page.
        if kind != "audit" or not 0 < entry_id < 2**63:
            raise ValueError(kind)
        return entry_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInputError("The cursor is not valid; use next_cursor as returned.") from exc


async def query(
    session: AsyncSession,
    principal: Principal,
    filters: AuditFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> AuditPage:
    """Entries newest first, matching every filter; administrators only."""
    if not principal.allows("audit:read"):
        raise PermissionDeniedError("This API key lacks the 'audit:read' scope.")
    if not principal.is_admin:
        raise PermissionDeniedError("Only administrators may read the audit log.")
    check_text_fields(
        action=filters.action,
        target_type=filters.target_type,
        target_id=filters.target_id,
        outcome=filters.outcome,
        request_id=filters.request_id,
    )
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE}.")
    for moment in (filters.since, filters.until):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInputError("since and until need a time zone, e.g. 2030-01-01T00:00:00Z.")
    if filters.since and filters.until and filters.since > filters.until:
        raise InvalidInputError("since must not be after until.")
    stmt = select(AuditLogEntry)
    for column, value in (
        (AuditLogEntry.action, filters.action),
        (AuditLogEntry.actor_id, filters.actor_id),
        (AuditLogEntry.target_type, filters.target_type),
        (AuditLogEntry.target_id, filters.target_id),
        (AuditLogEntry.outcome, filters.outcome),
        (AuditLogEntry.request_id, filters.request_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.since is not None:
        stmt = stmt.where(AuditLogEntry.created_at >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(AuditLogEntry.created_at < filters.until)
    if cursor is not None:
        stmt = stmt.where(AuditLogEntry.id < decode_cursor(cursor))
    rows = list(
        (await session.execute(stmt.order_by(AuditLogEntry.id.desc()).limit(limit + 1))).scalars()
    )
    items = [
        AuditEntryView(
            id=row.id,
            created_at=row.created_at,
            action=row.action,
            outcome=row.outcome,
            actor_id=row.actor_id,
            target_type=row.target_type,
            target_id=row.target_id,
            request_id=row.request_id,
            client_addr=row.client_addr,
            detail=dict(row.detail or {}),
        )
        for row in rows[:limit]
    ]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    return AuditPage(items, next_cursor)
