"""The dashboard: every visible project's state at a glance."""

from __future__ import annotations

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import NOT_AUTHENTICATED
from claude_tui.api.routing import api_router
from claude_tui.services import dashboard
from claude_tui.services.dashboard import ProjectSummary

router = api_router(prefix="/api/v1/dashboard", tags=["dashboard"], responses=NOT_AUTHENTICATED)


@router.get(
    "",
    response_model=list[ProjectSummary],
    summary="Each project you can see: tasks, progress and the last validation",
)
async def project_summaries(
    session: DbSession, principal: CurrentPrincipal
) -> list[ProjectSummary]:
    return await dashboard.project_summaries(session, principal)
