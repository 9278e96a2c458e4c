from __future__ import annotations

from enum import Enum


class TaskStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def status_color(status: TaskStatus) -> str:
    if status is TaskStatus.PENDING:
        return "grey50"
    elif status is TaskStatus.RUNNING:
        return "yellow"
    elif status is TaskStatus.SUCCEEDED:
        return "green"
    # etc. for the other statuses
    return "white"
