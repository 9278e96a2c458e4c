"""Projects: create, list, read, change and delete, with the workspace kept inside its root."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import false, func, select, update
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

    @field_validator("permission_mode")
    @classmethod
    def _mode_not_null(cls, value: PermissionMode | None) -> PermissionMode:
        # Left out, the mode stays; sent as null it would leave the project without one.
        if value is None:
            raise ValueError("permission_mode is one of read-only, ask or auto, not null")
        return value


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


# Longer names fail in the filesystem (NAME_MAX); refusing them first keeps that a 422.
MAX_PATH_COMPONENT_BYTES = 255

# The key of the PostgreSQL advisory lock that serialises workspace claims of every server
# process; an arbitrary constant that nothing else in the database uses.
_WORKSPACE_CLAIM_LOCK = 0x63747569_77730001


class _WorkspaceRefused(Exception):
    """A workspace refused for what exists on the disk or in other projects.

    The reason is told to administrators only: to anyone else it would say which paths exist.
    """

    def __init__(self, reason: str, *, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status

    def specific(self) -> InvalidInputError | ConflictError:
        if self.status == 409:
            return ConflictError(
                self.reason,
                errors=[{"location": ["body", "workspace_path"], "message": self.reason}],
            )
        return _path_error(self.reason)


def _unavailable() -> ConflictError:
    message = (
        "The workspace path is not available: choose a new or empty directory that no other "
        "project uses, or ask an administrator."
    )
    return ConflictError(
        message,
        errors=[{"location": ["body", "workspace_path"], "message": "not available"}],
    )


def _lexical_workspace(root: Path, real_root: Path, requested: str) -> Path:
    """``requested`` relative to the root, checked without looking at what exists."""
    if "\x00" in requested:
        raise _path_error("The workspace path contains a NUL character.")
    candidate = Path(requested)
    if ".." in candidate.parts:
        raise _path_error("The workspace path must not contain '..' segments.")
    if candidate.is_absolute():
        lexical = Path(os.path.normpath(candidate))
        if lexical.is_relative_to(real_root):
            candidate = lexical.relative_to(real_root)
        elif lexical.is_relative_to(root.absolute()):
            candidate = lexical.relative_to(root.absolute())
        else:
            raise _path_error(f"The workspace path must be inside the workspace root {root}.")
    if any(
        len(part.encode("utf-8", "surrogatepass")) > MAX_PATH_COMPONENT_BYTES
        for part in candidate.parts
    ):
        raise _path_error(
            f"A directory name in the workspace path is longer than {MAX_PATH_COMPONENT_BYTES} "
            "bytes."
        )
    if not candidate.parts:
        raise _path_error("The workspace path must name a directory below the workspace root.")
    return candidate


def _resolved_workspace(real_root: Path, relative: Path) -> Path:
    """The directory ``relative`` names once symbolic links are followed; it must stay inside."""
    try:
        resolved = (real_root / relative).resolve()
    except (RuntimeError, OSError) as exc:  # a symbolic link loop (RuntimeError before 3.13)
        raise _WorkspaceRefused("The workspace path runs into a symbolic link loop.") from exc
    if not resolved.is_relative_to(real_root):
        raise _WorkspaceRefused(
            "The workspace path leaves the workspace root through a symbolic link."
        )
    if resolved == real_root:
        raise _WorkspaceRefused(
            "The workspace path must name a directory below the workspace root."
        )
    # The nearest part that exists must be a directory, or the workspace cannot be made.
    for part in (resolved, *resolved.parents):
        if part.exists():
            if not part.is_dir():
                raise _WorkspaceRefused("The workspace path names a file, or a path below one.")
            break
    return resolved


def resolve_workspace(root: Path, requested: str) -> tuple[Path, str]:
    """The absolute workspace directory and its path relative to ``root``.

    Rejects ``..`` segments, absolute paths outside the root, and paths that leave the root
    through a symbolic link; the root itself is not a project's workspace.
    """
    real_root = root.resolve()
    relative = _lexical_workspace(root, real_root, requested)
    try:
        resolved = _resolved_workspace(real_root, relative)
    except _WorkspaceRefused as exc:
        raise exc.specific() from exc
    return resolved, resolved.relative_to(real_root).as_posix()


def workspace_directory(root: Path, project: Project) -> Path:
    """The absolute workspace of a stored project, checked again against the root."""
    return resolve_workspace(root, project.workspace_path)[0]


def _overlaps(directory: Path, other: Path) -> bool:
    return directory.is_relative_to(other) or other.is_relative_to(directory)


def _overlapping_project(
    real_root: Path, directory: Path, projects: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """The first project whose workspace is, contains or lies in ``directory``.

    A stored workspace is compared as it was resolved when the project was made and as it
    resolves now, since a symbolic link made later can lead one path into another.
    """
    for name, stored in projects:
        recorded = real_root / stored
        if _overlaps(directory, recorded):
            return name, stored
        try:
            current = recorded.resolve()
        except (RuntimeError, OSError):  # a loop: the recorded path is all there is
            continue
        inside = current.is_relative_to(real_root) and current != real_root
        if inside and _overlaps(directory, current):
            return name, stored
    return None


def _has_content(directory: Path) -> bool:
    try:
        with os.scandir(directory) as entries:
            return any(True for _ in entries)
    except FileNotFoundError:
        return False


async def _serialise_workspace_claims(session: AsyncSession) -> None:
    """Hold, until the transaction ends, a lock that every workspace claim takes first.

    Overlap is a property of pairs of rows, which no unique index expresses, so the check and
    the insert must not interleave with another claim's, whichever server process runs it.
    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write statement, which takes the
    database's single write lock; a transaction holding it reads the newest committed rows.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_WORKSPACE_CLAIM_LOCK)))
    else:
        claim = update(Project).where(false()).values(id=Project.id)
        await session.execute(claim.execution_options(synchronize_session=False))


async def check_workspace(
    session: AsyncSession,
    principal: Principal,
    workspace_root: Path,
    requested: str,
    *,
    adopting: bool = True,
) -> tuple[Path, str]:
    """Where a new project of ``principal`` may live: the directory and its relative path.

    The workspace may not be equal to, inside or above another project's. ``adopting``: the
    directory is to be used with what it holds, which only an administrator may do for a
    directory that is not empty. An administrator hears why a path is refused; anyone else
    gets one answer for every reason that depends on what exists.
    """
    real_root = await asyncio.to_thread(workspace_root.resolve)
    relative = _lexical_workspace(workspace_root, real_root, requested)
    rows = await session.execute(select(Project.name, Project.workspace_path))
    others = [(str(name), str(path)) for name, path in rows.all()]

    def inspect() -> Path:
        directory = _resolved_workspace(real_root, relative)
        clash = _overlapping_project(real_root, directory, others)
        if clash is not None:
            raise _WorkspaceRefused(
                f"The workspace overlaps the workspace '{clash[1]}' of project '{clash[0]}'; "
                "a workspace may not be equal to, inside or above another project's.",
                status=409,
            )
        if adopting and not principal.is_admin and _has_content(directory):
            raise _WorkspaceRefused(
                "The directory is not empty; adopting existing files is an administrator's action.",
                status=409,
            )
        return directory

    try:
        directory = await asyncio.to_thread(inspect)
    except _WorkspaceRefused as exc:
        if principal.is_admin:
            raise exc.specific() from exc
        raise _unavailable() from exc
    return directory, directory.relative_to(real_root).as_posix()


async def create_project(
    session: AsyncSession,
    principal: Principal,
    workspace_root: Path,
    data: ProjectCreate,
    *,
    commit: bool = True,
    adopting: bool = False,
) -> ProjectView:
    """Create a project; its creator becomes its maintainer and its directory is made.

    ``adopting``: the caller asks to use the directory with what it holds (the API does);
    without it the caller filled the directory itself after ``check_workspace``, as a
    template does.
    """
    require_scope(principal, PROJECTS_WRITE)
    await _serialise_workspace_claims(session)
    directory, relative = await check_workspace(
        session, principal, workspace_root, data.workspace_path, adopting=adopting
    )
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
        # Another request took the name between the check and the insert.
        await session.rollback()
        raise ConflictError(f"A project named '{data.name}' exists.") from exc
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
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        await session.rollback()
        if principal.is_admin:
            raise _path_error(f"The workspace directory cannot be made: {exc.strerror}.") from exc
        raise _unavailable() from exc
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
