"""Workflows: named sets of dependent tasks run as a DAG, and the scheduler that drives them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.dag import check_acyclic, plan_next
from claude_tui.domain.errors import CycleError
from claude_tui.domain.roles import Action
from claude_tui.domain.sparc import SPARC_TEMPLATE, TaskSpec, expand_sparc
from claude_tui.domain.task_status import TaskStatus
from claude_tui.observability import metrics
from claude_tui.services import events
from claude_tui.services.authorization import (
    TASKS_READ,
    TASKS_WRITE,
    authorize_project,
    require_scope,
    visible_filter,
)
from claude_tui.services.errors import ConflictError, InvalidInputError, NotFoundError
from claude_tui.services.events import Broadcaster
from claude_tui.services.pagination import Page, PageRequest, paginate
from claude_tui.services.principal import Principal
from claude_tui.services.tasks import TaskView, apply_status, dependencies_of
from claude_tui.storage.models import Task, TaskDependency, Workflow

WORKFLOW_SORTS = {"id": Workflow.id, "name": Workflow.name, "created_at": Workflow.created_at}
MAX_WORKFLOW_TASKS = 200
MAX_CONCURRENCY = 32

WorkflowState = Literal["pending", "running", "succeeded", "failed", "cancelled"]


class WorkflowTaskSpec(BaseModel):
    """A task of a new workflow; ``key`` names it for the ``depends_on`` of other tasks."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=100_000)
    depends_on: list[str] = Field(default_factory=list, max_length=MAX_WORKFLOW_TASKS)


class WorkflowCreate(BaseModel):
    """Either ``tasks`` with their dependencies, or ``template`` (``sparc``) with a ``goal``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=5000)
    concurrency: int = Field(default=2, ge=1, le=MAX_CONCURRENCY)
    template: Literal["sparc"] | None = None
    goal: str | None = Field(default=None, min_length=1, max_length=20_000)
    tasks: list[WorkflowTaskSpec] | None = Field(
        default=None, min_length=1, max_length=MAX_WORKFLOW_TASKS
    )

    @model_validator(mode="after")
    def _one_source(self) -> WorkflowCreate:
        if self.template is not None:
            if self.goal is None or not self.goal.strip():
                raise ValueError("the sparc template needs a goal")
            if self.tasks is not None:
                raise ValueError("give either a template with a goal or tasks, not both")
        elif self.tasks is None:
            raise ValueError("give tasks, or a template with a goal")
        elif self.goal is not None:
            raise ValueError("a goal goes with a template")
        return self


class WorkflowUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=5000)
    concurrency: int | None = Field(default=None, ge=1, le=MAX_CONCURRENCY)


class WorkflowView(BaseModel):
    id: int
    project_id: int
    name: str
    description: str
    template: str | None
    concurrency: int
    state: WorkflowState
    task_ids: list[int]
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class WorkflowDetail(WorkflowView):
    tasks: list[TaskView]


class ScheduleResult(BaseModel):
    """What one scheduling step did."""

    workflow_id: int
    started: list[int] = Field(description="Tasks moved to queued, in order.")
    cancelled: list[int] = Field(description="Tasks cancelled because a prerequisite failed.")
    finished: bool = Field(description="No task of the workflow is left to run.")


def workflow_state(statuses: list[TaskStatus]) -> WorkflowState:
    """One word for where a workflow stands, from its tasks' statuses."""
    if any(s is TaskStatus.FAILED for s in statuses):
        return "failed"
    if all(s is TaskStatus.SUCCEEDED for s in statuses):
        return "succeeded"
    if all(s.is_final for s in statuses):
        return "cancelled"
    if all(s is TaskStatus.PENDING for s in statuses):
        return "pending"
    return "running"


def _workflow_not_found(workflow_id: int) -> NotFoundError:
    return NotFoundError(f"Workflow {workflow_id} was not found.")


async def _authorize_workflow(
    session: AsyncSession,
    principal: Principal,
    workflow_id: int,
    action: Action,
    *,
    scope: str,
    lock: bool = False,
) -> Workflow:
    require_scope(principal, scope)
    workflow = await session.get(Workflow, workflow_id)
    if workflow is None:
        raise _workflow_not_found(workflow_id)
    try:
        await authorize_project(
            session, principal, workflow.project_id, action, scope=scope, lock=lock
        )
    except NotFoundError as exc:
        raise _workflow_not_found(workflow_id) from exc
    return workflow


async def _tasks_of(session: AsyncSession, workflow_ids: list[int]) -> dict[int, list[Task]]:
    found: dict[int, list[Task]] = {wid: [] for wid in workflow_ids}
    if workflow_ids:
        rows = await session.scalars(
            select(Task).where(Task.workflow_id.in_(workflow_ids)).order_by(Task.id)
        )
        for task in rows:
            assert task.workflow_id is not None
            found[task.workflow_id].append(task)
    return found


def _view(workflow: Workflow, tasks: list[Task]) -> WorkflowView:
    return WorkflowView(
        id=workflow.id,
        project_id=workflow.project_id,
        name=workflow.name,
        description=workflow.description,
        template=workflow.template,
        concurrency=workflow.concurrency,
        state=workflow_state([TaskStatus(t.status) for t in tasks]),
        task_ids=[t.id for t in tasks],
        created_by=workflow.created_by,
        created_at=workflow.created_at,
        updated_at=workflow.updated_at,
    )


async def _detail(session: AsyncSession, workflow: Workflow) -> WorkflowDetail:
    tasks = (await _tasks_of(session, [workflow.id]))[workflow.id]
    deps = await dependencies_of(session, [t.id for t in tasks])
    return WorkflowDetail(
        **_view(workflow, tasks).model_dump(),
        tasks=[TaskView.of(t, deps[t.id]) for t in tasks],
    )


def _specs(data: WorkflowCreate) -> list[TaskSpec]:
    if data.template == SPARC_TEMPLATE:
        assert data.goal is not None
        return expand_sparc(data.goal)
    assert data.tasks is not None
    specs = [
        TaskSpec(t.key, t.title, t.description, tuple(dict.fromkeys(t.depends_on)))
        for t in data.tasks
    ]
    keys = [s.key for s in specs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise _tasks_error(f"Task keys must be unique; repeated: {', '.join(duplicates)}.")
    for spec in specs:
        unknown = [dep for dep in spec.depends_on if dep not in keys]
        if unknown:
            raise _tasks_error(
                f"Task '{spec.key}' depends on '{unknown[0]}', which is not defined."
            )
    try:
        check_acyclic({s.key: s.depends_on for s in specs})
    except CycleError as exc:
        raise InvalidInputError(
            str(exc).capitalize() + ".",
            cycle=exc.cycle,
            errors=[{"location": ["body", "tasks"], "message": str(exc)}],
        ) from exc
    return specs


def _tasks_error(message: str) -> InvalidInputError:
    return InvalidInputError(message, errors=[{"location": ["body", "tasks"], "message": message}])


async def create_workflow(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    principal: Principal,
    project_id: int,
    data: WorkflowCreate,
) -> WorkflowDetail:
    """Create the workflow and all its tasks in one transaction."""
    await authorize_project(
        session, principal, project_id, Action.WRITE_TASKS, scope=TASKS_WRITE, lock=True
    )
    specs = _specs(data)
    description = data.description or (data.goal or "")
    workflow = Workflow(
        project_id=project_id,
        name=data.name,
        description=description,
        template=data.template,
        concurrency=data.concurrency,
        created_by=principal.user_id,
    )
    session.add(workflow)
    await session.flush()
    ids: dict[str, Task] = {}
    for spec in specs:
        task = Task(
            project_id=project_id,
            workflow_id=workflow.id,
            title=spec.title,
            description=spec.description,
            created_by=principal.user_id,
        )
        session.add(task)
        ids[spec.key] = task
    await session.flush()
    for spec in specs:
        session.add_all(
            TaskDependency(task_id=ids[spec.key].id, depends_on_id=ids[dep].id)
            for dep in spec.depends_on
        )
    events.record(
        session,
        project_id,
        "workflow.created",
        {"workflow_id": workflow.id, "name": workflow.name, "tasks": [t.id for t in ids.values()]},
    )
    await events.commit(session, broadcaster)
    for _ in ids:
        metrics.record_task_created()
    return await _detail(session, workflow)


async def get_workflow(
    session: AsyncSession, principal: Principal, workflow_id: int
) -> WorkflowDetail:
    workflow = await _authorize_workflow(
        session, principal, workflow_id, Action.VIEW, scope=TASKS_READ
    )
    return await _detail(session, workflow)


async def list_workflows(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    project_id: int | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[WorkflowView]:
    require_scope(principal, TASKS_READ)
    stmt = select(Workflow).where(visible_filter(principal, Workflow.project_id))
    if project_id is not None:
        stmt = stmt.where(Workflow.project_id == project_id)
    if created_after is not None:
        stmt = stmt.where(Workflow.created_at >= created_after)
    if created_before is not None:
        stmt = stmt.where(Workflow.created_at < created_before)
    result = await paginate(
        session, stmt, request=page, sort_columns=WORKFLOW_SORTS, id_column=Workflow.id
    )
    tasks = await _tasks_of(session, [w.id for w in result.rows])
    return Page[WorkflowView](
        items=[_view(w, tasks[w.id]) for w in result.rows],
        total=result.total,
        next_cursor=result.next_cursor,
    )


async def update_workflow(
    session: AsyncSession, principal: Principal, workflow_id: int, data: WorkflowUpdate
) -> WorkflowDetail:
    workflow = await _authorize_workflow(
        session, principal, workflow_id, Action.WRITE_TASKS, scope=TASKS_WRITE
    )
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(workflow, name, value)
    await session.commit()
    await session.refresh(workflow)
    return await _detail(session, workflow)


async def delete_workflow(
    session: AsyncSession, broadcaster: Broadcaster | None, principal: Principal, workflow_id: int
) -> None:
    """Delete a workflow and its tasks, unless one of them is running."""
    workflow = await _authorize_workflow(
        session, principal, workflow_id, Action.WRITE_TASKS, scope=TASKS_WRITE, lock=True
    )
    tasks = (await _tasks_of(session, [workflow.id]))[workflow.id]
    active = [t.id for t in tasks if TaskStatus(t.status).is_active]
    if active:
        raise ConflictError(
            f"Tasks {', '.join(map(str, active))} of this workflow are active; cancel them first."
        )
    task_ids = [t.id for t in tasks]
    outside = sorted(
        set(
            await session.scalars(
                select(TaskDependency.task_id).where(
                    TaskDependency.depends_on_id.in_(task_ids),
                    TaskDependency.task_id.not_in(task_ids),
                )
            )
        )
    )
    if outside:
        raise ConflictError(
            f"Tasks {', '.join(map(str, outside))} outside the workflow depend on its tasks."
        )
    events.record(session, workflow.project_id, "workflow.deleted", {"workflow_id": workflow.id})
    await session.delete(workflow)
    await events.commit(session, broadcaster)


async def schedule(
    session: AsyncSession, broadcaster: Broadcaster | None, workflow_id: int
) -> ScheduleResult:
    """One step of running a workflow: queue the tasks that may start, cancel the doomed.

    Tasks start when all their prerequisites succeeded, while fewer than the workflow's
    concurrency are queued, running or validating; dependents of a failed or cancelled task
    are cancelled. The worker calls this again whenever a task of the workflow finishes.
    """
    workflow = await session.get(Workflow, workflow_id, with_for_update=True)
    if workflow is None:
        raise _workflow_not_found(workflow_id)
    tasks = (await _tasks_of(session, [workflow.id]))[workflow.id]
    by_id = {t.id: t for t in tasks}
    deps = await dependencies_of(session, list(by_id))
    graph = {task_id: tuple(prereqs) for task_id, prereqs in deps.items()}
    outside_ids = {d for prereqs in graph.values() for d in prereqs} - set(by_id)
    statuses = {t.id: TaskStatus(t.status) for t in tasks}
    if outside_ids:
        rows = await session.execute(select(Task.id, Task.status).where(Task.id.in_(outside_ids)))
        statuses.update({task_id: TaskStatus(status) for task_id, status in rows.all()})
    plan = plan_next(graph, statuses, workflow.concurrency)
    for task_id in plan.cancel:
        failed = [d for d in graph[task_id] if statuses.get(d) in _STOPPED or d in plan.cancel]
        apply_status(
            session,
            by_id[task_id],
            TaskStatus.CANCELLED,
            reason=f"prerequisite task {failed[0]} did not succeed" if failed else "cancelled",
            workflow_id=workflow.id,
        )
    for task_id in plan.start:
        apply_status(session, by_id[task_id], TaskStatus.QUEUED, workflow_id=workflow.id)
    await events.commit(session, broadcaster)
    return ScheduleResult(
        workflow_id=workflow.id,
        started=list(plan.start),
        cancelled=list(plan.cancel),
        finished=plan.finished,
    )


_STOPPED = (TaskStatus.FAILED, TaskStatus.CANCELLED)


async def start_workflow(
    session: AsyncSession, broadcaster: Broadcaster | None, principal: Principal, workflow_id: int
) -> ScheduleResult:
    """Run a scheduling step on a member's request."""
    await _authorize_workflow(session, principal, workflow_id, Action.RUN_TASKS, scope=TASKS_WRITE)
    return await schedule(session, broadcaster, workflow_id)
