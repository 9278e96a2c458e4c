"""Run the project's own tests in a sandbox and read what they report.

The sandbox is bubblewrap (:mod:`claude_tui.sandbox.bwrap`): an allow-listed view of the
file system with only the workspace writable, an allow-listed environment, no network, no
capabilities, its own PID/IPC namespaces, and resource limits (CPU seconds, address space,
file size) plus a wall-clock timeout. Where bwrap cannot start, running refuses
(:class:`SandboxRequiredError`) unless the caller explicitly allowed a plain subprocess;
the result then says NOT SANDBOXED.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from claude_tui.sandbox.bwrap import (
    SandboxSpec,
    SandboxUnavailableError,
    require_sandbox,
    sandbox_argv,
    sandbox_env,
    sandbox_status,
)
from claude_tui.validation.errors import InvalidTargetError, SandboxRequiredError
from claude_tui.validation.junit import CaseProblem, JUnitError, parse_junit, read_problems
from claude_tui.validation.model import ExecutionResult, TestCounts
from claude_tui.validation.testenv import TestEnvironment

JUNIT_PLACEHOLDER = "{junit}"
SANDBOX_BWRAP = "bwrap"
SANDBOX_SUBPROCESS = "subprocess"


@dataclass(frozen=True, slots=True)
class ExecutionLimits:
    """Limits of one test run."""

    timeout_seconds: float = 600.0
    cpu_seconds: int = 900
    memory_bytes: int = 4 * 1024**3
    file_size_bytes: int = 512 * 1024**2
    network: bool = False


@dataclass(frozen=True, slots=True)
class TestCommand:
    """A test command; ``{junit}`` in an argument is replaced by the report path."""

    __test__ = False  # not a pytest test class despite the name

    argv: tuple[str, ...]
    runner: str

    @property
    def writes_junit(self) -> bool:
        return any(JUNIT_PLACEHOLDER in arg for arg in self.argv)


def detect_test_command(root: Path, configured: str | None = None) -> TestCommand | None:
    """The project's test command: configured, else pytest, npm test, go test or cargo test."""
    if configured:
        return TestCommand(tuple(shlex.split(configured)), "configured")
    pyproject = root / "pyproject.toml"
    pyconfig: dict[str, object] = {}
    if pyproject.is_file():
        try:
            pyconfig = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pyconfig = {}
        tool = pyconfig.get("tool", {})
        own = tool.get("claude-tui", {}) if isinstance(tool, dict) else {}
        validation = own.get("validation", {}) if isinstance(own, dict) else {}
        command = validation.get("test-command") if isinstance(validation, dict) else None
        if isinstance(command, str) and command.strip():
            return TestCommand(tuple(shlex.split(command)), "configured")
    if _uses_pytest(root, pyconfig):
        return TestCommand(
            (
                _project_python(root),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                # One module that cannot import must not hide the results of all the others.
                "--continue-on-collection-errors",
                f"--junitxml={JUNIT_PLACEHOLDER}",
            ),
            "pytest",
        )
    package = root / "package.json"
    if package.is_file():
        try:
            scripts = json.loads(package.read_text(encoding="utf-8")).get("scripts", {})
        except (ValueError, UnicodeDecodeError, AttributeError):
            scripts = {}
        if isinstance(scripts, dict) and "test" in scripts:
            return TestCommand(("npm", "test", "--silent"), "npm")
    if (root / "go.mod").is_file():
        return TestCommand(("go", "test", "-json", "./..."), "go")
    if (root / "Cargo.toml").is_file():
        return TestCommand(("cargo", "test", "--offline"), "cargo")
    return None


def _uses_pytest(root: Path, pyconfig: dict[str, object]) -> bool:
    tool = pyconfig.get("tool")
    if isinstance(tool, dict) and "pytest" in tool:
        return True
    if any((root / name).is_file() for name in ("pytest.ini", "conftest.py", "tox.ini")):
        return True
    tests = root / "tests"
    if tests.is_dir() and any(tests.rglob("test_*.py")):
        return True
    return any(root.glob("test_*.py"))


def _project_python(root: Path) -> str:
    for name in (".venv", "venv"):
        candidate = root / name / "bin" / "python"
        if candidate.is_file():
            return str(candidate)
    return sys.executable


# The probe, under the name the engine's callers know it by.
bwrap_status = sandbox_status


def _set_limits(limits: ExecutionLimits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_tests(
    root: Path,
    command: TestCommand,
    limits: ExecutionLimits | None = None,
    allow_unsandboxed: bool = False,
    environment: TestEnvironment | None = None,
) -> ExecutionResult:
    """Run ``command`` in ``root`` under the limits and count what the tests reported.

    ``environment`` (for pytest) says which interpreter runs the tests, what it needs on the
    path and which directories outside the workspace the sandbox shows it, read-only.

    Raises :class:`SandboxRequiredError` when bubblewrap cannot start, unless
    ``allow_unsandboxed`` says to run the project's code as a plain subprocess.
    """
    limits = limits or ExecutionLimits()
    if not root.is_dir():
        raise InvalidTargetError(f"{root} is not a directory")
    root = root.resolve()
    try:
        sandboxed = require_sandbox(allow_unsandboxed)
    except SandboxUnavailableError as exc:
        raise SandboxRequiredError(str(exc)) from exc
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ctui-junit-") as report_dir:
        junit_path = Path(report_dir) / "junit.xml"
        argv = [arg.replace(JUNIT_PLACEHOLDER, str(junit_path)) for arg in command.argv]
        if sandboxed:
            sandbox = SANDBOX_BWRAP
            spec = SandboxSpec(
                workspace=root,
                writable=(Path(report_dir),),
                read_only=environment.read_only if environment else (),
                network=limits.network,
            )
            full = sandbox_argv(argv, spec)
            notes.append("bubblewrap sandbox: workspace writable, network off, limits applied")
        else:
            sandbox = SANDBOX_SUBPROCESS
            full = argv
            _, why_not = sandbox_status()
            notes.append(
                f"NOT SANDBOXED: {why_not}; ran as a plain subprocess with resource limits "
                "only, as the operator allowed"
            )
        env = sandbox_env(extra=environment.extra_env if environment else None)
        if environment is not None:
            notes.append(f"interpreter: {environment.description}")
            notes.extend(environment.notes)
        started = time.monotonic()
        timed_out = False
        try:
            process = subprocess.Popen(  # noqa: S603 - argv from the project's test configuration
                full,
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=lambda: _set_limits(limits),
            )
        except OSError as exc:
            return ExecutionResult(
                tuple(argv),
                sandbox,
                None,
                0.0,
                TestCounts(),
                notes=(*notes, f"could not start: {exc}"),
            )
        try:
            output, _ = process.communicate(timeout=limits.timeout_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            output, _ = process.communicate()
        duration = time.monotonic() - started
        text = output.decode("utf-8", errors="replace")
        counts, how = _counts(command, junit_path, text)
        if how:
            notes.append(how)
        failing, broken = _classify(command, junit_path, text, process.returncode, timed_out)
        return ExecutionResult(
            command=tuple(argv),
            sandbox=sandbox,
            exit_code=None if timed_out else process.returncode,
            duration_seconds=duration,
            counts=counts,
            timed_out=timed_out,
            notes=tuple(notes),
            output_tail=text[-4000:],
            environment=environment.description if environment else "",
            failing_tests=tuple(failing),
            environment_errors=tuple(broken),
        )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return


# What a test says when it could not run in its environment rather than when it failed.
_ENVIRONMENT_ERROR = re.compile(
    r"collection failure|ModuleNotFoundError|ImportError|No module named|"
    r"fixture '[^']+' not found|unrecognized arguments|PluginValidationError|"
    r"required plugins"
)
# pytest's exit codes for an internal error, a usage error and an empty collection.
_PYTEST_ENVIRONMENT_EXITS = {
    3: "pytest stopped with an internal error",
    4: "pytest refused its command line or configuration",
    5: "pytest collected no tests",
}


def _classify(
    command: TestCommand, junit_path: Path, output: str, exit_code: int | None, timed_out: bool
) -> tuple[list[str], list[str]]:
    """The failing tests, and the errors of the environment (not of the code under test)."""
    if command.runner != "pytest" or timed_out:
        return [], []
    problems: list[CaseProblem] = []
    if junit_path.is_file():
        try:
            problems = read_problems(junit_path)
        except JUnitError:
            problems = []
    failing: list[str] = []
    broken: list[str] = []
    for problem in problems:
        match = _ENVIRONMENT_ERROR.search(problem.text)
        if match:
            broken.append(f"{problem.test}: {_reason(problem.text, match)}")
        else:
            failing.append(problem.test)
    if exit_code in _PYTEST_ENVIRONMENT_EXITS and not problems:
        broken.append(f"{_PYTEST_ENVIRONMENT_EXITS[exit_code]}: {_last_error(output)}")
    elif exit_code not in (0, None) and not problems and not junit_path.is_file():
        # No report at all: the runner itself did not start (pytest missing, a bad interpreter).
        broken.append(f"the test runner did not start: {_last_error(output)}")
    return failing, broken


def _reason(text: str, match: re.Match[str]) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if _ENVIRONMENT_ERROR.search(line) and line != "collection failure":
            return line.lstrip("E ").strip()[:300]
    return match.group(0)


def _last_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or line.startswith(("ERROR", "error", "E ")):
            return line[:300]
    return (lines or ["no output"])[-1][:300]


_CARGO = re.compile(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored")
_PYTEST_LINE = re.compile(r"(\d+) (passed|failed|errors?|skipped)")
_TAP = re.compile(r"^# (pass|fail|skipped|todo|cancelled) (\d+)$", re.MULTILINE)


def _counts(command: TestCommand, junit_path: Path, output: str) -> tuple[TestCounts, str]:
    if command.writes_junit and junit_path.is_file():
        try:
            return parse_junit(junit_path), "counts from JUnit XML"
        except JUnitError as exc:
            return TestCounts(), f"JUnit report unreadable: {exc}"
    if command.runner == "go":
        return _go_counts(output), "counts from go test -json events"
    if command.runner == "cargo":
        totals = [0, 0, 0]
        for match in _CARGO.finditer(output):
            for i in range(3):
                totals[i] += int(match.group(i + 1))
        return TestCounts(
            passed=totals[0], failed=totals[1], skipped=totals[2]
        ), "counts from cargo"
    tap = {k: int(v) for k, v in _TAP.findall(output)}
    if tap:
        return (
            TestCounts(
                passed=tap.get("pass", 0),
                failed=tap.get("fail", 0),
                skipped=tap.get("skipped", 0) + tap.get("todo", 0),
            ),
            "counts from the TAP summary",
        )
    return TestCounts(), "the runner reported no counts that could be read; judged by exit code"


def _go_counts(output: str) -> TestCounts:
    passed = failed = skipped = 0
    for line in output.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or not event.get("Test"):
            continue
        action = event.get("Action")
        if action == "pass":
            passed += 1
        elif action == "fail":
            failed += 1
        elif action == "skip":
            skipped += 1
    return TestCounts(passed=passed, failed=failed, skipped=skipped)
