"""The task state machine."""

from __future__ import annotations

from enum import StrEnum

from claude_tui.domain.errors import IllegalTransitionError


class TaskStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    VALIDATING = "validating"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def is_active(self) -> bool:
        """Holds a slot of the concurrency limit."""
        return self in ACTIVE_STATUSES


FINAL_STATUSES = frozenset({TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED})
ACTIVE_STATUSES = frozenset({TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.VALIDATING})

# Validation may send a task back to running: the agent fixes what validation found.
# A failed or cancelled task may be retried, which puts it back to pending.
TRANSITIONS: dict[TaskStatus, tuple[TaskStatus, ...]] = {
    TaskStatus.PENDING: (TaskStatus.QUEUED, TaskStatus.CANCELLED),
    TaskStatus.QUEUED: (TaskStatus.RUNNING, TaskStatus.FAILED, TaskStatus.CANCELLED),
    TaskStatus.RUNNING: (TaskStatus.VALIDATING, TaskStatus.FAILED, TaskStatus.CANCELLED),
    TaskStatus.VALIDATING: (
        TaskStatus.SUCCEEDED,
        TaskStatus.FAILED,
        TaskStatus.RUNNING,
        TaskStatus.CANCELLED,
    ),
    TaskStatus.SUCCEEDED: (),
    TaskStatus.FAILED: (TaskStatus.PENDING,),
    TaskStatus.CANCELLED: (TaskStatus.PENDING,),
}


def allowed_transitions(current: TaskStatus) -> tuple[TaskStatus, ...]:
    """The statuses a task in ``current`` may move to."""
    return TRANSITIONS[current]


def check_transition(current: TaskStatus | str, target: TaskStatus | str) -> TaskStatus:
    """Return ``target`` as a status when the move is legal; raise IllegalTransitionError."""
    source = TaskStatus(current)
    goal = TaskStatus(target)
    allowed = TRANSITIONS[source]
    if goal not in allowed:
        raise IllegalTransitionError(source.value, goal.value, [s.value for s in allowed])
    return goal
