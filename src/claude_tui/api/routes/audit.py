"""The security audit log, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import IdFilter
from claude_tui.api.routes.problem_docs import problems
from claude_tui.api.routing import api_router
from claude_tui.services import audit_log
from claude_tui.services.audit_log import AuditFilter

router = api_router(prefix="/api/v1/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
    id: int
    created_at: datetime
    action: str
    outcome: str
    actor_id: int | None
    target_type: str | None
    target_id: str | None
    request_id: str | None
    client_addr: str | None
    detail: dict[str, Any]


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next (older) page.")


@router.get(
    "",
    response_model=AuditPageOut,
    summary="Audit entries, newest first, filtered and paginated (admins)",
    responses=problems(
        {401: "Not authenticated (problem+json).", 403: "Not an administrator (problem+json)."}
    ),
)
async def list_audit_entries(
    session: DbSession,
    principal: CurrentPrincipal,
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: IdFilter = None,
    target_type: Annotated[str | None, Query(max_length=32)] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Annotated[str | None, Query(max_length=16)] = None,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=audit_log.MAX_PAGE)] = 50,
) -> AuditPageOut:
    page = await audit_log.query(
        session,
        principal,
        AuditFilter(
            action=action,
            actor_id=actor_id,
            target_type=target_type,
            target_id=target_id,
            outcome=outcome,
            request_id=request_id,
            since=since,
            until=until,
        ),
        limit=limit,
        cursor=cursor,
    )
    return AuditPageOut(
        items=[AuditEntryOut.model_validate(e, from_attributes=True) for e in page.items],
        next_cursor=page.next_cursor,
    )
