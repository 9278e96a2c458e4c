from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


PERMISSIONS: dict[Role, set[str]] = {
    Role.VIEWER: {"project:read", "task:read"},
    Role.EDITOR: {"project:read", "task:read", "task:write"},
    Role.ADMIN: {
        "project:read",
        "project:write",
        "task:read",
        "task:write",
        # etc.
    },
}


def allowed(role: Role, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, set())
