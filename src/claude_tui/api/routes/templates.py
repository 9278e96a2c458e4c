"""Project templates."""

from __future__ import annotations

from fastapi import Request

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
)
from claude_tui.api.routing import api_router
from claude_tui.services import projects, templates
from claude_tui.services.projects import ProjectView
from claude_tui.services.templates import TemplateProject, TemplateView
from claude_tui.settings import Settings

router = api_router(prefix="/api/v1/templates", tags=["templates"], responses=NOT_AUTHENTICATED)


@router.get("", response_model=list[TemplateView], summary="Project templates and their questions")
async def list_templates(principal: CurrentPrincipal) -> list[TemplateView]:
    return templates.list_templates()


@router.get("/{name}", response_model=TemplateView, summary="One template", responses=NOT_FOUND)
async def get_template(principal: CurrentPrincipal, name: str) -> TemplateView:
    return templates.get_template(name)


@router.post(
    "/{name}/projects",
    status_code=201,
    response_model=ProjectView,
    summary="Create a project and fill its new workspace from the template",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def create_project_from_template(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    name: str,
    data: TemplateProject,
) -> ProjectView:
    settings: Settings = request.app.state.settings
    # Refused before anything is rendered: a template must never write into a workspace
    # that is not the caller's to take. Creating the project checks again, under its lock.
    await projects.check_workspace(
        session, principal, settings.effective_workspace_root, data.project.workspace_path
    )
    # No transaction stays open while the template renders.
    await session.rollback()
    return await templates.create_from_template(
        session, principal, settings.effective_workspace_root, name, data
    )
