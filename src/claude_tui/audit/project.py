"""The audited project: its root, its policy, and the files the scanners look at."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from claude_tui.audit.policy import Policy
from claude_tui.sandbox.git import Git, GitError

# Directories that hold generated or third-party content, skipped outside git checkouts.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        "dist",
        "build",
        ".eggs",
    }
)
MAX_TEXT_BYTES = 2 * 1024 * 1024


class ProjectError(Exception):
    """The path cannot be audited (missing, not a directory)."""


@dataclass
class Project:
    """A directory being audited; ``files`` lists its files relative to ``root``."""

    root: Path
    policy: Policy = field(default_factory=Policy)

    @classmethod
    def open(cls, path: Path, policy: Policy) -> Project:
        root = path.resolve()
        if not root.exists():
            raise ProjectError(f"{path} does not exist")
        if not root.is_dir():
            raise ProjectError(f"{path} is not a directory")
        return cls(root=root, policy=policy)

    @cached_property
    def is_git(self) -> bool:
        return (self.root / ".git").exists() and shutil.which("git") is not None

    @cached_property
    def files(self) -> list[str]:
        """Files of the project, POSIX-relative, without policy exclusions.

        In a git checkout these are the tracked files plus untracked ones that are not ignored,
        so build output and virtualenvs the project ignores are not audited.
        """
        listed = self._git_files() if self.is_git else None
        if listed is None:
            listed = self._walk()
        return sorted(p for p in listed if not self.policy.excluded(p))

    def _git_files(self) -> list[str] | None:
        try:
            listing = Git(self.root, timeout=60).output(
                "ls-files", "-z", "-co", "--exclude-standard"
            )
        except GitError:
            return None
        names = [n for n in listing.split("\0") if n]
        return [n for n in names if (self.root / n).is_file()]

    def _walk(self) -> list[str]:
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
            base = Path(dirpath)
            for name in filenames:
                full = base / name
                if full.is_file() and not full.is_symlink():
                    found.append(full.relative_to(self.root).as_posix())
        return found

    def files_named(self, *suffixes: str, names: tuple[str, ...] = ()) -> list[str]:
        """Files whose name ends with one of ``suffixes`` or equals one of ``names``."""
        return [f for f in self.files if f.endswith(suffixes) or Path(f).name in names]

    def read_text(self, relative_path: str) -> str | None:
        """The file's text, or None for binary, unreadable or oversized files."""
        path = self.root / relative_path
        try:
            if path.stat().st_size > MAX_TEXT_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        if b"\0" in data[:8192]:
            return None
        return data.decode("utf-8", "replace")
