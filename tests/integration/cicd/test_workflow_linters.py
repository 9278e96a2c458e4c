"""actionlint and zizmor pass on the real workflows, and do flag a workflow that is unsafe."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

RunMake = Callable[..., subprocess.CompletedProcess[str]]
FindTool = Callable[[str], str]

UNSAFE_WORKFLOW = """\
name: unsafe
on:
  pull_request_target:
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def test_make_workflow_lint_passes_on_the_real_workflows(
    run_make: RunMake, find_tool: FindTool
) -> None:
    find_tool("actionlint")
    find_tool("zizmor")
    find_tool("shellcheck")  # without it actionlint silently skips the run: scripts
    result = run_make("workflow-lint", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_reports_the_injection_and_the_unpinned_action(
    tmp_path: Path, find_tool: FindTool
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "unsafe.yml").write_text(UNSAFE_WORKFLOW)
    result = subprocess.run(
        [find_tool("zizmor"), "--offline", "--format", "json", str(workflows)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    audits = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"template-injection", "unpinned-uses", "dangerous-triggers"} <= audits


def test_actionlint_reports_a_broken_workflow(tmp_path: Path, find_tool: FindTool) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "broken.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ matrix.nothing }}\n    timeout-minutes: ten\n"
    )
    result = subprocess.run(
        [find_tool("actionlint"), "-no-color", str(workflows / "broken.yml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "timeout-minutes" in result.stdout
