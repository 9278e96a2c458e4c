"""Projects and their members."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    IdPath,
    PageParams,
)
from claude_tui.api.routing import api_router
from claude_tui.services import members, projects
from claude_tui.services.members import MemberAdd, MemberAddAccepted, MemberUpdate, MemberView
from claude_tui.services.pagination import Page
from claude_tui.services.projects import ProjectCreate, ProjectUpdate, ProjectView
from claude_tui.settings import Settings

router = api_router(prefix="/api/v1/projects", tags=["projects"], responses=NOT_AUTHENTICATED)


def _workspace_root(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.post(
    "",
    status_code=201,
    response_model=ProjectView,
    summary="Create a project; the caller becomes its maintainer",
    responses={**FORBIDDEN, **INVALID, **CONFLICT},
)
async def create_project(
    request: Request, session: DbSession, principal: CurrentPrincipal, data: ProjectCreate
) -> ProjectView:
    root = _workspace_root(request).effective_workspace_root
    return await projects.create_project(session, principal, root, data, adopting=True)


@router.get(
    "",
    response_model=Page[ProjectView],
    summary="Projects the caller may see, filtered, sorted and paginated",
    responses={**INVALID},
)
async def list_projects(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    name: Annotated[str | None, Query(max_length=100, description="Name contains.")] = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[ProjectView]:
    return await projects.list_projects(
        session,
        principal,
        page,
        name_contains=name,
        created_after=created_after,
        created_before=created_before,
    )


@router.get("/{project_id}", response_model=ProjectView, summary="One project", responses=NOT_FOUND)
async def get_project(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath
) -> ProjectView:
    return await projects.get_project(session, principal, project_id)


@router.patch(
    "/{project_id}",
    response_model=ProjectView,
    summary="Change a project's name, description, git remote or settings (maintainers)",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def update_project(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath, data: ProjectUpdate
) -> ProjectView:
    return await projects.update_project(session, principal, project_id, data)


@router.delete(
    "/{project_id}",
    status_code=204,
    summary="Delete a project with its tasks and events; its files stay (maintainers)",
    responses={**NOT_FOUND, **FORBIDDEN},
)
async def delete_project(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath
) -> Response:
    await projects.delete_project(session, principal, project_id)
    return Response(status_code=204)


@router.get(
    "/{project_id}/members",
    response_model=list[MemberView],
    summary="Members of a project and their roles",
    responses=NOT_FOUND,
)
async def list_members(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath
) -> list[MemberView]:
    return await members.list_members(session, principal, project_id)


@router.post(
    "/{project_id}/members",
    status_code=202,
    response_model=MemberAddAccepted,
    summary="Add a member by exact username or e-mail address (maintainers)",
    description="The answer is the same whether or not an account matches, so that it "
    "cannot be used to find out who has an account; the member list shows the outcome.",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def add_member(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath, data: MemberAdd
) -> MemberAddAccepted:
    return await members.add_member(session, principal, project_id, data)


@router.patch(
    "/{project_id}/members/{user_id}",
    response_model=MemberView,
    summary="Change a member's role (maintainers)",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def change_member_role(
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: IdPath,
    user_id: IdPath,
    data: MemberUpdate,
) -> MemberView:
    return await members.change_role(session, principal, project_id, user_id, data)


@router.delete(
    "/{project_id}/members/{user_id}",
    status_code=204,
    summary="Remove a member (maintainers)",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def remove_member(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath, user_id: IdPath
) -> Response:
    await members.remove_member(session, principal, project_id, user_id)
    return Response(status_code=204)
