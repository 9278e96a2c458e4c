"""A missing system tool skips its tests with the command that installs it, the summary lists
every skipped tier with its reasons, and CI (CLAUDE_TUI_REQUIRE_SERVICES=1) fails instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import pytest
from servers import require_tool


def test_with_the_fixture(sandbox_required):
    pass


@pytest.mark.sandbox
def test_with_the_marker():
    pass


def test_with_a_missing_tool():
    require_tool("ctui-no-such-tool", install="apt-get install ctui-no-such-package")


def test_needing_nothing():
    pass
"""
BWRAP_MISSING = "bubblewrap not installed: apt-get install bubblewrap"
TOOL_MISSING = "ctui-no-such-tool not installed: apt-get install ctui-no-such-package"


def run_probe(tmp_path: Path, *, require: bool, path: str) -> subprocess.CompletedProcess[str]:
    """Run the probe tests with the project's tests/conftest.py as a plugin, on ``path``."""
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CLAUDE_TUI_REQUIRE_SERVICES", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")
    }
    env["PATH"] = path
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])
    if require:
        env["CLAUDE_TUI_REQUIRE_SERVICES"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-p",
            "no:cov",
            "-p",
            "conftest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_probe.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def summary_of(output: str) -> list[str]:
    """The lines of the skipped-tiers section of a pytest run."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "skipped tiers:" in line)
    section = []
    for line in lines[start + 1 :]:
        if line.startswith("="):
            break
        section.append(line)
    return section


def test_a_missing_tool_skips_with_its_install_command_and_the_summary_groups_them(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()  # a PATH with no tools at all: no bwrap, no anything
    result = run_probe(tmp_path, require=False, path=str(empty))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 passed, 3 skipped" in output
    assert "skipped tiers: 3 tests, by tier and reason" in output
    section = summary_of(output)
    # The tier is named once, on its first line; then count, 'skipped', reason.
    assert [line[24:].split(None, 2) for line in section[:2]] == [
        ["2", "skipped", BWRAP_MISSING],
        ["1", "skipped", TOOL_MISSING],
    ]
    assert section[0].startswith("test_probe.py")
    assert "CLAUDE_TUI_REQUIRE_SERVICES=1" in section[-1]


def test_in_ci_a_missing_tool_is_a_failure_not_a_skip(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_probe(tmp_path, require=True, path=str(empty))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 1 passed, 2 errors" in output
    assert f"required service unavailable: {BWRAP_MISSING}" in output
    assert f"required service unavailable: {TOOL_MISSING}" in output
    assert "skipped tiers:" not in output


def test_with_bubblewrap_the_sandbox_tests_run(tmp_path: Path) -> None:
    from servers import require_sandbox

    require_sandbox()
    result = run_probe(tmp_path, require=False, path=os.environ["PATH"])
    output = result.stdout + result.stderr
    assert "3 passed, 1 skipped" in output, output
    assert BWRAP_MISSING not in output


@pytest.mark.parametrize("require", [False, True])
def test_bubblewrap_that_cannot_create_namespaces_counts_as_missing(
    tmp_path: Path, require: bool
) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    bwrap = fake / "bwrap"
    # What bwrap says where user namespaces are off (a locked-down container).
    bwrap.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n"
    )
    bwrap.chmod(0o755)
    result = run_probe(tmp_path, require=require, path=f"{fake}:/usr/bin:/bin")
    output = result.stdout + result.stderr
    why = (
        "bubblewrap cannot run here (bwrap --ro-bind / / --unshare-net true: "
        "bwrap: No permissions to creating new namespace)"
    )
    assert why in output
    assert result.returncode == (1 if require else 0), output
