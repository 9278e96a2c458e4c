"""Workflows: DAGs of tasks, created from a list of tasks or the sparc template."""

from __future__ import annotations

from datetime import datetime

from fastapi import Response

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    IdFilter,
    IdPath,
    PageParams,
)
from claude_tui.api.routes.tasks import EventBroadcaster
from claude_tui.api.routing import api_router
from claude_tui.services import workflows
from claude_tui.services.pagination import Page
from claude_tui.services.workflows import (
    ScheduleResult,
    WorkflowCreate,
    WorkflowDetail,
    WorkflowUpdate,
    WorkflowView,
)

router = api_router(prefix="/api/v1", tags=["workflows"], responses=NOT_AUTHENTICATED)


@router.post(
    "/projects/{project_id}/workflows",
    status_code=201,
    response_model=WorkflowDetail,
    summary="Create a workflow with its tasks, or expand a goal with the sparc template",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def create_workflow(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    project_id: IdPath,
    data: WorkflowCreate,
) -> WorkflowDetail:
    return await workflows.create_workflow(session, broadcaster, principal, project_id, data)


@router.get(
    "/workflows",
    response_model=Page[WorkflowView],
    summary="Workflows of the projects the caller may see",
    responses={**INVALID},
)
async def list_workflows(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    project_id: IdFilter = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[WorkflowView]:
    return await workflows.list_workflows(
        session,
        principal,
        page,
        project_id=project_id,
        created_after=created_after,
        created_before=created_before,
    )


@router.get(
    "/workflows/{workflow_id}",
    response_model=WorkflowDetail,
    summary="One workflow with its tasks",
    responses=NOT_FOUND,
)
async def get_workflow(
    session: DbSession, principal: CurrentPrincipal, workflow_id: IdPath
) -> WorkflowDetail:
    return await workflows.get_workflow(session, principal, workflow_id)


@router.patch(
    "/workflows/{workflow_id}",
    response_model=WorkflowDetail,
    summary="Rename a workflow or change its concurrency",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def update_workflow(
    session: DbSession, principal: CurrentPrincipal, workflow_id: IdPath, data: WorkflowUpdate
) -> WorkflowDetail:
    return await workflows.update_workflow(session, principal, workflow_id, data)


@router.delete(
    "/workflows/{workflow_id}",
    status_code=204,
    summary="Delete a workflow and its tasks, unless some are active",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def delete_workflow(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    workflow_id: IdPath,
) -> Response:
    await workflows.delete_workflow(session, broadcaster, principal, workflow_id)
    return Response(status_code=204)


@router.post(
    "/workflows/{workflow_id}/schedule",
    response_model=ScheduleResult,
    summary="Queue the tasks that may start now and cancel dependents of failed tasks",
    responses={**NOT_FOUND, **FORBIDDEN},
)
async def schedule_workflow(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    workflow_id: IdPath,
) -> ScheduleResult:
    return await workflows.start_workflow(session, broadcaster, principal, workflow_id)
