"""Security audits of a project's workspace."""

from __future__ import annotations

from typing import Any

from fastapi import Body, Request

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    IdPath,
)
from claude_tui.api.routing import api_router
from claude_tui.services import audits
from claude_tui.services.audits import AuditRequest, AuditSource
from claude_tui.settings import Settings

router = api_router(prefix="/api/v1/projects", tags=["audits"], responses=NOT_AUTHENTICATED)


@router.post(
    "/{project_id}/audits",
    summary="Audit the project's workspace: secrets, dependencies, licenses, code, infrastructure",
    description=(
        "Runs `claude-tui audit` on the workspace with the project's policy and returns its JSON "
        "report. `verdict` is `pass`, `fail` (findings at or above the threshold) or "
        "`incomplete` (a required scanner did not complete; its status and reason say why)."
    ),
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def audit_project(
    http_request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: IdPath,
    request: AuditRequest = Body(default_factory=AuditRequest),
) -> dict[str, Any]:
    settings: Settings = http_request.app.state.settings
    source = AuditSource(osv_url=settings.audit_osv_url, advisories=settings.audit_advisories_dir)
    return await audits.audit_project(
        session, principal, project_id, settings.effective_workspace_root, request, source
    )
