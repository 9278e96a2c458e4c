"""Approvals of an ask-mode task: which tool calls wait for a person, and their decisions.

The one place that decides whether a decision may be recorded, whoever asks (API, CLI).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.agent.permissions import APPROVAL_DECISION, APPROVAL_REQUEST
from claude_tui.domain.roles import Action
from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import events, tasks
from claude_tui.services.authorization import TASKS_READ, TASKS_WRITE
from claude_tui.services.errors import ConflictError, NotFoundError
from claude_tui.services.events import Broadcaster
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Task, TaskEvent


class PendingApproval(BaseModel):
    call_id: str
    tool: str
    arguments: dict[str, Any]
    event_id: int


class Decision(BaseModel):
    call_id: str
    approved: bool
    reason: str
    by: str


class TaskStoppedError(ConflictError):
    """The task reached a final state: nothing of it waits for a decision any more."""

    def __init__(self, task_id: int, status: str) -> None:
        super().__init__(
            f"Task {task_id} is {status}; its calls can no longer be approved or declined."
        )
        self.task_id = task_id
        self.task_status = status


class AlreadyDecidedError(ConflictError):
    """Somebody decided on the call before: the first decision stands."""

    def __init__(self, call_id: str) -> None:
        super().__init__(f"The call {call_id!r} was already decided.")
        self.call_id = call_id


async def pending(
    session: AsyncSession, principal: Principal, task_id: int
) -> list[PendingApproval]:
    """Tool calls of the task waiting for a decision, oldest first."""
    task, _ = await tasks.authorize_task(session, principal, task_id, Action.VIEW, scope=TASKS_READ)
    if TaskStatus(task.status).is_final:
        # A stopped task waits for nothing, whatever it asked before it stopped.
        return []
    requested, decided = await _approval_events(session, task_id)
    return [
        PendingApproval(
            call_id=call_id,
            tool=str(event.payload.get("name")),
            arguments=dict(event.payload.get("arguments") or {}),
            event_id=event.id,
        )
        for call_id, event in requested.items()
        if call_id not in decided
    ]


async def decide(
    session: AsyncSession,
    broadcaster: Broadcaster | None,
    principal: Principal,
    task_id: int,
    call_id: str,
    approved: bool,
    reason: str = "",
) -> Decision:
    """Record the principal's decision on a waiting call; refused once decided or stopped."""
    await tasks.authorize_task(session, principal, task_id, Action.RUN_TASKS, scope=TASKS_WRITE)
    # The task's row lock orders this decision after a concurrent cancel or decision, so the
    # checks below see what they committed (PostgreSQL; SQLite serialises its writers).
    task = await session.get(Task, task_id, with_for_update=True, populate_existing=True)
    if task is None:
        raise tasks.task_not_found(task_id)
    requested, decided = await _approval_events(session, task_id)
    if call_id not in requested:
        raise NotFoundError(f"Task {task_id} is not waiting for a decision on {call_id!r}.")
    if call_id in decided:
        raise AlreadyDecidedError(call_id)
    if TaskStatus(task.status).is_final:
        raise TaskStoppedError(task_id, task.status)
    decision = Decision(call_id=call_id, approved=approved, reason=reason, by=principal.username)
    events.record(
        session, task.project_id, APPROVAL_DECISION, decision.model_dump(), task_id=task_id
    )
    await events.commit(session, broadcaster)
    return decision


async def decision_of(session: AsyncSession, task_id: int, call_id: str) -> Decision | None:
    """The decision recorded on a call, for the run that waits on it; None while undecided."""
    rows = await session.scalars(
        select(TaskEvent.payload)
        .where(TaskEvent.task_id == task_id, TaskEvent.kind == APPROVAL_DECISION)
        .order_by(TaskEvent.id)
    )
    for payload in rows:
        if str(payload.get("call_id")) == call_id:
            return Decision(
                call_id=call_id,
                approved=bool(payload.get("approved")),
                reason=str(payload.get("reason", "")),
                by=str(payload.get("by", "")),
            )
    return None


async def _approval_events(
    session: AsyncSession, task_id: int
) -> tuple[dict[str, TaskEvent], set[str]]:
    rows = await session.scalars(
        select(TaskEvent)
        .where(
            TaskEvent.task_id == task_id,
            TaskEvent.kind.in_([APPROVAL_REQUEST, APPROVAL_DECISION]),
        )
        .order_by(TaskEvent.id)
    )
    requested: dict[str, TaskEvent] = {}
    decided: set[str] = set()
    for row in rows:
        if row.kind == APPROVAL_REQUEST:
            requested[str(row.payload.get("id"))] = row
        else:
            decided.add(str(row.payload.get("call_id")))
    return requested, decided
