"""Project roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MAINTAINER = "maintainer"
    DEVELOPER = "developer"
    VIEWER = "viewer"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.VIEWER: 1, Role.DEVELOPER: 2, Role.MAINTAINER: 3}


class Action(StrEnum):
    """Things a member does inside a project."""

    VIEW = "view"
    WRITE_TASKS = "write_tasks"
    RUN_TASKS = "run_tasks"
    UPDATE_PROJECT = "update_project"
    MANAGE_MEMBERS = "manage_members"
    DELETE_PROJECT = "delete_project"


MINIMUM_ROLE: dict[Action, Role] = {
    Action.VIEW: Role.VIEWER,
    Action.WRITE_TASKS: Role.DEVELOPER,
    Action.RUN_TASKS: Role.DEVELOPER,
    Action.UPDATE_PROJECT: Role.MAINTAINER,
    Action.MANAGE_MEMBERS: Role.MAINTAINER,
    Action.DELETE_PROJECT: Role.MAINTAINER,
}


def role_allows(role: Role | str, action: Action) -> bool:
    """Whether a member with ``role`` may perform ``action``."""
    return Role(role).at_least(MINIMUM_ROLE[action])
