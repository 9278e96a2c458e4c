"""The real toolchains check JavaScript and Go syntax when installed; tree-sitter when not.

The CLI runs as a subprocess; "not installed" is a PATH that holds only bubblewrap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claude_tui.validation import validate_snippet
from servers import require_tool


@pytest.fixture
def node_tool() -> None:
    require_tool("node", install="apt-get install nodejs")


@pytest.fixture
def gofmt_tool() -> None:
    require_tool("gofmt", install="apt-get install golang-go")


# Skipped with the install line where the toolchain is missing; a failure in CI.
NEEDS_NODE = pytest.mark.usefixtures("node_tool")
NEEDS_GOFMT = pytest.mark.usefixtures("gofmt_tool")

# An ES module (the package says so) with two errors that tree-sitter parses without
# complaint: a redeclared `let` and `await` in a callback that is not async.
REPORT_MJS = """\
import { readFile } from 'node:fs/promises';

export async function loadReports(paths) {
  let total = 0;
  const reports = [];
  paths.forEach((path) => {
    const text = await readFile(path, 'utf8');
    reports.push(JSON.parse(text));
  });
  let total = reports.length;
  return { reports, total };
}
"""

WIDGET_JSX = """\
export function Widget({ name }) {
  return <div className="widget">{name}</div>;
}
"""

CONFIG_GO = """\
package config

type Options struct {
	Name  string
	Retry int
}

func Default() Options {
	return Options{
		Name:  "svc",
		Retry: 3
	}
}
"""


def validate(tree: Path, tmp_path: Path, path: str | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["CLAUDE_TUI_DATA_DIR"] = str(tmp_path / "data")
    if path is not None:
        env["PATH"] = path
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "claude_tui",
            "validate",
            "--no-exec",
            "--format",
            "json",
            str(tree),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def only_bwrap(tmp_path: Path) -> str:
    """A PATH without node, go and gofmt; bubblewrap and what its probe runs stay."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bwrap", "true", "sh"):
        found = shutil.which(tool)
        if found is not None:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


def syntax(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [
        (f["rule"], f["line"], f["message"]) for f in report["findings"] if f["check"] == "syntax"
    ]


@pytest.fixture
def js_project(tmp_path: Path) -> Path:
    project = tmp_path / "reports"
    project.mkdir()
    (project / "package.json").write_text('{"name": "reports", "type": "module"}\n')
    (project / "load.js").write_text(REPORT_MJS)
    return project


@NEEDS_NODE
def test_node_finds_what_tree_sitter_lets_through(js_project: Path, tmp_path: Path) -> None:
    report = validate(js_project, tmp_path)
    assert syntax(report) == [
        (
            "syntax.error",
            7,
            "javascript syntax error (node --check): SyntaxError: Unexpected reserved word",
        )
    ]
    expected = "checked with node --check (sandboxed)" if shutil.which("bwrap") else None
    assert report["checkers"]["javascript"] == (
        expected or "checked with node --check (not sandboxed: bubblewrap cannot start)"
    )


def test_without_node_tree_sitter_checks_and_says_so(js_project: Path, tmp_path: Path) -> None:
    report = validate(js_project, tmp_path, only_bwrap(tmp_path))
    assert report["checkers"]["javascript"] == "tree-sitter only: node not installed"
    assert syntax(report) == [
        (
            "syntax.await-outside-async",
            7,
            "javascript syntax error: `await` inside a function that is not async "
            "(tree-sitter only: node not installed)",
        )
    ]


@NEEDS_NODE
def test_jsx_is_left_to_tree_sitter_and_the_report_says_so(tmp_path: Path) -> None:
    project = tmp_path / "ui"
    project.mkdir()
    (project / "package.json").write_text('{"name": "ui"}\n')
    (project / "widget.js").write_text(WIDGET_JSX)
    report = validate(project, tmp_path)
    assert report["findings"] == []
    assert report["checkers"]["javascript"] == "tree-sitter only: JSX, which node does not parse"
    (project / "format.js").write_text("exports.upper = (s) => s.toUpperCase();\n")
    report = validate(project, tmp_path)
    assert report["findings"] == []
    assert report["checkers"]["javascript"].endswith(
        "; 1 file(s) tree-sitter only (see their findings' notes)"
    )


@NEEDS_GOFMT
def test_gofmt_reports_the_missing_comma(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    (project / "go.mod").write_text("module example.com/svc\n\ngo 1.19\n")
    (project / "config.go").write_text(CONFIG_GO)
    report = validate(project, tmp_path)
    assert report["checkers"]["go"].startswith("checked with gofmt -e")
    assert syntax(report) == [
        (
            "syntax.error",
            11,
            "go syntax error (gofmt -e): missing ',' before newline in composite literal",
        )
    ]


def test_without_gofmt_the_tolerant_parse_still_catches_the_comma(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    (project / "config.go").write_text(CONFIG_GO)
    report = validate(project, tmp_path, only_bwrap(tmp_path))
    assert report["checkers"]["go"] == "tree-sitter only: gofmt not installed"
    assert syntax(report) == [
        (
            "syntax.missing-comma",
            11,
            "go syntax error: missing ',' before newline in composite literal "
            "(tree-sitter only: gofmt not installed)",
        )
    ]


@NEEDS_NODE
def test_a_snippet_is_checked_by_node_too() -> None:
    report = validate_snippet("let a = 1;\nlet a = 2;\n", "javascript")
    assert [(f.rule, f.line) for f in report.findings] == [("syntax.error", 2)]
    assert "has already been declared" in report.findings[0].message
    assert report.checkers["javascript"].startswith("checked with node --check")


def test_a_broken_node_is_reported_and_tree_sitter_takes_over(
    js_project: Path, tmp_path: Path
) -> None:
    path = only_bwrap(tmp_path)
    broken = Path(path) / "node"
    broken.write_text("#!/bin/sh\necho 'node: cannot load its own libraries' >&2\nexit 3\n")
    broken.chmod(0o755)
    report = validate(js_project, tmp_path, path)
    reason = "tree-sitter only: node --check failed (node: cannot load its own libraries)"
    assert report["checkers"]["javascript"] == reason
    assert syntax(report) == [
        (
            "syntax.await-outside-async",
            7,
            f"javascript syntax error: `await` inside a function that is not async ({reason})",
        )
    ]


@NEEDS_NODE
@NEEDS_GOFMT
def test_a_file_the_sandboxed_toolchain_cannot_read_falls_back_and_says_so(
    tmp_path: Path,
) -> None:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed: nothing is hidden from the toolchain")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.js").write_text("exports.twice = (n) => n * 2;\n")
    (outside / "shared.go").write_text("package svc\n\nfunc Twice(n int) int { return n * 2 }\n")
    project = tmp_path / "svc"
    project.mkdir()
    (project / "go.mod").write_text("module example.com/svc\n\ngo 1.19\n")
    (project / "package.json").write_text('{"name": "svc"}\n')
    (project / "config.go").write_text(CONFIG_GO)
    (project / "load.js").write_text("let a = 1;\nlet a = 2;\n")
    # Links out of the workspace: the sandbox shows only the workspace, so the toolchain
    # cannot read them, and saying nothing about them would read as clean.
    (project / "shared.js").symlink_to(outside / "shared.js")
    (project / "shared.go").symlink_to(outside / "shared.go")
    report = validate(project, tmp_path)
    assert [(f["path"], f["line"]) for f in report["findings"]] == [
        ("config.go", 11),
        ("load.js", 2),
    ]
    assert report["checkers"]["go"].endswith(
        "; 1 file(s) tree-sitter only (see their findings' notes)"
    )
    assert report["checkers"]["javascript"].endswith(
        "; 1 file(s) tree-sitter only (see their findings' notes)"
    )


@NEEDS_GOFMT
def test_broken_go_in_testdata_is_low(tmp_path: Path) -> None:
    project = tmp_path / "parser"
    (project / "testdata").mkdir(parents=True)
    (project / "go.mod").write_text("module example.com/parser\n\ngo 1.19\n")
    (project / "testdata" / "bad.go").write_text(CONFIG_GO)
    report = validate(project, tmp_path)
    assert [(f["path"], f["severity"], f["message"]) for f in report["findings"]] == [
        (
            "testdata/bad.go",
            "low",
            "go syntax error (gofmt -e): missing ',' before newline in composite literal "
            "(in testdata/)",
        )
    ]
