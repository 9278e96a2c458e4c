"""Tasks: create in a project, list, read, change, delete, and queue, cancel or retry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Response

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.events import request_broadcaster
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
from claude_tui.api.routing import api_router
from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import tasks
from claude_tui.services.events import Broadcaster
from claude_tui.services.pagination import Page
from claude_tui.services.tasks import StatusChange, TaskCreate, TaskUpdate, TaskView

router = api_router(prefix="/api/v1", tags=["tasks"], responses=NOT_AUTHENTICATED)

EventBroadcaster = Annotated[Broadcaster, Depends(request_broadcaster)]


@router.post(
    "/projects/{project_id}/tasks",
    status_code=201,
    response_model=TaskView,
    summary="Create a task in a project (developers and maintainers)",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def create_task(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    project_id: IdPath,
    data: TaskCreate,
) -> TaskView:
    return await tasks.create_task(session, broadcaster, principal, project_id, data)


@router.get(
    "/tasks",
    response_model=Page[TaskView],
    summary="Tasks of the projects the caller may see, filtered, sorted and paginated",
    responses={**INVALID},
)
async def list_tasks(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    project_id: IdFilter = None,
    workflow_id: IdFilter = None,
    status: Annotated[list[TaskStatus] | None, Query(description="Any of these.")] = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[TaskView]:
    return await tasks.list_tasks(
        session,
        principal,
        page,
        project_id=project_id,
        workflow_id=workflow_id,
        statuses=status,
        created_after=created_after,
        created_before=created_before,
    )


@router.get("/tasks/{task_id}", response_model=TaskView, summary="One task", responses=NOT_FOUND)
async def get_task(session: DbSession, principal: CurrentPrincipal, task_id: IdPath) -> TaskView:
    return await tasks.get_task(session, principal, task_id)


@router.patch(
    "/tasks/{task_id}",
    response_model=TaskView,
    summary="Change a task's title, instruction, model or dependencies",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def update_task(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    task_id: IdPath,
    data: TaskUpdate,
) -> TaskView:
    return await tasks.update_task(session, broadcaster, principal, task_id, data)


@router.delete(
    "/tasks/{task_id}",
    status_code=204,
    summary="Delete a task that is not active and that no task depends on",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def delete_task(
    session: DbSession, principal: CurrentPrincipal, broadcaster: EventBroadcaster, task_id: IdPath
) -> Response:
    await tasks.delete_task(session, broadcaster, principal, task_id)
    return Response(status_code=204)


@router.post(
    "/tasks/{task_id}/status",
    response_model=TaskView,
    summary="Queue, cancel or retry a task; illegal transitions are 409",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def change_task_status(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    task_id: IdPath,
    data: StatusChange,
) -> TaskView:
    return await tasks.change_status(session, broadcaster, principal, task_id, data)
