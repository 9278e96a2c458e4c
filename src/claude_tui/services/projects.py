"""Projects: create, list, read, change and delete, with the workspace kept inside its root."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action, Role
from claude_tui.services import audit_trail
from claude_tui.services.authorization import (
    PROJECTS_READ,
    PROJECTS_WRITE,
    authorize_project,
    require_scope,
    visible_filter,
)
from claude_tui.services.errors import ConflictError, InvalidInputError
from claude_tui.services.pagination import Page, PageRequest, paginate
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Project, ProjectMember

PermissionMode = Literal["read-only", "ask", "auto"]

# Remotes git can fetch from without running anything: URLs of the network transports and the
# scp-like form. Anything else (ext::, file paths, options starting with '-') is refused.
_REMOTE_URL = re.compile(r"^(https?|ssh|git)://[A-Za-z0-9._~%!$&'()*+,;=:@/-]+$")
_REMOTE_SCP = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$")

PROJECT_SORTS = {
    "id": Project.id,
    "name": Project.name,
    "created_at": Project.created_at,
    "updated_at": Project.updated_at,
}


class ProjectSettings(BaseModel):
    """How tasks of the project run."""

    model_config = ConfigDict(extra="forbid")

    test_command: str | None = Field(
        default=None, max_length=500, description="The command that runs the project's tests."
    )
    ai_model: str | None = Field(
        default=None, max_length=100, description="The model tasks use unless they name one."
    )
    permission_mode: PermissionMode = Field(
        default="ask",
        description="read-only: the agent may only read; ask: changes wait for approval; "
        "auto: the agent applies changes itself.",
    )


class ProjectSettingsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_command: str | None = Field(default=None, max_length=500)
    ai_model: str | None = Field(default=None, max_length=100)
    permission_mode: PermissionMode | None = None


def _check_remote(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not (_REMOTE_URL.match(value) or _REMOTE_SCP.match(value)):
        raise ValueError("a git remote is an https://, ssh:// or git:// URL, or user@host:path")
    return value


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
    description: str = Field(default="", max_length=5000)
    workspace_path: str = Field(
        min_length=1,
        max_length=1024,
        description="A directory inside the server's workspace root, relative to it "
        "(or absolute, but still inside it).",
    )
    git_remote: str | None = Field(default=None, max_length=1024)
    settings: ProjectSettings = Field(default_factory=ProjectSettings)

    _remote = field_validator("git_remote")(_check_remote)


class ProjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$"
    )
    description: str | None = Field(default=None, max_length=5000)
    git_remote: str | None = Field(default=None, max_length=1024)
    settings: ProjectSettingsPatch | None = None

    _remote = field_validator("git_remote")(_check_remote)


class ProjectView(BaseModel):
    id: int
    name: str
    description: str
    workspace_path: str
    git_remote: str | None
    settings: ProjectSettings
    role: Role | None = Field(description="The caller's role; null for an admin non-member.")
    created_by: int | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, project: Project, role: Role | str | None) -> ProjectView:
        return cls(
            id=project.id,
            name=project.name,
            description=project.description,
            workspace_path=project.workspace_path,
            git_remote=project.git_remote,
            settings=ProjectSettings.model_validate(project.settings),
            role=Role(role) if role is not None else None,
            created_by=project.created_by,
            created_at=project.created_at,
            updated_at=project.updated_at,
        )


def _path_error(message: str) -> InvalidInputError:
    return InvalidInputError(
        message, errors=[{"location": ["body", "workspace_path"], "message": message}]
    )


def resolve_workspace(root: Path, requested: str) -> tuple[Path, str]:
    """The absolute workspace directory and its path relative to ``root``.

    Rejects ``..`` segments, absolute paths outside the root, and paths that leave the root
    through a symbolic link; the root itself is not a project's workspace.
    """
    if "\x00" in requested:
        raise _path_error("The workspace path contains a NUL character.")
    candidate = Path(requested)
    if ".." in candidate.parts:
        raise _path_error("The workspace path must not contain '..' segments.")
    real_root = root.resolve()
    if candidate.is_absolute():
        lexical = Path(os.path.normpath(candidate))
        if not (lexical.is_relative_to(real_root) or lexical.is_relative_to(root.absolute())):
            raise _path_error(f"The workspace path must be inside the workspace root {root}.")
        if lexical.is_relative_to(real_root):
            candidate = lexical.relative_to(real_root)
        else:
            candidate = lexical.relative_to(root.absolute())
    resolved = (real_root / candidate).resolve()
    if not resolved.is_relative_to(real_root):
        raise _path_error("The workspace path leaves the workspace root through a symbolic link.")
    if resolved == real_root:
        raise _path_error("The workspace path must name a directory below the workspace root.")
    if resolved.exists() and not resolved.is_dir():
        raise _path_error("The workspace path names a file, not a directory.")
    return resolved, resolved.relative_to(real_root).as_posix()


def workspace_directory(root: Path, project: Project) -> Path:
    """The absolute workspace of a stored project, checked again against the root."""
    return resolve_workspace(root, project.workspace_path)[0]


async def create_project(
    session: AsyncSession,
    principal: Principal,
    workspace_root: Path,
    data: ProjectCreate,
    *,
    commit: bool = True,
) -> ProjectView:
    """Create a project; its creator becomes its maintainer and its directory is made."""
    require_scope(principal, PROJECTS_WRITE)
    directory, relative = resolve_workspace(workspace_root, data.workspace_path)
    taken = await session.scalar(select(Project.id).where(Project.workspace_path == relative))
    if taken is not None:
        raise ConflictError(f"Another project already uses the workspace '{relative}'.")
    await _check_name_free(session, data.name)
    project = Project(
        name=data.name,
        description=data.description,
        workspace_path=relative,
        git_remote=data.git_remote,
        settings=data.settings.model_dump(),
        created_by=principal.user_id,
    )
    session.add(project)
    try:
        await session.flush()
    except IntegrityError as exc:
        # Another request took the name or the workspace between the check and the insert.
        await session.rollback()
        raise ConflictError(
            f"A project named '{data.name}' or with this workspace exists."
        ) from exc
    session.add(
        ProjectMember(project_id=project.id, user_id=principal.user_id, role=Role.MAINTAINER)
    )
    audit_trail.record(
        session,
        "project.created",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project.id,
        detail={"name": project.name},
    )
    directory.mkdir(parents=True, exist_ok=True)
    if commit:
        await _commit_unique(session, data.name)
    return ProjectView.of(project, Role.MAINTAINER)


async def _check_name_free(session: AsyncSession, name: str, exclude: int | None = None) -> None:
    stmt = select(Project.id).where(Project.name == name)
    if exclude is not None:
        stmt = stmt.where(Project.id != exclude)
    if await session.scalar(stmt) is not None:
        raise ConflictError(f"A project named '{name}' already exists.")


async def _commit_unique(session: AsyncSession, name: str) -> None:
    try:
        await session.commit()
    except IntegrityError as exc:
        # Two requests raced for the same name or workspace.
        await session.rollback()
        raise ConflictError(f"A project named '{name}' or with this workspace exists.") from exc


async def get_project(session: AsyncSession, principal: Principal, project_id: int) -> ProjectView:
    access = await authorize_project(
        session, principal, project_id, Action.VIEW, scope=PROJECTS_READ
    )
    return ProjectView.of(access.project, access.role)


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    name_contains: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[ProjectView]:
    """Projects the principal may see, filtered and sorted, one page at a time."""
    require_scope(principal, PROJECTS_READ)
    stmt = select(Project).where(visible_filter(principal, Project.id))
    if name_contains:
        stmt = stmt.where(Project.name.icontains(name_contains, autoescape=True))
    if created_after is not None:
        stmt = stmt.where(Project.created_at >= created_after)
    if created_before is not None:
        stmt = stmt.where(Project.created_at < created_before)
    result = await paginate(
        session, stmt, request=page, sort_columns=PROJECT_SORTS, id_column=Project.id
    )
    member_rows = await session.execute(
        select(ProjectMember.project_id, ProjectMember.role).where(
            ProjectMember.user_id == principal.user_id,
            ProjectMember.project_id.in_([p.id for p in result.rows]),
        )
    )
    roles = {int(row[0]): str(row[1]) for row in member_rows.all()}
    return Page[ProjectView](
        items=[ProjectView.of(p, roles.get(p.id)) for p in result.rows],
        total=result.total,
        next_cursor=result.next_cursor,
    )


async def update_project(
    session: AsyncSession, principal: Principal, project_id: int, data: ProjectUpdate
) -> ProjectView:
    access = await authorize_project(
        session, principal, project_id, Action.UPDATE_PROJECT, scope=PROJECTS_WRITE
    )
    project = access.project
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is not None:
        await _check_name_free(session, changes["name"], exclude=project.id)
        project.name = changes["name"]
    if "description" in changes and changes["description"] is not None:
        project.description = changes["description"]
    if "git_remote" in changes:
        project.git_remote = changes["git_remote"]
    if data.settings is not None:
        merged: dict[str, Any] = {
            **project.settings,
            **data.settings.model_dump(exclude_unset=True),
        }
        project.settings = ProjectSettings.model_validate(merged).model_dump()
    await _commit_unique(session, project.name)
    await session.refresh(project)
    return ProjectView.of(project, access.role)


async def delete_project(session: AsyncSession, principal: Principal, project_id: int) -> None:
    """Delete the project and its tasks and events; the workspace directory is kept."""
    access = await authorize_project(
        session, principal, project_id, Action.DELETE_PROJECT, scope=PROJECTS_WRITE
    )
    project = access.project
    audit_trail.record(
        session,
        "project.deleted",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project.id,
        detail={"name": project.name, "workspace_path": project.workspace_path},
    )
    await session.delete(project)
    await session.commit()
