"""A project's workspace files, read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import INVALID, NOT_AUTHENTICATED, NOT_FOUND, IdPath
from claude_tui.api.routing import api_router
from claude_tui.services import workspace_files
from claude_tui.services.workspace_files import FileContent, FileEntry

router = api_router(prefix="/api/v1/projects", tags=["files"], responses=NOT_AUTHENTICATED)

PathQuery = Annotated[str, Query(max_length=4096, description="Path relative to the workspace.")]


@router.get(
    "/{project_id}/files",
    response_model=list[FileEntry],
    summary="List a directory of the project's workspace",
    responses={**NOT_FOUND, **INVALID},
)
async def list_files(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: IdPath,
    path: PathQuery = "",
) -> list[FileEntry]:
    root = request.app.state.settings.effective_workspace_root
    return await workspace_files.list_directory(session, principal, project_id, root, path)


@router.get(
    "/{project_id}/files/content",
    response_model=FileContent,
    summary="Read a text file of the project's workspace",
    responses={**NOT_FOUND, **INVALID},
)
async def read_file(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: IdPath,
    path: PathQuery,
) -> FileContent:
    root = request.app.state.settings.effective_workspace_root
    return await workspace_files.read_file(session, principal, project_id, root, path)
