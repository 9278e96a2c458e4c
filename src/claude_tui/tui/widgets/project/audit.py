"""The workspace's last security audit, with the highlighted finding shown in full."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabPane

from claude_tui.tui.widgets.project.findings import finding_row


class AuditTab(TabPane):
    DEFAULT_CSS = """
    AuditTab {
        height: 1fr;
        padding: 0;
    }
    /* The highlighted finding in full: long messages wrap here instead of running off. */
    AuditTab #audit-detail {
        height: auto;
        max-height: 8;
        border-top: solid $primary;
        padding: 0 1;
        display: none;
    }
    """

    def __init__(self) -> None:
        super().__init__("Audit", id="tab-audit")
        self.findings: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="audit-summary", classes="hint")
        audit: DataTable[Any] = DataTable(id="audit", cursor_type="row")
        audit.add_columns("Severity", "Scanner", "Where", "Message")
        yield audit
        yield Static("", id="audit-detail")

    def show(self, report: dict[str, Any]) -> None:
        findings = report.get("findings", [])
        not_run = [
            f"{s['name']} ({s['status']})"
            for s in report.get("scanners", [])
            if s.get("status") not in ("completed", "nothing to scan")
        ]
        self.query_one("#audit-summary", Static).update(
            f"Audit: {report.get('verdict', '?')}, {len(findings)} finding(s); "
            f"not completed: {', '.join(not_run) or 'none'}"
        )
        table = self.query_one("#audit", DataTable)
        table.clear()
        self.findings = list(findings)
        for finding in findings:
            table.add_row(*finding_row(finding, "scanner"))
        self._show_detail(0)

    @on(DataTable.RowHighlighted, "#audit")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        # The table scrolls sideways, so a long message is cut off at the right edge: the
        # highlighted finding is shown in full, wrapped, under the table.
        detail = self.query_one("#audit-detail", Static)
        detail.display = 0 <= row < len(self.findings)
        if not detail.display:
            return
        severity, scanner, where, message = finding_row(self.findings[row], "scanner")
        detail.update(Text.assemble(severity, f"  {scanner}  ", (where, "bold"), "\n", message))
