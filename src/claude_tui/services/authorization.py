"""Per-project access control, enforced here so that every entry point obeys the same rules.

A user who is not a member of a project is told it does not exist (404), never that it is
forbidden (403): a 403 would confirm the project is there. Admins see every project. Inside a
project, the member's role decides what they may do (``domain.roles``), and an API key must
also carry the scope of the operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from claude_tui.domain.roles import MINIMUM_ROLE, Action, Role, role_allows
from claude_tui.services.errors import NotFoundError, PermissionDeniedError
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Project, ProjectMember

PROJECTS_READ = "projects:read"
PROJECTS_WRITE = "projects:write"
TASKS_READ = "tasks:read"
TASKS_WRITE = "tasks:write"
AUDITS_RUN = "audits:run"

PLATFORM_SCOPES = (PROJECTS_READ, PROJECTS_WRITE, TASKS_READ, TASKS_WRITE, AUDITS_RUN)

_ACTION_WORDS = {
    Action.VIEW: "view this project",
    Action.WRITE_TASKS: "create or change tasks",
    Action.RUN_TASKS: "run tasks",
    Action.UPDATE_PROJECT: "change the project",
    Action.MANAGE_MEMBERS: "manage members",
    Action.DELETE_PROJECT: "delete the project",
}


@dataclass(frozen=True)
class ProjectAccess:
    """A project the principal may reach, and their role in it (None for an admin non-member)."""

    project: Project
    role: Role | None


def require_scope(principal: Principal, scope: str | tuple[str, ...]) -> None:
    """Raise 403 when an API key lacks ``scope`` (any one of a tuple); session tokens carry
    every scope."""
    wanted = (scope,) if isinstance(scope, str) else scope
    if not any(principal.allows(one) for one in wanted):
        names = " or ".join(f"'{one}'" for one in wanted)
        raise PermissionDeniedError(f"This API key lacks the {names} scope.")


def project_not_found(project_id: int) -> NotFoundError:
    return NotFoundError(f"Project {project_id} was not found.")


async def authorize_project(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    action: Action,
    *,
    scope: str | tuple[str, ...],
    lock: bool = False,
) -> ProjectAccess:
    """The project when the principal may perform ``action`` in it.

    Missing projects and projects the principal is not a member of are the same 404.
    ``lock`` takes a row lock on PostgreSQL so concurrent changes of the project's task graph
    are serialised.
    """
    require_scope(principal, scope)
    # The project and the caller's role in one round trip: every project-scoped request
    # starts here.
    stmt = (
        select(Project, ProjectMember.role)
        .outerjoin(
            ProjectMember,
            and_(
                ProjectMember.project_id == Project.id,
                ProjectMember.user_id == principal.user_id,
            ),
        )
        .where(Project.id == project_id)
    )
    if lock:
        stmt = stmt.with_for_update(of=Project)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise project_not_found(project_id)
    project = row[0]
    role = Role(row[1]) if row[1] is not None else None
    if principal.is_admin:
        return ProjectAccess(project, role)
    if role is None:
        raise project_not_found(project_id)
    if not role_allows(role, action):
        needed = MINIMUM_ROLE[action]
        raise PermissionDeniedError(
            f"Your role in this project is '{role}'; to {_ACTION_WORDS[action]} you need "
            f"'{needed}' or higher."
        )
    return ProjectAccess(project, role)


def visible_projects(principal: Principal) -> Select[int]:
    """The ids of every project the principal may see."""
    if principal.is_admin:
        return select(Project.id)
    return select(ProjectMember.project_id).where(ProjectMember.user_id == principal.user_id)


def visible_filter(
    principal: Principal, project_column: InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """A WHERE clause limiting rows of a project-owned table to the visible projects."""
    if principal.is_admin:
        return true()
    return project_column.in_(visible_projects(principal))
