"""The directory a task may touch; every path a model names is resolved and confined here."""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG

SKIPPED_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        "dist",
        "build",
        ".idea",
    }
)


class ToolError(Exception):
    """A tool call that cannot be carried out; the message goes back to the model."""


class Workspace:
    """A project's working directory."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def resolve(self, path: str) -> Path:
        """The absolute path for ``path``; refuses anything that leaves the workspace.

        Symlinks are followed before the check, so a link pointing outside is refused too.
        """
        if not isinstance(path, str) or not path.strip():
            raise ToolError("a path is required")
        if "\x00" in path:
            raise ToolError("the path contains a NUL byte")
        candidate = Path(path)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        resolved = Path(os.path.realpath(candidate))
        if resolved != self.root and self.root not in resolved.parents:
            raise ToolError(
                f"{path!r} is outside the workspace; only files under the project directory "
                "can be used"
            )
        relative = resolved.relative_to(self.root)
        if relative.parts and relative.parts[0] == ".git":
            raise ToolError("the .git directory is managed by the platform, not by tools")
        return resolved

    def relative(self, path: Path) -> str:
        """``path`` as the model sees it: relative to the root, with forward slashes."""
        return path.resolve().relative_to(self.root).as_posix() or "."

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """(size, modification time) of each regular file inside the workspace, by path.

        Links are left out: a command may point one anywhere, and what is validated is read
        by the server, outside the sandbox.
        """
        found: dict[str, tuple[int, int]] = {}
        for path in self.walk(self.root):
            try:
                stat = path.lstat()
            except OSError:
                continue
            if S_ISREG(stat.st_mode):
                found[path.relative_to(self.root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
        return found

    def walk(self, start: Path) -> list[Path]:
        """Every file under ``start``, skipping VCS, virtualenv and cache directories."""
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for name in sorted(filenames):
                found.append(Path(dirpath) / name)
        return found
