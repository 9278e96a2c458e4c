"""Git for a task: its own branch, a commit per accepted step, undo, and the final diff.

The user's uncommitted work is never overwritten: a task refuses to start on a dirty tree
unless the user allowed stashing it.

Every method is a coroutine whose git calls run in a worker thread: the agent runs on the
event loop of whoever hosts it (the terminal UI's, in embedded mode), and a commit that
blocked it would freeze the screen.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from claude_tui.sandbox.git import Git, GitError

__all__ = ["DirtyWorktreeError", "GitError", "TaskBranchStart", "TaskRepository", "branch_for"]

BRANCH_PREFIX = "claude-tui/task-"


class DirtyWorktreeError(GitError):
    """The user has uncommitted changes and did not allow stashing them."""


def branch_for(task_id: int) -> str:
    return f"{BRANCH_PREFIX}{task_id}"


def step_prefix(task_id: int) -> str:
    return f"claude-tui task {task_id}:"


@dataclass(frozen=True)
class TaskBranchStart:
    branch: str
    base_commit: str
    stash: str | None


class TaskRepository:
    """The git repository of a workspace, as the agent uses it for one task."""

    def __init__(self, root: Path, task_id: int) -> None:
        self.root = root
        self.task_id = task_id
        self.branch = branch_for(task_id)
        self._git = Git(root, writable=True)

    async def git(self, *args: str, check: bool = True) -> str:
        return await asyncio.to_thread(self._git.output, *args, check=check, author=True)

    async def is_repository(self) -> bool:
        """Whether the workspace has its own repository (never one of a directory above)."""
        return await asyncio.to_thread(self._git.exists)

    async def dirty_paths(self) -> list[str]:
        """Paths with uncommitted changes (untracked files included)."""
        out = await self.git("status", "--porcelain", "--untracked-files=all")
        return [line[3:] for line in out.splitlines() if line.strip()]

    async def head(self) -> str:
        return (await self.git("rev-parse", "HEAD")).strip()

    async def current_branch(self) -> str:
        return (await self.git("rev-parse", "--abbrev-ref", "HEAD")).strip()

    async def start(self, allow_stash: bool = False) -> TaskBranchStart:
        """Switch to the task's branch, creating it from HEAD; protect uncommitted work."""
        if not await self.is_repository():
            await self.git("init", "-q", "-b", "main")
            await self.git("add", "-A")
            await self.git("commit", "-q", "--allow-empty", "-m", "claude-tui: initial snapshot")
        elif not (await self.git("rev-parse", "--verify", "-q", "HEAD", check=False)).strip():
            await self.git("commit", "-q", "--allow-empty", "-m", "claude-tui: initial commit")
        stash: str | None = None
        dirty = await self.dirty_paths()
        if dirty and await self.current_branch() != self.branch:
            if not allow_stash:
                shown = ", ".join(dirty[:5]) + (" ..." if len(dirty) > 5 else "")
                raise DirtyWorktreeError(
                    f"the workspace has uncommitted changes ({shown}); commit them, or allow "
                    "the task to stash them first"
                )
            message = f"claude-tui: before task {self.task_id}"
            await self.git("stash", "push", "--include-untracked", "-m", message)
            stash = message
        found = await self.git("rev-parse", "--verify", "-q", self.branch, check=False)
        if await self.current_branch() != self.branch:
            if found.strip():
                await self.git("switch", "-q", self.branch)
            else:
                await self.git("switch", "-q", "-c", self.branch)
        return TaskBranchStart(self.branch, await self.base_commit(), stash)

    async def commit_step(self, message: str) -> str | None:
        """Commit everything changed as one step; None when there was nothing to commit."""
        if not await self.dirty_paths():
            return None
        await self.git("add", "-A")
        await self.git("commit", "-q", "-m", f"{step_prefix(self.task_id)} {message}")
        return await self.head()

    async def steps(self) -> list[tuple[str, str]]:
        """(sha, subject) of the task's step commits, newest first."""
        out = await self.git("log", "--format=%H%x1f%s", self.branch, check=False)
        steps: list[tuple[str, str]] = []
        for line in out.splitlines():
            sha, _, subject = line.partition("\x1f")
            if not subject.startswith(step_prefix(self.task_id)):
                break
            steps.append((sha, subject))
        return steps

    async def base_commit(self) -> str:
        """The commit the task's branch started from."""
        steps = await self.steps()
        if steps:
            return (await self.git("rev-parse", f"{steps[-1][0]}^")).strip()
        on_branch = (await self.git("rev-parse", self.branch, check=False)).strip()
        return on_branch or await self.head()

    async def undo_last_step(self) -> str:
        """Drop the task's newest step commit; returns its subject."""
        steps = await self.steps()
        if not steps:
            raise GitError(f"task {self.task_id} has no step to undo")
        sha, subject = steps[0]
        if await self.current_branch() == self.branch:
            if await self.dirty_paths():
                raise GitError(
                    "the workspace has uncommitted changes; commit or discard them before undo"
                )
            await self.git("reset", "-q", "--hard", f"{sha}^")
        else:
            await self.git("branch", "-q", "-f", self.branch, f"{sha}^")
        return subject

    async def diff(self) -> str:
        """Everything the task changed: its commits plus uncommitted edits on its branch."""
        base = await self.base_commit()
        if await self.current_branch() == self.branch:
            return await self.git("diff", base)
        return await self.git("diff", base, self.branch)

    async def status(self) -> str:
        return await self.git("status", "--short", "--branch")
