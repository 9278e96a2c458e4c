"""``claude-tui validate``: exit codes, formats, --changed-since, cache; driven as a user would."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from claude_tui.cli import validate_cmd
from claude_tui.settings import get_settings

TD = "TO" + "DO"
app = typer.Typer()
validate_cmd.register(app)


class Done:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith("CLAUDE_TUI_") and key != "CLAUDE_TUI_REQUIRE_SERVICES":
            monkeypatch.delenv(key)
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path / ".data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str, cwd: Path) -> Done:
    """Run the command in ``cwd`` (relative paths resolve there)."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(previous)
    return Done(result.exit_code, result.stdout, result.stderr)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = []\n')
    (tmp_path / "calc.py").write_text('def add(a, b):\n    """Sum."""\n    return a + b\n')
    return tmp_path


def test_clean_project_exits_zero(project: Path) -> None:
    done = run("validate", ".", "--no-exec", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 files (0 from cache)" in done.stdout


def test_findings_at_threshold_exit_one_below_exit_zero(project: Path) -> None:
    (project / "calc.py").write_text(
        f"def add(a, b):\n    return a + b  # {TD} overflow\n\n\ndef sub(a, b):\n    pass\n"
    )
    done = run("validate", ".", "--no-exec", "--no-cache", cwd=project)
    assert done.returncode == 1
    assert "calc.py:5:1: HIGH [placeholder.stub-body]" in done.stdout
    (project / "calc.py").write_text(f"def add(a, b):\n    return a + b  # {TD} overflow\n")
    assert run("validate", ".", "--no-exec", "--fail-on", "medium", cwd=project).returncode == 0
    assert run("validate", ".", "--no-exec", "--fail-on", "low", cwd=project).returncode == 1


def test_json_and_sarif_formats(project: Path) -> None:
    (project / "bad.py").write_text("import notarealpackagezz\n")
    data = json.loads(run("validate", ".", "--no-exec", "--format", "json", cwd=project).stdout)
    assert data["counts"]["high"] == 1
    assert data["findings"][0]["rule"] == "imports.unresolved"
    sarif = json.loads(run("validate", ".", "--no-exec", "--format", "sarif", cwd=project).stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["ruleId"] == "imports.unresolved"


def test_bad_input_is_one_line_and_exit_two(project: Path) -> None:
    for args in (
        ("validate", "missing-dir", "--no-exec"),
        ("validate", ".", "--format", "xml"),
        ("validate", ".", "--fail-on", "critical"),
        ("validate", ".", "--changed-since", "no-such-rev", "--no-exec"),
    ):
        done = run(*args, cwd=project)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr


def test_no_test_command_means_could_not_validate(project: Path) -> None:
    done = run("validate", ".", cwd=project)
    assert done.returncode == 2
    assert "no test command found" in done.stderr


def test_unchanged_files_come_from_the_cache(project: Path) -> None:
    run("validate", ".", "--no-exec", cwd=project)
    again = run("validate", ".", "--no-exec", cwd=project)
    assert "1 files (1 from cache)" in again.stdout
    (project / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    changed = run("validate", ".", "--no-exec", cwd=project)
    assert "1 files (0 from cache)" in changed.stdout


def test_changed_since_checks_only_changed_files_and_lines(project: Path) -> None:
    (project / "old.py").write_text(f"def legacy():\n    return 1  # {TD} old note\n")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    (project / "old.py").write_text(
        f"def legacy():\n    return 1  # {TD} old note\n\n\n"
        f"def fresh():\n    return legacy() + 1  # {TD} new note\n"
    )
    (project / "new.py").write_text("def brand_new():\n    pass\n")
    done = run(
        "validate", ".", "--no-exec", "--changed-since", "HEAD", "--format", "json", cwd=project
    )
    data = json.loads(done.stdout)
    found = sorted((f["path"], f["line"], f["rule"]) for f in data["findings"])
    assert found == [
        ("new.py", 1, "placeholder.stub-body"),
        ("old.py", 6, "placeholder.marker"),
    ]
    assert data["files_checked"] == 2
