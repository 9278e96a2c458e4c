"""Reading a project's workspace: directory listings and file contents, confined to it."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path, PurePath
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action
from claude_tui.services.authorization import authorize_project
from claude_tui.services.errors import InvalidInputError, NotFoundError
from claude_tui.services.principal import Principal
from claude_tui.services.projects import MAX_PATH_COMPONENT_BYTES, workspace_directory

MAX_FILE_BYTES = 1_048_576
MAX_ENTRIES = 2000
# Directories that are never interesting to browse and can be huge; readable by path.
HIDDEN_DIRECTORIES = frozenset({"__pycache__", "node_modules", ".venv", ".mypy_cache"})
# Version-control metadata holds remote URLs with credentials, hooks and other people's
# history: never listed nor read, at any depth, whatever the case of the name. Compared
# casefolded, since a case-insensitive volume serves ``.GIT`` from ``.git``.
INTERNAL_NAMES = frozenset(
    {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".pijul", ".git-credentials"}
)


class FileEntry(BaseModel):
    name: str
    path: str
    type: Literal["file", "directory"]
    size: int | None


class FileContent(BaseModel):
    path: str
    size: int
    text: str


def is_internal(relative: PurePath) -> bool:
    """Whether a workspace path is, or lies under, version-control metadata."""
    return any(part.casefold() in INTERNAL_NAMES for part in relative.parts)


def _inside(workspace: Path, relative: str, missing: str) -> Path:
    """The absolute path of ``relative`` inside the workspace.

    Symlink escapes are refused; internals, named or reached through a link, raise
    ``missing``, the same error as a path that does not exist, so that nothing tells
    whether they are there.
    """
    if "\x00" in relative:
        raise InvalidInputError("The path contains a NUL character.")
    candidate = Path(relative.strip("/")) if relative else Path()
    if is_internal(candidate):
        raise NotFoundError(missing)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise InvalidInputError("Give a path relative to the workspace, without '..'.")
    for part in candidate.parts:
        # Such a name cannot exist; the kernel would answer ENAMETOOLONG, not "missing".
        if len(os.fsencode(part)) > MAX_PATH_COMPONENT_BYTES:
            raise InvalidInputError(
                f"A path component is over {MAX_PATH_COMPONENT_BYTES} bytes: {part[:40]}..."
            )
    resolved = _resolve(workspace / candidate)
    if not resolved.is_relative_to(workspace):
        raise InvalidInputError("The path leaves the workspace through a symbolic link.")
    if is_internal(resolved.relative_to(workspace)):
        raise NotFoundError(missing)
    return resolved


def _resolve(path: Path) -> Path:
    """``path`` with every link followed; a loop or an over-long result is the caller's error."""
    try:
        return path.resolve()
    except RuntimeError as exc:
        # Python before 3.13 reports a loop as RuntimeError, later ones as OSError(ELOOP).
        raise InvalidInputError("The path runs into a loop of symbolic links.") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InvalidInputError("The path runs into a loop of symbolic links.") from exc
        if exc.errno == errno.ENAMETOOLONG:
            raise InvalidInputError("The path is too long once its links are followed.") from exc
        raise


def _link_target(path: Path) -> Path | None:
    """Where a symbolic link ends, or None when it loops or cannot be followed."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


async def _workspace(
    session: AsyncSession, principal: Principal, project_id: int, root: Path
) -> Path:
    access = await authorize_project(
        session, principal, project_id, Action.VIEW, scope="projects:read"
    )
    return await asyncio.to_thread(lambda: _resolve(workspace_directory(root, access.project)))


async def list_directory(
    session: AsyncSession, principal: Principal, project_id: int, root: Path, path: str = ""
) -> list[FileEntry]:
    """Entries of a workspace directory: directories first, then files, by name."""
    workspace = await _workspace(session, principal, project_id, root)
    return await asyncio.to_thread(_list, workspace, path)


def _list(workspace: Path, path: str) -> list[FileEntry]:
    missing = f"No directory {path or '.'} in the workspace."
    directory = _inside(workspace, path, missing)
    if not directory.is_dir():
        raise NotFoundError(missing)
    entries: list[FileEntry] = []
    with os.scandir(directory) as scan:
        for item in scan:
            if item.name in HIDDEN_DIRECTORIES or is_internal(PurePath(item.name)):
                continue
            is_dir = item.is_dir(follow_symlinks=False)
            if item.is_symlink():
                target = _link_target(Path(item.path))
                if (
                    target is None
                    or not target.is_relative_to(workspace)
                    or is_internal(target.relative_to(workspace))
                ):
                    continue
            relative = Path(item.path).relative_to(workspace).as_posix()
            size = None if is_dir else item.stat(follow_symlinks=False).st_size
            entries.append(
                FileEntry(
                    name=item.name,
                    path=relative,
                    type="directory" if is_dir else "file",
                    size=size,
                )
            )
            if len(entries) >= MAX_ENTRIES:
                break
    entries.sort(key=lambda e: (e.type != "directory", e.name.lower()))
    return entries


async def read_file(
    session: AsyncSession, principal: Principal, project_id: int, root: Path, path: str
) -> FileContent:
    """A text file of the workspace, up to ``MAX_FILE_BYTES``."""
    workspace = await _workspace(session, principal, project_id, root)
    return await asyncio.to_thread(_read, workspace, path)


def _read(workspace: Path, path: str) -> FileContent:
    missing = f"No file {path} in the workspace."
    target = _inside(workspace, path, missing)
    if not target.is_file():
        raise NotFoundError(missing)
    size = target.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path} has {size} bytes; files over {MAX_FILE_BYTES} bytes are not shown."
        )
    data = target.read_bytes()
    if b"\x00" in data[:8192]:
        raise InvalidInputError(f"{path} is a binary file.")
    return FileContent(path=path, size=size, text=data.decode("utf-8", errors="replace"))
