"""A workspace's .git is hostile: no key of its configuration makes the platform run anything."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from claude_tui.agent.git import GitError, TaskRepository
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.sandbox.bwrap import sandbox_status
from claude_tui.validation import validate_path

# Each key makes git run a command: the command leaves a marker file outside the workspace.
ATTACKS = {
    "fsmonitor": ["core.fsmonitor"],
    "hooks_path": ["core.hooksPath"],
    "ssh_command": ["core.sshCommand"],
    "external_diff": ["diff.external"],
    "diff_driver": ["diff.evil.command"],
    "textconv": ["diff.evil.textconv"],
    "clean_filter": ["filter.evil.clean", "filter.evil.smudge"],
    "process_filter": ["filter.evil.process"],
    "pager": ["core.pager"],
    "editor": ["core.editor", "sequence.editor"],
    "gpg": ["gpg.program"],
    "credential_helper": ["credential.helper"],
}


def plain_git(root: Path, *args: str) -> None:
    """The attacker's own git, as code inside the workspace would run it."""
    subprocess.run(
        ["git", "-c", "user.name=x", "-c", "user.email=x@x", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
    )


def hook_script(marker: Path) -> str:
    return f"sh -c 'touch {marker}; cat'"


def plant(root: Path, attack: str, marker: Path) -> None:
    """Files first, committed as the attacker's own commit; then the configuration."""
    hooks = root / "evil-hooks"
    if attack == "hooks_path":
        hooks.mkdir()
        for name in ("pre-commit", "post-commit", "commit-msg", "post-checkout", "pre-auto-gc"):
            script = hooks / name
            script.write_text(f"#!/bin/sh\ntouch {marker}\n")
            script.chmod(0o755)
    if attack in ("diff_driver", "textconv", "clean_filter", "process_filter"):
        (root / ".gitattributes").write_text("* diff=evil filter=evil\n")
    plain_git(root, "add", "-A")
    plain_git(root, "commit", "-q", "--no-verify", "--allow-empty", "-m", "planted")
    for key in ATTACKS[attack]:
        value = str(hooks) if attack == "hooks_path" else hook_script(marker)
        plain_git(root, "config", key, value)
    # Hooks in the default place too: a repository's own .git/hooks.
    for name in ("pre-commit", "post-commit", "post-checkout"):
        script = root / ".git" / "hooks" / name
        script.write_text(f"#!/bin/sh\ntouch {marker}\n")
        script.chmod(0o755)


def make_repo(root: Path) -> None:
    root.mkdir(parents=True)
    plain_git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("def main() -> int:\n    return 1\n")
    plain_git(root, "add", "-A")
    plain_git(root, "commit", "-q", "--no-verify", "-m", "initial")


def platform_git_calls(root: Path) -> None:
    """Every git call the platform makes in a workspace: agent, validation, audit."""
    asyncio.run(agent_git_calls(root))
    (root / "app.py").write_text("def main() -> int:\n    return 3\n")
    validate_path(root, changed_since="HEAD")
    project = Project(root=root, policy=Policy())
    assert "app.py" in project.files


async def agent_git_calls(root: Path) -> None:
    repo = TaskRepository(root, 7)
    await repo.start()
    (root / "app.py").write_text("def main() -> int:\n    return 2\n")
    (root / "new.py").write_text("VALUE = 1\n")
    assert await repo.commit_step("edit app") is not None
    assert "return 2" in await repo.diff()
    await repo.status()
    await repo.steps()
    await repo.undo_last_step()


@pytest.fixture(params=["sandboxed", "config-neutralised-only"])
def git_mode(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Both layers on their own: git in the sandbox, and git with bwrap missing from PATH."""
    sandbox_status.cache_clear()
    if request.param == "config-neutralised-only":
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        for tool in ("git", "sh", "cat", "touch", "python3"):
            for entry in os.environ["PATH"].split(os.pathsep):
                if (Path(entry) / tool).exists():
                    os.symlink((Path(entry) / tool).resolve(), bin_dir / tool)
                    break
        monkeypatch.setenv("PATH", str(bin_dir))
        sandbox_status.cache_clear()
        assert not sandbox_status()[0]
    elif not sandbox_status()[0]:
        from servers import require_sandbox, unavailable

        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {sandbox_status()[1]}")
    yield str(request.param)
    sandbox_status.cache_clear()


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_planted_git_config_runs_nothing(tmp_path: Path, attack: str, git_mode: str) -> None:
    root = tmp_path / "workspace"
    make_repo(root)
    marker = tmp_path / f"marker-{attack}"
    plant(root, attack, marker)
    platform_git_calls(root)
    assert not marker.exists(), f"{attack}: git ran the planted command ({git_mode})"


def test_an_included_config_file_is_neutralised_too(tmp_path: Path, git_mode: str) -> None:
    root = tmp_path / "workspace"
    make_repo(root)
    marker = tmp_path / "marker"
    (root / "included.cfg").write_text(
        f'[core]\n\tfsmonitor = "{hook_script(marker)}"\n'
        f'[filter "x"]\n\tclean = "{hook_script(marker)}"\n'
    )
    (root / ".gitattributes").write_text("* filter=x\n")
    plain_git(root, "add", "-A")
    plain_git(root, "commit", "-q", "--no-verify", "-m", "planted")
    plain_git(root, "config", "include.path", str(root / "included.cfg"))
    platform_git_calls(root)
    assert not marker.exists()


async def test_core_worktree_cannot_redirect_the_agents_writes(tmp_path: Path) -> None:
    root = tmp_path / "workspace"
    make_repo(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    plain_git(root, "config", "core.worktree", str(elsewhere))
    repo = TaskRepository(root, 3)
    await repo.start()
    (root / "app.py").write_text("changed = True\n")
    await repo.commit_step("edit")
    await repo.undo_last_step()
    assert (elsewhere / "precious.txt").read_text() == "keep me"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.txt"]


@pytest.mark.parametrize("kind", ["symlink", "gitfile"])
async def test_a_git_dir_pointing_elsewhere_is_refused(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim"
    make_repo(victim)
    root = tmp_path / "workspace"
    root.mkdir()
    if kind == "symlink":
        (root / ".git").symlink_to(victim / ".git")
    else:
        (root / ".git").write_text(f"gitdir: {victim / '.git'}\n")
    with pytest.raises(GitError, match=r"\.git"):
        await TaskRepository(root, 1).start()
    assert (
        "claude-tui/task-1"
        not in subprocess.run(
            ["git", "branch"], cwd=victim, capture_output=True, text=True, check=True
        ).stdout
    )


async def test_a_workspace_inside_another_repository_gets_its_own(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    make_repo(outer)
    root = outer / "projects" / "mine"
    root.mkdir(parents=True)
    (root / "x.py").write_text("x = 1\n")
    await TaskRepository(root, 2).start()
    assert (root / ".git").is_dir()
    branches = subprocess.run(
        ["git", "branch"], cwd=outer, capture_output=True, text=True, check=True
    ).stdout
    assert "claude-tui" not in branches
