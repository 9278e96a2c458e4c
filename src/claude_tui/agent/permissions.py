"""Permission modes: what the model may do in a project without asking."""

from __future__ import annotations

from enum import StrEnum

#: The event the agent records when a tool call waits for a person's decision (ask mode).
APPROVAL_REQUEST = "agent.approval_requested"
#: The event the API records when a person approves or declines a tool call (ask mode).
APPROVAL_DECISION = "agent.approval_decision"


class PermissionMode(StrEnum):
    READ_ONLY = "read-only"
    ASK = "ask"
    AUTO = "auto"


def parse_mode(value: object) -> PermissionMode:
    """The mode named in project settings; unknown or missing values mean ``ask``."""
    try:
        return PermissionMode(str(value))
    except ValueError:
        return PermissionMode.ASK
