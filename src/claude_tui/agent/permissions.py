"""Permission modes: what the model may do in a project without asking."""

from __future__ import annotations

from enum import StrEnum


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
