"""The AI agent's routes: start an AI task, approve or decline its steps, cancel, undo, diff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from claude_tui.agent.git import GitError, TaskRepository
from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured
from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.events import request_broadcaster
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    IdPath,
)
from claude_tui.api.routing import api_router
from claude_tui.domain.roles import Action
from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import approvals, events, tasks
from claude_tui.services.approvals import PendingApproval
from claude_tui.services.authorization import TASKS_READ, TASKS_WRITE, authorize_project
from claude_tui.services.errors import ConflictError, InvalidInputError, NotFoundError
from claude_tui.services.events import Broadcaster
from claude_tui.services.identifiers import RowId
from claude_tui.services.projects import workspace_directory
from claude_tui.services.provider_settings import effective_settings
from claude_tui.services.tasks import StatusChange, TaskCreate, TaskView
from claude_tui.settings import Settings
from claude_tui.storage.models import Project

router = api_router(prefix="/api/v1", tags=["agent"], responses=NOT_AUTHENTICATED)
EventBroadcaster = Annotated[Broadcaster, Depends(request_broadcaster)]


class AgentTaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instruction: str = Field(min_length=1, max_length=100_000)
    title: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=100)
    depends_on: list[RowId] = Field(default_factory=list, max_length=100)


class ApprovalDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call_id: str = Field(min_length=1, max_length=200)
    approved: bool
    reason: str = Field(default="", max_length=2000)


class TaskDiff(BaseModel):
    task_id: int
    branch: str
    base_commit: str
    steps: list[str]
    diff: str


class UndoResult(BaseModel):
    task_id: int
    undone: str


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.post(
    "/projects/{project_id}/agent-tasks",
    status_code=201,
    response_model=TaskView,
    summary="Have the AI agent carry out an instruction in a project (queued at once)",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def create_agent_task(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    project_id: IdPath,
    data: AgentTaskCreate,
) -> TaskView:
    # Who may start tasks here comes first: a non-member learns nothing, not even that no
    # provider is configured.
    await authorize_project(session, principal, project_id, Action.RUN_TASKS, scope=TASKS_WRITE)
    try:
        ensure_provider_configured(await effective_settings(session, _settings(request)))
    except ProviderNotConfiguredError as exc:
        message = str(exc)
        raise InvalidInputError(message[:1].upper() + message[1:] + ".") from exc
    title = data.title or _title_of(data.instruction)
    created = await tasks.create_task(
        session,
        broadcaster,
        principal,
        project_id,
        TaskCreate(
            title=title, description=data.instruction, model=data.model, depends_on=data.depends_on
        ),
    )
    if data.depends_on:
        return created
    view = await tasks.change_status(
        session, broadcaster, principal, created.id, StatusChange(status="queued")
    )
    execution = getattr(request.app.state, "execution", None)
    if execution is not None:
        await execution.enqueue(view.id)
    return view


@router.get(
    "/tasks/{task_id}/approvals",
    response_model=list[PendingApproval],
    summary="Tool calls of the task waiting for a decision (ask mode)",
    responses=NOT_FOUND,
)
async def pending_approvals(
    session: DbSession, principal: CurrentPrincipal, task_id: IdPath
) -> list[PendingApproval]:
    return await approvals.pending(session, principal, task_id)


@router.post(
    "/tasks/{task_id}/approvals",
    status_code=204,
    summary="Approve or decline a tool call the agent is waiting on",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def decide_approval(
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    task_id: IdPath,
    data: ApprovalDecision,
) -> None:
    await approvals.decide(
        session, broadcaster, principal, task_id, data.call_id, data.approved, data.reason
    )


@router.post(
    "/tasks/{task_id}/cancel",
    response_model=TaskView,
    summary="Cancel a task; a running one stops its model request at once",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def cancel_task(
    session: DbSession, principal: CurrentPrincipal, broadcaster: EventBroadcaster, task_id: IdPath
) -> TaskView:
    return await tasks.change_status(
        session, broadcaster, principal, task_id, StatusChange(status="cancelled")
    )


@router.get(
    "/tasks/{task_id}/diff",
    response_model=TaskDiff,
    summary="Everything the task changed, against the commit its branch started from",
    responses={**NOT_FOUND, **CONFLICT},
)
async def task_diff(
    request: Request, session: DbSession, principal: CurrentPrincipal, task_id: IdPath
) -> TaskDiff:
    task, _ = await tasks.authorize_task(session, principal, task_id, Action.VIEW, scope=TASKS_READ)
    repo = await _repository(request, session, task.project_id, task_id)
    try:
        return TaskDiff(
            task_id=task_id,
            branch=repo.branch,
            base_commit=await repo.base_commit(),
            steps=[subject for _, subject in await repo.steps()],
            diff=await repo.diff(),
        )
    except GitError as exc:
        raise ConflictError(str(exc)) from exc


@router.post(
    "/tasks/{task_id}/undo",
    response_model=UndoResult,
    summary="Drop the task's last accepted step (its newest commit)",
    responses={**NOT_FOUND, **FORBIDDEN, **CONFLICT},
)
async def undo_step(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    broadcaster: EventBroadcaster,
    task_id: IdPath,
) -> UndoResult:
    task, _ = await tasks.authorize_task(
        session, principal, task_id, Action.RUN_TASKS, scope=TASKS_WRITE
    )
    if TaskStatus(task.status).is_active:
        raise ConflictError(f"Task {task_id} is {task.status}; undo works once it has stopped.")
    repo = await _repository(request, session, task.project_id, task_id)
    try:
        subject = await repo.undo_last_step()
    except GitError as exc:
        raise ConflictError(str(exc)) from exc
    events.record(
        session,
        task.project_id,
        "agent.undo",
        {"undone": subject, "by": principal.username, "verified_progress": 0.0},
        task_id=task_id,
    )
    # The engine vouched for the state it checked, and that state is gone: until the work is
    # validated again there is nothing it can vouch for.
    await tasks.record_progress(session, broadcaster, task_id, verified=0.0)
    return UndoResult(task_id=task_id, undone=subject)


async def _repository(
    request: Request, session: Any, project_id: int, task_id: int
) -> TaskRepository:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"Task {task_id} was not found.")
    root = workspace_directory(_settings(request).effective_workspace_root, project)
    repo = TaskRepository(root, task_id)
    if not root.is_dir() or not await repo.is_repository():
        raise ConflictError(f"Task {task_id} has no git history in its workspace yet.")
    return repo


def _title_of(instruction: str) -> str:
    first = instruction.strip().splitlines()[0]
    return first if len(first) <= 200 else first[:197] + "..."
