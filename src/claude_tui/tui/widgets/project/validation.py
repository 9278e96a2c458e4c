"""The workspace's last validation report: what ran, when, and its findings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabPane

from claude_tui.tui.widgets.progress import score_percent
from claude_tui.tui.widgets.project.findings import finding_row


class ValidationTab(TabPane):
    DEFAULT_CSS = """
    ValidationTab {
        height: 1fr;
        padding: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__("Validation", id="tab-validation")

    def compose(self) -> ComposeResult:
        yield Static("", id="validation-summary", classes="hint")
        findings: DataTable[Any] = DataTable(id="validation", cursor_type="row")
        findings.add_columns("Severity", "Check", "Where", "Message")
        yield findings

    def show_running(self, run_tests: bool) -> None:
        self.query_one("#validation-summary", Static).update(
            f"Validating: {'static checks and tests' if run_tests else 'static checks only'}…"
        )

    def show(self, report: dict[str, Any]) -> None:
        self.query_one("#validation-summary", Static).update(validation_summary(report))
        table = self.query_one("#validation", DataTable)
        table.clear()
        for finding in report.get("findings", []):
            table.add_row(*finding_row(finding, "check"))


def validation_summary(report: dict[str, Any]) -> str:
    """One line: the verdict, the score, what ran, and when (so reruns are told apart)."""
    summary = report.get("summary") or {}
    verdict = "passed" if report.get("passed") else "failed"
    findings = len(report.get("findings", []))
    line = (
        f"Validation report #{report.get('id', '?')} at {_local_time(report.get('created_at'))}: "
        f"{verdict}, score {score_percent(report.get('score') or 0)}, {findings} finding(s); "
    )
    if "execution" not in summary.get("checks", []):
        return line + "static checks only (press V to run the tests too)."
    execution = summary.get("execution")
    if not isinstance(execution, dict):
        failures = [f for f in summary.get("failures", []) if f.get("check") == "execution"]
        reason = failures[0].get("reason") if failures else "no result"
        return line + f"static checks and tests, but the tests could not run: {reason}."
    counts = execution.get("counts") or {}
    return line + (
        f"static checks and tests ({counts.get('passed', 0)} passed, "
        f"{counts.get('failed', 0)} failed, {counts.get('errors', 0)} errors)."
    )


def _local_time(stamp: object) -> str:
    if not isinstance(stamp, str):
        return "?"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M:%S")
