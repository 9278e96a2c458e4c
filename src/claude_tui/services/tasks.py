"""Tasks: the units of AI work, their dependencies, their status and what they cost."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.dag import check_acyclic, with_dependencies
from claude_tui.domain.errors import CycleError, IllegalTransitionError
from claude_tui.domain.roles import Action
from claude_tui.domain.task_status import TaskStatus, check_transition
from claude_tui.observability import correlation, metrics
from claude_tui.services import events
from claude_tui.services.authorization import (
    TASKS_READ,
    TASKS_WRITE,
    ProjectAccess,
    authorize_project,
    require_scope,
    visible_filter,
)
from claude_tui.services.errors import ConflictError, InvalidInputError, NotFoundError
from claude_tui.services.events import Broadcaster
from claude_tui.services.identifiers import RowId
from claude_tui.services.pagination import Page, PageRequest, paginate
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Task, TaskDependency
from claude_tui.storage.types import utcnow

TASK_SORTS = {
    "id": Task.id,
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
    "title": Task.title,
    "status": Task.status,
}

# Statuses a person may ask for; the others are reached by the worker as it runs a task.
UserStatus = Literal["queued", "cancelled", "pending"]

MAX_DEPENDENCIES = 100


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=100_000, description="The instruction.")
    depends_on: list[RowId] = Field(default_factory=list, max_length=MAX_DEPENDENCIES)
    model: str | None = Field(default=None, max_length=100)


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=100_000)
    depends_on: list[RowId] | None = Field(default=None, max_length=MAX_DEPENDENCIES)
    model: str | None = Field(default=None, max_length=100)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: UserStatus = Field(
        description="queued to run the task, cancelled to stop it, pending to retry a failed "
        "or cancelled task. Running, validating, succeeded and failed are set by the worker."
    )


class TaskView(BaseModel):
    id: int
    project_id: int
    workflow_id: int | None
    title: str
    description: str
    status: TaskStatus
    depends_on: list[int]
    claimed_progress: float = Field(description="What the model said it completed, 0-100.")
    verified_progress: float = Field(description="What validation confirmed, 0-100.")
    model: str | None
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal
    error: str | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, task: Task, depends_on: list[int]) -> TaskView:
        return cls(
            id=task.id,
            project_id=task.project_id,
            workflow_id=task.workflow_id,
            title=task.title,
            description=task.description,
            status=TaskStatus(task.status),
            depends_on=sorted(depends_on),
            claimed_progress=task.claimed_progress,
            verified_progress=task.verified_progress,
            model=task.model,
            tokens_in=task.tokens_in,
            tokens_out=task.tokens_out,
            cost_usd=task.cost_usd,
            error=task.error,
            created_by=task.created_by,
            created_at=task.created_at,
            updated_at=task.updated_at,
            started_at=task.started_at,
            finished_at=task.finished_at,
        )


def task_not_found(task_id: int) -> NotFoundError:
    return NotFoundError(f"Task {task_id} was not found.")


async def authorize_task(
    session: AsyncSession,
    principal: Principal,
    task_id: int,
    action: Action,
    *,
    scope: str,
    lock: bool = False,
) -> tuple[Task, ProjectAccess]:
    """The task and its project when the principal may act on it; 404 otherwise.

    A task of a project the caller cannot see is reported as a missing task, so that the
    error does not reveal which project it belongs to.
    """
    require_scope(principal, scope)
    task = await session.get(Task, task_id)
    if task is None:
        raise task_not_found(task_id)
    try:
        access = await authorize_project(
            session, principal, task.project_id, action, scope=scope, lock=lock
        )
    except NotFoundError as exc:
        raise task_not_found(task_id) from exc
    return task, access


async def dependencies_of(session: AsyncSession, task_ids: list[int]) -> dict[int, list[int]]:
    """Direct prerequisites of each task."""
    found: dict[int, list[int]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return found
    rows = await session.execute(
        select(TaskDependency.task_id, TaskDependency.depends_on_id).where(
            TaskDependency.task_id.in_(task_ids)
        )
    )
    for task_id, depends_on in rows.all():
        found[task_id].append(depends_on)
    return found


async def project_graph(session: AsyncSession, project_id: int) -> dict[int, tuple[int, ...]]:
    """Every task of a project with its prerequisites."""
    task_ids = list(await session.scalars(select(Task.id).where(Task.project_id == project_id)))
    return {key: tuple(value) for key, value in (await dependencies_of(session, task_ids)).items()}


async def _view(session: AsyncSession, task: Task) -> TaskView:
    return TaskView.of(task, (await dependencies_of(session, [task.id]))[task.id])


async def _set_dependencies(
    session: AsyncSession, task: Task, depends_on: list[int], graph: dict[int, tuple[int, ...]]
) -> None:
    wanted = list(dict.fromkeys(depends_on))
    if task.id in wanted:
        raise _dependency_error(f"Task {task.id} cannot depend on itself.")
    unknown = [dep for dep in wanted if dep not in graph]
    if unknown:
        # Same words for a task that does not exist and one of another project.
        raise _dependency_error(
            f"Task {unknown[0]} is not a task of this project; dependencies must be tasks of "
            "the same project."
        )
    try:
        check_acyclic(with_dependencies(graph, task.id, wanted))
    except CycleError as exc:
        raise InvalidInputError(
            str(exc).capitalize() + ".",
            cycle=exc.cycle,
            errors=[{"location": ["body", "depends_on"], "message": str(exc)}],
        ) from exc
    await session.execute(delete(TaskDependency).where(TaskDependency.task_id == task.id))
    session.add_all(TaskDependency(task_id=task.id, depends_on_id=dep) for dep in wanted)
    graph[task.id] = tuple(wanted)


def _dependency_error(message: str) -> InvalidInputError:
    return InvalidInputError(
        message, errors=[{"location": ["body", "depends_on"], "message": message}]
    )


async def create_task(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    principal: Principal,
    project_id: int,
    data: TaskCreate,
) -> TaskView:
    await authorize_project(
        session, principal, project_id, Action.WRITE_TASKS, scope=TASKS_WRITE, lock=True
    )
    task = Task(
        project_id=project_id,
        title=data.title,
        description=data.description,
        model=data.model,
        created_by=principal.user_id,
    )
    session.add(task)
    await session.flush()
    depends_on = await _add_first_dependencies(session, task, data.depends_on)
    events.record(
        session,
        project_id,
        "task.created",
        {"title": task.title, "status": task.status, "depends_on": sorted(depends_on)},
        task_id=task.id,
    )
    await events.commit(session, broadcaster)
    metrics.record_task_created()
    return TaskView.of(task, depends_on)


async def _add_first_dependencies(
    session: AsyncSession, task: Task, depends_on: list[int]
) -> list[int]:
    """A new task's prerequisites, checked without loading the project's graph.

    Nothing depends on a task that did not exist, so its edges cannot close a cycle: only
    that each prerequisite is a task of the same project needs a look, one query.
    """
    wanted = list(dict.fromkeys(depends_on))
    if not wanted:
        return []
    if task.id in wanted:
        raise _dependency_error(f"Task {task.id} cannot depend on itself.")
    found = set(
        await session.scalars(
            select(Task.id).where(Task.id.in_(wanted), Task.project_id == task.project_id)
        )
    )
    unknown = [dep for dep in wanted if dep not in found]
    if unknown:
        raise _dependency_error(
            f"Task {unknown[0]} is not a task of this project; dependencies must be tasks of "
            "the same project."
        )
    session.add_all(TaskDependency(task_id=task.id, depends_on_id=dep) for dep in wanted)
    return wanted


async def get_task(session: AsyncSession, principal: Principal, task_id: int) -> TaskView:
    task, _ = await authorize_task(session, principal, task_id, Action.VIEW, scope=TASKS_READ)
    return await _view(session, task)


async def list_tasks(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    project_id: int | None = None,
    workflow_id: int | None = None,
    statuses: list[TaskStatus] | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[TaskView]:
    """Tasks of the projects the principal may see, filtered, sorted and paginated."""
    require_scope(principal, TASKS_READ)
    stmt = select(Task).where(visible_filter(principal, Task.project_id))
    if project_id is not None:
        stmt = stmt.where(Task.project_id == project_id)
    if workflow_id is not None:
        stmt = stmt.where(Task.workflow_id == workflow_id)
    if statuses:
        stmt = stmt.where(Task.status.in_([s.value for s in statuses]))
    if created_after is not None:
        stmt = stmt.where(Task.created_at >= created_after)
    if created_before is not None:
        stmt = stmt.where(Task.created_at < created_before)
    result = await paginate(session, stmt, request=page, sort_columns=TASK_SORTS, id_column=Task.id)
    deps = await dependencies_of(session, [t.id for t in result.rows])
    return Page[TaskView](
        items=[TaskView.of(t, deps[t.id]) for t in result.rows],
        total=result.total,
        next_cursor=result.next_cursor,
    )


async def update_task(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    principal: Principal,
    task_id: int,
    data: TaskUpdate,
) -> TaskView:
    task, _ = await authorize_task(
        session, principal, task_id, Action.WRITE_TASKS, scope=TASKS_WRITE, lock=True
    )
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"depends_on"})
    for name in ("title", "description"):
        if changes.get(name) is not None:
            setattr(task, name, changes[name])
    if "model" in changes:
        task.model = changes["model"]
    if data.depends_on is not None:
        if TaskStatus(task.status) is not TaskStatus.PENDING:
            raise ConflictError(
                f"Task {task.id} is {task.status}; dependencies change only while it is pending."
            )
        graph = await project_graph(session, task.project_id)
        await _set_dependencies(session, task, data.depends_on, graph)
    task.updated_at = utcnow()
    events.record(
        session,
        task.project_id,
        "task.updated",
        {"fields": sorted(data.model_dump(exclude_unset=True))},
        task_id=task.id,
    )
    await events.commit(session, broadcaster)
    return await _view(session, task)


async def delete_task(
    session: AsyncSession, broadcaster: Broadcaster | None, principal: Principal, task_id: int
) -> None:
    task, _ = await authorize_task(
        session, principal, task_id, Action.WRITE_TASKS, scope=TASKS_WRITE, lock=True
    )
    if TaskStatus(task.status).is_active:
        raise ConflictError(f"Task {task.id} is {task.status}; cancel it before deleting it.")
    dependents = sorted(
        await session.scalars(
            select(TaskDependency.task_id).where(TaskDependency.depends_on_id == task.id)
        )
    )
    if dependents:
        names = ", ".join(str(d) for d in dependents)
        raise ConflictError(
            f"Tasks {names} depend on task {task.id}; change their dependencies first.",
            dependents=dependents,
        )
    events.record(session, task.project_id, "task.deleted", {"task_id": task.id})
    await session.delete(task)
    await events.commit(session, broadcaster)


def apply_status(
    session: AsyncSession, task: Task, target: TaskStatus | str, **detail: Any
) -> None:
    """Move a task to ``target`` if the state machine allows it, and record the event."""
    previous = TaskStatus(task.status)
    try:
        goal = check_transition(previous, target)
    except IllegalTransitionError as exc:
        raise ConflictError(
            f"Task {task.id}: {exc}.",
            current=exc.current,
            requested=exc.target,
        ) from exc
    now = utcnow()
    task.status = goal.value
    task.updated_at = now
    if goal is TaskStatus.RUNNING and task.started_at is None:
        task.started_at = now
    if goal.is_final:
        task.finished_at = now
    if goal is TaskStatus.PENDING:
        task.finished_at = None
        task.started_at = None
        task.error = None
    if goal in (TaskStatus.FAILED, TaskStatus.CANCELLED) and detail.get("reason"):
        task.error = str(detail["reason"])
    if goal is TaskStatus.QUEUED:
        # Kept on the row, not handed to one enqueue call: any process's dispatcher may be
        # the one that sends the task to the queue.
        task.correlation = correlation.outgoing_labels(task_id=str(task.id)) or None
    events.record(
        session,
        task.project_id,
        "task.status",
        {"from": previous.value, "to": goal.value, **detail},
        task_id=task.id,
    )


async def change_status(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    principal: Principal,
    task_id: int,
    data: StatusChange,
) -> TaskView:
    """Queue, cancel or retry a task on a person's request."""
    task, _ = await authorize_task(
        session, principal, task_id, Action.RUN_TASKS, scope=TASKS_WRITE, lock=True
    )
    detail: dict[str, Any] = {"by": principal.user_id}
    if data.status == "cancelled":
        detail["reason"] = f"cancelled by {principal.username}"
    apply_status(session, task, data.status, **detail)
    await events.commit(session, broadcaster)
    return await _view(session, task)


async def advance_task(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    task_id: int,
    status: TaskStatus,
    *,
    reason: str | None = None,
) -> Task:
    """Move a task on behalf of the worker that runs it (no caller to authorize)."""
    task = await session.get(Task, task_id, with_for_update=True)
    if task is None:
        raise task_not_found(task_id)
    apply_status(session, task, status, **({"reason": reason} if reason else {}))
    await events.commit(session, broadcaster)
    return task


async def record_progress(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    task_id: int,
    *,
    claimed: float | None = None,
    verified: float | None = None,
    tokens_in: int = 0,
    tokens_out: int = 0,
    cost_usd: Decimal = Decimal("0"),
) -> Task:
    """Record what the model claimed, what validation verified, and add usage (for the worker).

    Claimed and verified progress are kept apart so that a claim never counts as done.
    """
    for name, value in (("claimed", claimed), ("verified", verified)):
        if value is not None and not 0 <= value <= 100:
            raise InvalidInputError(f"{name} progress must be between 0 and 100, not {value}.")
    if tokens_in < 0 or tokens_out < 0 or cost_usd < 0:
        raise InvalidInputError("Token counts and cost only grow; they cannot be negative.")
    task = await session.get(Task, task_id, with_for_update=True)
    if task is None:
        raise task_not_found(task_id)
    if claimed is not None:
        task.claimed_progress = claimed
    if verified is not None:
        task.verified_progress = verified
    task.tokens_in += tokens_in
    task.tokens_out += tokens_out
    task.cost_usd += cost_usd
    task.updated_at = utcnow()
    events.record(
        session,
        task.project_id,
        "task.progress",
        {
            "claimed_progress": task.claimed_progress,
            "verified_progress": task.verified_progress,
            "tokens_in": task.tokens_in,
            "tokens_out": task.tokens_out,
            "cost_usd": str(task.cost_usd),
        },
        task_id=task.id,
    )
    await events.commit(session, broadcaster)
    return task
