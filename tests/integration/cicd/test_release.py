"""Releases, locally: the next version and its changelog come from the commit history."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

RunMake = Callable[..., subprocess.CompletedProcess[str]]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.test", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def current_version(repo: Path) -> str:
    version: str = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"]
    return version


def test_release_dry_run_on_the_real_history_names_the_next_version(
    run_make: RunMake, repo_root: Path
) -> None:
    result = run_make("release-dry-run", timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    found = re.search(r"bump: version (\S+) → (\S+)", output)
    assert found is not None, output
    assert found[1] == current_version(repo_root)
    # The history holds feat commits since the last release: a minor bump and their notes.
    major, minor, _ = (int(part) for part in found[1].split("."))
    assert found[2] == f"{major}.{minor + 1}.0"
    assert "### Feat" in output
    assert "**release**: make targets for pre-commit" in output
    # A dry run changes nothing.
    assert git(repo_root, "tag", "--list", f"v{found[2]}").stdout == ""


def test_fixes_make_a_patch_and_a_breaking_change_a_minor_release_while_zero(
    run_make: RunMake, repo_root: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo_root), str(clone))
    # The release settings as they are in the tree under test, committed or not yet.
    shutil.copy(repo_root / "pyproject.toml", clone / "pyproject.toml")
    git(clone, "commit", "-q", "--allow-empty", "-am", "chore: release settings")
    base = current_version(clone)
    git(clone, "tag", f"v{base}")
    major, minor, patch = (int(part) for part in base.split("."))

    def commit(message: str) -> None:
        (clone / "CHANGES.txt").write_text(message)
        git(clone, "add", "CHANGES.txt")
        git(clone, "commit", "-q", "-m", message)

    def preview() -> str:
        result = run_make("-C", str(clone), "release-dry-run", timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    nothing = preview()
    assert "No new commits found" in nothing or "NO_COMMITS" in nothing

    commit("docs: explain the release")
    assert "not eligible to be bumped" in preview()

    commit("fix(cli): exit 2 on a bad flag")
    output = preview()
    assert f"bump: version {base} → {major}.{minor}.{patch + 1}" in output
    assert "- **cli**: exit 2 on a bad flag" in output

    commit("feat(api)!: rename the tasks endpoint\n\nBREAKING CHANGE: /tasks moved to /runs")
    output = preview()
    assert f"bump: version {base} → {major}.{minor + 1}.0" in output
    assert "### BREAKING CHANGE" in output
    assert "/tasks moved to /runs" in output

    # `make changelog` writes the same history to CHANGELOG.md, newest first.
    written = run_make("-C", str(clone), "changelog", timeout=120)
    assert written.returncode == 0, written.stdout + written.stderr
    changelog = (clone / "CHANGELOG.md").read_text()
    assert changelog.index("## Unreleased") < changelog.index(f"## v{base}")
    unreleased = changelog.split(f"## v{base}")[0]
    for entry in ("**cli**: exit 2 on a bad flag", "**api**: rename the tasks endpoint"):
        assert entry in unreleased
