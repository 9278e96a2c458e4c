"""A task's git branch: refusal on a dirty tree, stash with consent, steps, undo, diff."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from claude_tui.agent.git import DirtyWorktreeError, GitError, TaskRepository


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("x = 1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


async def test_uncommitted_user_work_is_never_touched_without_consent(repo: Path) -> None:
    (repo / "app.py").write_text("x = 2  # my work in progress\n")
    task = TaskRepository(repo, 7)
    with pytest.raises(DirtyWorktreeError, match=r"uncommitted changes \(app.py\)"):
        await task.start()
    assert (repo / "app.py").read_text() == "x = 2  # my work in progress\n"
    assert await task.current_branch() == "main"


async def test_stash_with_consent_keeps_the_work_recoverable(repo: Path) -> None:
    (repo / "app.py").write_text("x = 2  # my work in progress\n")
    start = await TaskRepository(repo, 7).start(allow_stash=True)
    assert start.stash == "claude-tui: before task 7"
    assert "claude-tui: before task 7" in git(repo, "stash", "list")
    assert (repo / "app.py").read_text() == "x = 1\n"


async def test_steps_are_commits_on_the_task_branch_and_undo_drops_the_last(repo: Path) -> None:
    task = TaskRepository(repo, 3)
    start = await task.start()
    assert start.branch == "claude-tui/task-3"
    assert await task.current_branch() == "claude-tui/task-3"
    assert await task.commit_step("nothing") is None
    (repo / "app.py").write_text("x = 10\n")
    first = await task.commit_step("edit_file app.py")
    (repo / "new.py").write_text("y = 2\n")
    await task.commit_step("write_file new.py")
    assert first is not None
    assert [s for _, s in await task.steps()] == [
        "claude-tui task 3: write_file new.py",
        "claude-tui task 3: edit_file app.py",
    ]
    assert await task.base_commit() == start.base_commit
    diff = await task.diff()
    assert "+x = 10" in diff
    assert "+y = 2" in diff
    assert await task.undo_last_step() == "claude-tui task 3: write_file new.py"
    assert not (repo / "new.py").exists()
    assert await task.head() == first
    (repo / "app.py").write_text("x = 11\n")
    with pytest.raises(GitError, match="uncommitted changes"):
        await task.undo_last_step()
    git(repo, "checkout", "-q", "--", "app.py")
    await task.undo_last_step()
    with pytest.raises(GitError, match="no step to undo"):
        await task.undo_last_step()
    assert await task.diff() == ""


async def test_undo_and_diff_work_after_the_user_switched_branches(repo: Path) -> None:
    task = TaskRepository(repo, 4)
    await task.start()
    (repo / "app.py").write_text("x = 5\n")
    await task.commit_step("edit app.py")
    git(repo, "switch", "-q", "main")
    assert "+x = 5" in await task.diff()
    await task.undo_last_step()
    assert await task.diff() == ""
    assert (await task.status()).startswith("## main")


async def test_a_plain_directory_becomes_a_repository(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a\n")
    task = TaskRepository(tmp_path, 1)
    await task.start()
    assert await task.is_repository()
    assert await task.current_branch() == "claude-tui/task-1"
    assert await task.dirty_paths() == []
