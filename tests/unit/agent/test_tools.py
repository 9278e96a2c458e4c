"""The workspace tools as the model uses them: confinement, reads, search, edits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claude_tui.agent.permissions import PermissionMode, parse_mode
from claude_tui.agent.providers.base import ToolCall
from claude_tui.agent.tools import CommandRunner, Toolbox, ToolOutcome
from claude_tui.agent.tools.workspace import Workspace


class NoCommands:
    async def run_command(self, command: str) -> str:
        return f"ran {command}"

    async def run_tests(self) -> str:
        return "tests ran"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "calc.py").write_text(
        "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    (root / "README.md").write_text("Calculator\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    (tmp_path / "secret.txt").write_text("top secret\n")
    return root


@pytest.fixture
def toolbox(project: Path) -> Toolbox:
    commands: CommandRunner = NoCommands()
    return Toolbox(Workspace(project), commands)


async def call(toolbox: Toolbox, name: str, **args: object) -> ToolOutcome:
    return await toolbox.execute(ToolCall("c1", name, dict(args)))


async def test_list_files_skips_git_internals(toolbox: Toolbox) -> None:
    out = await call(toolbox, "list_files")
    assert out.content.splitlines() == ["README.md", "pkg/calc.py"]
    assert (await call(toolbox, "list_files", pattern="*.py")).content == "pkg/calc.py"


async def test_read_file_with_a_line_range(toolbox: Toolbox) -> None:
    out = await call(toolbox, "read_file", path="pkg/calc.py", start_line=5, end_line=6)
    assert not out.is_error
    assert out.content.splitlines() == [
        "pkg/calc.py (lines 5-6 of 6)",
        "5| def sub(a, b):",
        "6|     return a - b",
    ]


@pytest.mark.parametrize(
    "path", ["../secret.txt", "/etc/passwd", "pkg/../../secret.txt", ".git/config"]
)
async def test_reading_outside_the_workspace_is_refused(toolbox: Toolbox, path: str) -> None:
    out = await call(toolbox, "read_file", path=path)
    assert out.is_error
    assert "outside the workspace" in out.content or ".git directory" in out.content
    assert "top secret" not in out.content


async def test_a_symlink_escaping_the_workspace_is_refused(project: Path, toolbox: Toolbox) -> None:
    os.symlink(project.parent / "secret.txt", project / "innocent.txt")
    os.symlink(project.parent, project / "up")
    for path in ("innocent.txt", "up/secret.txt"):
        out = await call(toolbox, "read_file", path=path)
        assert out.is_error, path
        assert "outside the workspace" in out.content
    write = await call(toolbox, "write_file", path="up/planted.py", content="x = 1\n")
    assert write.is_error
    assert not (project.parent / "planted.py").exists()


async def test_search_finds_lines(toolbox: Toolbox) -> None:
    out = await call(toolbox, "search", pattern="return a")
    assert out.content.splitlines() == [
        "pkg/calc.py:2: return a + b",
        "pkg/calc.py:6: return a - b",
    ]
    regex = await call(toolbox, "search", pattern=r"def \w+\(", regex=True)
    assert len(regex.content.splitlines()) == 2
    bad = await call(toolbox, "search", pattern="(", regex=True)
    assert bad.is_error


async def test_edit_applies_an_exact_unique_match(project: Path, toolbox: Toolbox) -> None:
    out = await call(
        toolbox,
        "edit_file",
        path="pkg/calc.py",
        edits=[{"search": "    return a - b\n", "replace": "    return a - b - 0\n"}],
    )
    assert not out.is_error, out.content
    assert out.changed_files == ["pkg/calc.py"]
    assert "return a - b - 0" in (project / "pkg" / "calc.py").read_text()


async def test_edit_that_does_not_match_explains_and_changes_nothing(
    project: Path, toolbox: Toolbox
) -> None:
    before = (project / "pkg" / "calc.py").read_text()
    out = await call(
        toolbox,
        "edit_file",
        path="pkg/calc.py",
        edits=[
            {"search": "def add(a, b):", "replace": "def add(a, b, c=0):"},
            {"search": "def sub(a, b):\n  return a - b", "replace": "x"},
        ],
    )
    assert out.is_error
    assert "edit 2: the search text was not found in pkg/calc.py" in out.content
    assert "different indentation or whitespace" in out.content
    assert "5| def sub(a, b):" in out.content
    assert (project / "pkg" / "calc.py").read_text() == before, "no block may be half-applied"


async def test_ambiguous_edit_is_refused(toolbox: Toolbox) -> None:
    out = await call(
        toolbox, "edit_file", path="pkg/calc.py", edits=[{"search": "(a, b)", "replace": "(x, y)"}]
    )
    assert out.is_error
    assert "occurs 2 times" in out.content


async def test_write_creates_new_files_but_never_overwrites(
    project: Path, toolbox: Toolbox
) -> None:
    out = await call(toolbox, "write_file", path="pkg/new/mod.py", content="VALUE = 1\n")
    assert not out.is_error
    assert (project / "pkg" / "new" / "mod.py").read_text() == "VALUE = 1\n"
    again = await call(toolbox, "write_file", path="pkg/calc.py", content="")
    assert again.is_error
    assert "already exists" in again.content
    assert "def add" in (project / "pkg" / "calc.py").read_text()


async def test_wrong_arguments_are_reported_back(toolbox: Toolbox) -> None:
    assert (await call(toolbox, "read_file")).is_error
    assert (await call(toolbox, "read_file", path="pkg/calc.py", start_line="x")).is_error
    assert (await call(toolbox, "edit_file", path="pkg/calc.py", edits="nope")).is_error
    assert (await call(toolbox, "nonsense")).content.startswith("unknown tool")
    broken = await call(toolbox, "read_file", __invalid_json__="{path:")
    assert "not valid JSON" in broken.content
    assert (await call(toolbox, "git_status")).is_error
    assert (await call(toolbox, "read_file", path="missing.py")).is_error


async def test_commands_go_through_the_runner(toolbox: Toolbox) -> None:
    assert (await call(toolbox, "run_command", command="ls")).content == "ran ls"
    assert (await call(toolbox, "run_tests")).content == "tests ran"


def test_read_only_mode_offers_no_changing_tools(toolbox: Toolbox) -> None:
    names = {spec.name for spec in toolbox.specs(PermissionMode.READ_ONLY)}
    assert "read_file" in names
    assert not names & {"edit_file", "write_file", "run_command"}
    assert parse_mode("auto") is PermissionMode.AUTO
    assert parse_mode(None) is PermissionMode.ASK


async def test_search_gives_the_same_answer_with_and_without_ripgrep(
    toolbox: Toolbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servers import require_tool

    require_tool("rg", install="apt-get install ripgrep")
    with_rg = (await call(toolbox, "search", pattern="return a")).content
    monkeypatch.setenv("PATH", "/nonexistent")
    without = (await call(toolbox, "search", pattern="return a")).content
    assert with_rg == without == "pkg/calc.py:2: return a + b\npkg/calc.py:6: return a - b"
    none = await call(toolbox, "search", pattern="nothing like this")
    assert none.content == "(no matches)"
