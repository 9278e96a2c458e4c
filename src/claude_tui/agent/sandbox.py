"""The validation engine as the agent uses it: checks after edits, tests and commands sandboxed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from claude_tui.agent.tools.workspace import ToolError
from claude_tui.sandbox.bwrap import SandboxUnavailableError
from claude_tui.validation import (
    ExecutionLimits,
    SandboxRequiredError,
    ValidationEngineError,
    ValidationReport,
    validate_path,
)
from claude_tui.validation.execution import TestCommand, detect_test_command, run_tests
from claude_tui.validation.model import Check as EngineCheck
from claude_tui.validation.model import CheckFailure, ExecutionResult

MAX_COMMAND_OUTPUT = 8000


class EngineVerifier:
    """Runs the validation engine on one workspace (in a thread: the engine is synchronous)."""

    def __init__(
        self,
        root: Path,
        test_command: str | None = None,
        timeout_seconds: float = 300.0,
        allow_unsandboxed: bool = False,
        install_test_env: bool = True,
        test_env_dir: Path | None = None,
    ) -> None:
        self.root = root.resolve()
        self.test_command = test_command
        self.limits = ExecutionLimits(timeout_seconds=timeout_seconds)
        self.allow_unsandboxed = allow_unsandboxed
        self.install_test_env = install_test_env
        self.test_env_dir = test_env_dir

    async def check_changes(self, paths: list[str]) -> ValidationReport:
        """Syntax, placeholders, imports and names of the changed files."""
        return await asyncio.to_thread(self._check_files, paths)

    async def full_check(self) -> ValidationReport:
        """Every check on the project, and its test suite in the sandbox."""
        return await asyncio.to_thread(self._full)

    def _check_files(self, paths: list[str]) -> ValidationReport:
        merged = ValidationReport(root=str(self.root))
        for relative in paths:
            target = self.root / relative
            if not target.is_file():
                continue
            try:
                report = validate_path(target, workers=1)
            except ValidationEngineError as exc:
                merged.failures.append(CheckFailure(EngineCheck.SYNTAX, str(exc), relative))
                continue
            merged.files_checked += report.files_checked
            merged.findings.extend(f.with_path(relative) for f in report.findings)
            merged.failures.extend(report.failures)
            merged.checks = report.checks
        return merged

    def _full(self) -> ValidationReport:
        try:
            return validate_path(
                self.root,
                execute=True,
                test_command=self.test_command,
                limits=self.limits,
                workers=1,
                allow_unsandboxed=self.allow_unsandboxed,
                install_test_env=self.install_test_env,
                test_env_dir=self.test_env_dir,
            )
        except ValidationEngineError as exc:
            report = ValidationReport(root=str(self.root))
            report.failures.append(CheckFailure(EngineCheck.EXECUTION, str(exc)))
            return report


class SandboxCommands:
    """Commands and test runs of the model, in the engine's sandbox (no network)."""

    def __init__(
        self,
        root: Path,
        test_command: str | None = None,
        timeout_seconds: float = 300.0,
        allow_unsandboxed: bool = False,
    ) -> None:
        self.root = root.resolve()
        self.test_command = test_command
        self.limits = ExecutionLimits(timeout_seconds=timeout_seconds)
        self.allow_unsandboxed = allow_unsandboxed

    async def run_command(self, command: str) -> str:
        if not command.strip():
            raise ToolError("the command is empty")
        result = await self._run(TestCommand(("sh", "-c", command), "command"))
        return _command_text(command, result)

    async def _run(self, command: TestCommand) -> ExecutionResult:
        try:
            return await asyncio.to_thread(
                run_tests, self.root, command, self.limits, self.allow_unsandboxed
            )
        except SandboxRequiredError as exc:
            raise SandboxUnavailableError(str(exc)) from exc

    async def run_tests(self) -> str:
        found = await asyncio.to_thread(detect_test_command, self.root, self.test_command)
        if found is None:
            raise ToolError(
                "this project has no test command the platform recognises (pytest, npm test, "
                "go test, cargo test)"
            )
        result = await self._run(found)
        counts = result.counts
        state = "passed" if result.succeeded else "FAILED"
        head = (
            f"tests {state}: {counts.passed} passed, {counts.failed} failed, {counts.errors} "
            f"errors, {counts.skipped} skipped (exit {result.exit_code}, sandbox "
            f"{result.sandbox})"
        )
        return f"{head}\n{result.output_tail[-MAX_COMMAND_OUTPUT:]}"


def _command_text(command: str, result: ExecutionResult) -> str:
    if result.timed_out:
        status = f"timed out after {result.duration_seconds:.0f}s"
    elif result.exit_code is None:
        status = "could not start: " + "; ".join(result.notes)
    else:
        status = f"exit code {result.exit_code}"
    output = result.output_tail[-MAX_COMMAND_OUTPUT:] or "(no output)"
    return f"$ {command}\n[{status}; sandbox {result.sandbox}]\n{output}"
