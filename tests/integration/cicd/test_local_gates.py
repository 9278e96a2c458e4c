"""The pre-commit hooks stop what they promise to stop, at the moment a developer commits.

A scratch repository gets the project's hook configuration and the venv's tools; each case
commits one kind of mistake and must be refused by the named hook, while a clean change with a
conventional message goes through. The commit-message rule is checked on the real history
(`make commit-check`). `make pre-commit` on every file of the tree is a step of ci.yml rather
than a test here: it repeats lint and types, which .ci/run already runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

RunMake = Callable[..., subprocess.CompletedProcess[str]]
FindTool = Callable[[str], str]

CONFIGS = (".pre-commit-config.yaml", ".yamllint.yaml", ".gitleaks.toml")
CLEAN_MODULE = '"""Greetings."""\n\n\ndef greet(name: str) -> str:\n    return f"hello {name}"\n'


# One mypy cache for every scratch repository: a cold mypy spends seconds on the stdlib stubs.
MYPY_CACHE = Path(tempfile.gettempdir()) / f"claude-tui-hooks-mypy-{os.getuid()}"


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.test", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "MYPY_CACHE_DIR": str(MYPY_CACHE)},
    )


@pytest.fixture
def hooked_repo(tmp_path: Path, repo_root: Path, find_tool: FindTool) -> Path:
    """A fresh repository with the project's hooks installed, as `make pre-commit-install` does."""
    find_tool("shellcheck")
    repo = tmp_path / "repo"
    repo.mkdir()
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    for name in CONFIGS:
        shutil.copy(repo_root / name, repo / name)
    (repo / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = ["E", "F"]\n'
        '[tool.mypy]\nstrict = true\nfiles = ["src"]\n'
    )
    # The hooks call .venv/bin/...: the environment running these tests.
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    (repo / ".gitignore").write_text(".venv\n")
    git(repo, "add", ".")
    assert git(repo, "commit", "-q", "--no-verify", "-m", "chore: start").returncode == 0
    installed = subprocess.run(
        [
            find_tool("pre-commit"),
            "install",
            "--hook-type",
            "pre-commit",
            "--hook-type",
            "commit-msg",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    return repo


def commit(repo: Path, files: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    for name, content in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    git(repo, "add", *files)
    return git(repo, "commit", "-m", message)


def test_a_clean_change_with_a_conventional_message_is_committed(hooked_repo: Path) -> None:
    result = commit(hooked_repo, {"src/greet.py": CLEAN_MODULE}, "feat(greet): say hello")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(hooked_repo, "log", "--format=%s", "-1").stdout.strip() == "feat(greet): say hello"


@pytest.mark.parametrize(
    ("files", "message", "refused_by"),
    [
        ({"src/greet.py": CLEAN_MODULE}, "added greeting", "Conventional Commits"),
        ({"src/greet.py": CLEAN_MODULE.replace("str:\n", "str:   \n")}, "fix: x", "trailing"),
        ({"src/greet.py": CLEAN_MODULE.rstrip("\n")}, "fix: x", "end with exactly one"),
        ({"src/greet.py": "import os\n" + CLEAN_MODULE}, "fix: x", "ruff lint"),
        ({"src/greet.py": CLEAN_MODULE.replace("    return", "  return")}, "fix: x", "ruff"),
        ({"src/greet.py": CLEAN_MODULE.replace('f"hello {name}"', "len(name)")}, "fix: x", "mypy"),
        (
            {"src/keys.py": 'AWS_KEY = "AKIAQWERTYUIOPASDFGH2"\n'},
            "fix: x",
            "no secrets in the staged changes",
        ),
        ({"run.sh": "#!/bin/bash\nrm -rf $1/tmp\n"}, "fix: x", "shellcheck"),
        ({"conf.yaml": "a: 1\na: 2\n"}, "fix: x", "yamllint"),
        ({"data.json": '{"a": 1,}\n'}, "fix: x", "JSON parses"),
        (
            {
                ".github/workflows/w.yml": (
                    "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                    "    permissions: {}\n    timeout-minutes: 5\n    steps:\n"
                    "      - uses: actions/checkout@v4\n"
                )
            },
            "ci: x",
            "zizmor",
        ),
        (
            {"Dockerfile": "FROM debian\nRUN cd /tmp && apt-get install curl\n"},
            "fix: x",
            "hadolint",
        ),
    ],
    ids=[
        "message",
        "trailing-space",
        "no-final-newline",
        "unused-import",
        "unformatted",
        "type-error",
        "secret",
        "shell",
        "yaml",
        "json",
        "unpinned-action",
        "dockerfile",
    ],
)
def test_a_mistake_is_refused_by_its_hook(
    hooked_repo: Path, files: dict[str, str], message: str, refused_by: str
) -> None:
    result = commit(hooked_repo, files, message)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    failed = [line for line in output.splitlines() if line.rstrip().endswith("Failed")]
    assert any(refused_by in line for line in failed) or refused_by in output, output
    assert git(hooked_repo, "log", "--format=%s", "-1").stdout.strip() == "chore: start"


def test_commit_check_accepts_conventional_history_and_names_a_bad_message(
    run_make: RunMake, repo_root: Path
) -> None:
    def first_commit(pattern: str) -> str:
        found = git(repo_root, "log", "--format=%H", "--reverse", f"--grep={pattern}").stdout
        return found.split()[0]

    cicd = first_commit("^ci: GitHub workflows")
    good = run_make("commit-check", f"COMMIT_RANGE={cicd}~1..{cicd}", timeout=60)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Commit validation: successful!" in good.stdout
    # The founding commits predate the convention: a range over them is refused, by name.
    foundation = first_commit("^Foundation:")
    second = first_commit("^Tests: importlib")
    bad = run_make("commit-check", f"COMMIT_RANGE={foundation}..{second}", timeout=60)
    assert bad.returncode != 0
    assert "Tests: importlib import mode" in bad.stdout + bad.stderr
