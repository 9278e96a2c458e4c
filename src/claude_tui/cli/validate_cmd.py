"""``validate PATH``: the anti-hallucination checks on a project; ``mcp``: the same checks as
tools of a Model Context Protocol server on stdio.

Exit 0 clean, 1 findings at or above ``--fail-on``, 2 the project could not be validated
(a check could not run, a bad revision or path), with the reason on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from claude_tui.cli.common import CliError, one_line_errors

if TYPE_CHECKING:
    from claude_tui.validation import ValidationReport

FORMATS = ("text", "json", "sarif")
SEVERITIES = ("low", "medium", "high")
#: Trees at least this large show a progress bar on an interactive terminal.
PROGRESS_MIN_FILES = 200


def validate(
    path: Annotated[Path, typer.Argument(help="File or directory to validate.")] = Path("."),
    changed_since: Annotated[
        str | None,
        typer.Option(
            help="Check only files (and, for placeholders, lines) changed since this git revision."
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output on stdout: text, json or sarif.")
    ] = "text",
    fail_on: Annotated[
        str, typer.Option(help="Lowest severity that fails (exit 1): low, medium or high.")
    ] = "medium",
    no_exec: Annotated[
        bool, typer.Option("--no-exec", help="Do not run the project's tests.")
    ] = False,
    test_command: Annotated[
        str | None, typer.Option(help="Test command to run instead of the detected one.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Wall-clock limit of the test run, in seconds.", min=1)
    ] = 600.0,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Check every file even if unchanged.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: one per CPU).", min=1)
    ] = None,
    python: Annotated[
        Path | None,
        typer.Option(
            "--python",
            help="Interpreter to run a pytest suite with (default: the project's virtualenv, "
            "else one built from its declared dependencies).",
        ),
    ] = None,
    no_install: Annotated[
        bool,
        typer.Option(
            "--no-install",
            help="Do not build a test environment from the declared dependencies (no network); "
            "without a project virtualenv the tests run with claude-tui's interpreter "
            "(also CLAUDE_TUI_VALIDATION_INSTALL_TEST_ENV=false).",
        ),
    ] = False,
    allow_unsandboxed: Annotated[
        bool,
        typer.Option(
            "--allow-unsandboxed",
            envvar="CLAUDE_TUI_ALLOW_UNSANDBOXED",
            help="DANGEROUS: where bubblewrap cannot start, run the tests as a plain "
            "subprocess with your user's files, secrets and network (reported as a finding).",
        ),
    ] = False,
) -> None:
    """Check a project for incomplete, invented and unverified work."""
    from claude_tui.validation import (
        ExecutionLimits,
        ResultCache,
        Severity,
        ValidationEngineError,
        to_sarif,
        validate_path,
    )

    if output_format not in FORMATS:
        raise CliError(f"--format must be one of {', '.join(FORMATS)}, got {output_format!r}")
    if fail_on not in SEVERITIES:
        raise CliError(f"--fail-on must be one of {', '.join(SEVERITIES)}, got {fail_on!r}")
    if not path.exists():
        raise CliError(f"{path} does not exist")
    if python is not None and not python.is_file():
        raise CliError(f"--python {python}: no such interpreter")
    from claude_tui.cli.common import load_settings

    settings = load_settings()
    cache = None
    if not no_cache:
        cache = ResultCache.default(redis_url=settings.redis_url)
    try:
        with _progress_bar() as progress:
            report = validate_path(
                path,
                changed_since=changed_since,
                execute=not no_exec,
                test_command=test_command,
                limits=ExecutionLimits(timeout_seconds=timeout),
                cache=cache,
                workers=workers,
                progress=progress,
                allow_unsandboxed=allow_unsandboxed,
                test_python=None if python is None else str(python.absolute()),
                install_test_env=settings.validation_install_test_env and not no_install,
                test_env_dir=settings.validation_test_env_dir,
            )
    except ValidationEngineError as exc:
        raise CliError(str(exc)) from exc

    if output_format == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2))
    elif output_format == "sarif":
        typer.echo(json.dumps(to_sarif(report), indent=2))
    else:
        typer.echo(render_text(report, Severity(fail_on)))
    if not report.complete:
        reasons = "; ".join(f"{f.check.value}: {f.reason}" for f in report.failures)
        typer.secho(f"claude-tui: could not validate completely: {reasons}", err=True, fg="red")
        raise typer.Exit(2)
    if report.at_or_above(Severity(fail_on)):
        raise typer.Exit(1)


class _Progress:
    """A rich progress bar on stderr, shown only for large trees on a terminal."""

    def __init__(self) -> None:
        self._bar: object | None = None
        self._task: int | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task("validating", total=total)
            self._bar = bar
        assert self._task is not None
        self._bar.update(self._task, completed=done)  # type: ignore[attr-defined]

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]


def _progress_bar() -> _Progress:
    return _Progress()


def render_text(report: ValidationReport, threshold: object) -> str:
    """The report as lines a person reads: one per finding, then execution and a summary."""
    from claude_tui.validation import Severity

    assert isinstance(threshold, Severity)
    lines = []
    for finding in report.findings:
        where = f"{finding.path}:{finding.line}:{finding.column}" if finding.path else "(project)"
        lines.append(
            f"{where}: {finding.severity.value.upper()} [{finding.rule}] {finding.message}"
        )
    execution = report.execution
    if execution is not None:
        counts = execution.counts
        lines.append(
            f"tests: {counts.passed} passed, {counts.failed} failed, {counts.errors} errors, "
            f"{counts.skipped} skipped in {execution.duration_seconds:.1f}s "
            f"({execution.sandbox}: {'; '.join(execution.notes)})"
        )
    for language, checker in report.checkers.items():
        lines.append(f"syntax of {language}: {checker}")
    for failure in report.failures:
        where = f" ({failure.path})" if failure.path else ""
        lines.append(f"NOT CHECKED: {failure.check.value}{where}: {failure.reason}")
    counts_by = report.counts_by_severity()
    blocking = len(report.at_or_above(threshold))
    lines.append(
        f"{report.files_checked} files ({report.files_from_cache} from cache) in "
        f"{report.duration_seconds:.2f}s: {counts_by['high']} high, {counts_by['medium']} medium, "
        f"{counts_by['low']} low; {blocking} at or above {threshold.value}"
    )
    return "\n".join(lines)


def mcp() -> None:
    """Serve the validation engine to MCP clients (Claude Code, Codex...) on stdin/stdout."""
    from claude_tui.mcp_server import build_server

    build_server().run("stdio")


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``mcp`` to the main command."""
    app.command("validate")(one_line_errors(validate))
    app.command("mcp")(one_line_errors(mcp))
