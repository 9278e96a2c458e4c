"""The project's tests run in bubblewrap: workspace writable, the rest read-only, no network."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from claude_tui.validation import ExecutionLimits, validate_path
from claude_tui.validation.execution import (
    SANDBOX_BWRAP,
    SANDBOX_SUBPROCESS,
    TestCommand,
    bwrap_status,
    detect_test_command,
    run_tests,
)
from servers import require_sandbox, unavailable

PROBE_TESTS = """
import socket
from pathlib import Path


def test_passes():
    assert 1 + 1 == 2


def test_fails():
    assert 1 + 1 == 3


def test_workspace_is_writable():
    Path("written.txt").write_text("ok")


def test_network_is_off():
    # The test session listens on this loopback port; a sandbox with its own network
    # namespace cannot reach it.
    sock = socket.socket()
    sock.settimeout(2)
    try:
        sock.connect(("127.0.0.1", {port}))
        connected = True
    except OSError:
        connected = False
    assert not connected


def test_outside_is_read_only(tmp_path):
    target = Path({outside!r}) / "escape.txt"
    try:
        target.write_text("x")
        escaped = True
    except OSError:
        escaped = False
    assert not escaped
"""


@pytest.fixture
def sandboxed() -> None:
    usable, why = bwrap_status()
    if not usable:
        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {why}")


def make_project(root: Path, outside: Path, port: int) -> Path:
    (root / "tests").mkdir(parents=True)
    probe = PROBE_TESTS.replace("{outside!r}", repr(str(outside))).replace("{port}", str(port))
    (root / "tests" / "test_probe.py").write_text(probe)
    (root / "pyproject.toml").write_text('[project]\nname = "probe"\n\n[tool.pytest.ini_options]\n')
    return root


@pytest.mark.slow
def test_tests_run_in_the_sandbox_with_counts(tmp_path: Path, sandboxed: None) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        root = make_project(tmp_path / "proj", outside, listener.getsockname()[1])
        report = validate_path(root, execute=True, install_test_env=False)
    execution = report.execution
    assert execution is not None
    assert execution.sandbox == SANDBOX_BWRAP
    assert (execution.counts.passed, execution.counts.failed) == (4, 1), execution.output_tail
    assert (root / "written.txt").read_text() == "ok"
    assert not (outside / "escape.txt").exists()
    assert [f.rule for f in report.findings] == ["execution.tests-failed"]


def test_detects_runners(tmp_path: Path) -> None:
    assert detect_test_command(tmp_path) is None
    (tmp_path / "go.mod").write_text("module x\n")
    assert detect_test_command(tmp_path).runner == "go"  # type: ignore[union-attr]
    (tmp_path / "package.json").write_text('{"scripts": {"test": "node --test"}}')
    assert detect_test_command(tmp_path).runner == "npm"  # type: ignore[union-attr]
    (tmp_path / "conftest.py").write_text("")
    assert detect_test_command(tmp_path).runner == "pytest"  # type: ignore[union-attr]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.claude-tui.validation]\ntest-command = "make check"\n'
    )
    assert detect_test_command(tmp_path).argv == ("make", "check")  # type: ignore[union-attr]


def test_without_bwrap_an_allowed_run_says_it_was_not_sandboxed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(sys.executable, bin_dir / "python3")
    monkeypatch.setenv("PATH", str(bin_dir))
    bwrap_status.cache_clear()
    try:
        script = tmp_path / "ok.py"
        script.write_text("print('# pass 3')\nprint('# fail 0')\n")
        command = TestCommand(("python3", str(script)), "configured")
        result = run_tests(tmp_path, command, allow_unsandboxed=True)
    finally:
        bwrap_status.cache_clear()
    assert result.sandbox == SANDBOX_SUBPROCESS
    assert any("NOT SANDBOXED" in note and "not installed" in note for note in result.notes)
    assert result.counts.passed == 3
    assert result.succeeded


@pytest.mark.sandbox
def test_timeout_kills_the_run(tmp_path: Path) -> None:
    command = TestCommand((sys.executable, "-c", "import time; time.sleep(30)"), "configured")
    result = run_tests(tmp_path, command, ExecutionLimits(timeout_seconds=1))
    assert result.timed_out
    assert not result.succeeded


@pytest.mark.sandbox
def test_memory_limit_applies(tmp_path: Path) -> None:
    grab = "x = bytearray(600 * 1024 * 1024); print('got it')"
    command = TestCommand((sys.executable, "-c", grab), "configured")
    result = run_tests(tmp_path, command, ExecutionLimits(memory_bytes=300 * 1024 * 1024))
    assert result.exit_code != 0
    assert "MemoryError" in result.output_tail


@pytest.mark.sandbox
def test_secrets_are_not_passed_to_the_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_API_TOKEN", "s3cret")
    command = TestCommand(
        (sys.executable, "-c", "import os; print(os.environ.get('MY_API_TOKEN', 'absent'))"),
        "configured",
    )
    result = run_tests(tmp_path, command)
    assert "absent" in result.output_tail
    assert shutil.which("python3") is not None
