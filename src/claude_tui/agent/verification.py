"""What the loop needs from the validation engine, and how its reports read to the model."""

from __future__ import annotations

from typing import Protocol

from claude_tui.validation.model import Severity, ValidationReport

#: Findings at or above this severity block a step from being accepted.
BLOCKING = Severity.MEDIUM
MAX_FINDINGS_SHOWN = 30


class Verifier(Protocol):
    """Checks a workspace with the validation engine."""

    async def check_changes(self, paths: list[str]) -> ValidationReport:
        """Fast checks of the changed files: syntax, placeholders, invented imports and names."""
        ...

    async def full_check(self) -> ValidationReport:
        """Every check on the whole project, including its test suite run in the sandbox."""
        ...


def blocking_findings(report: ValidationReport) -> int:
    return len(report.at_or_above(BLOCKING))


def passed(report: ValidationReport, require_tests: bool) -> bool:
    """True when nothing blocks and every check ran (and the tests passed when required)."""
    if not report.complete or blocking_findings(report):
        return False
    if require_tests:
        return report.execution is not None and report.execution.succeeded
    return True


def file_score(report: ValidationReport) -> float:
    """The share of checked files without a blocking finding (0 to 1), as reports score."""
    from claude_tui.services.validations import score_of

    return score_of(report, BLOCKING)


def verified_progress(report: ValidationReport) -> float:
    """Progress the engine can vouch for, 0-100; 100 only for a full check that passed."""
    if passed(report, require_tests=True):
        return 100.0
    execution = report.execution
    if execution is None or execution.counts.total == 0:
        return 0.0
    share = execution.counts.passed / execution.counts.total
    # Failing checks keep the score below 100 however many tests pass.
    return round(min(share * 100.0, 90.0), 1)


def describe(report: ValidationReport, require_tests: bool) -> str:
    """The report as the model reads it in a tool result."""
    lines: list[str] = []
    if passed(report, require_tests):
        lines.append(f"Validation passed ({report.files_checked} files checked).")
    else:
        lines.append("Validation FAILED. Fix these problems:")
    for finding in report.at_or_above(BLOCKING)[:MAX_FINDINGS_SHOWN]:
        lines.append(
            f"- {finding.path}:{finding.line}: [{finding.rule}] {finding.message}"
            + (f"\n    {finding.line_text}" if finding.line_text else "")
        )
    hidden = blocking_findings(report) - MAX_FINDINGS_SHOWN
    if hidden > 0:
        lines.append(f"- ... and {hidden} more")
    for failure in report.failures:
        where = f" ({failure.path})" if failure.path else ""
        lines.append(f"- the {failure.check} check could not run{where}: {failure.reason}")
    execution = report.execution
    if execution is not None:
        counts = execution.counts
        state = "passed" if execution.succeeded else "FAILED"
        timed = " (timed out)" if execution.timed_out else ""
        lines.append(
            f"Tests {state}{timed}: {counts.passed} passed, {counts.failed} failed, "
            f"{counts.errors} errors, {counts.skipped} skipped "
            f"(`{' '.join(execution.command)}`, exit {execution.exit_code})."
        )
        if not execution.succeeded and execution.output_tail:
            lines.append("Test output (end):\n" + execution.output_tail[-3000:])
    elif require_tests:
        lines.append("The project's tests did not run.")
    return "\n".join(lines)
