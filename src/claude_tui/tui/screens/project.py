"""Project: tasks, workspace files, validation findings and audit findings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    LoadingIndicator,
    Static,
    TabbedContent,
    TabPane,
    Tree,
)

from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.widgets.progress import progress_bar, score_percent, status_text

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


class ProjectScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "new_task", "New task"),
        Binding("v", "validate", "Validate"),
        Binding("V", "validate_with_tests", "Validate+tests"),
        Binding("a", "audit", "Audit"),
        Binding("w", "workflow", "Workflow"),
        Binding("o", "open_file", "Open file", show=False),
        Binding("r", "refresh", "Refresh", show=False),
    ]

    def __init__(self, project: dict[str, Any]) -> None:
        super().__init__()
        self.project = project
        self.tasks: list[dict[str, Any]] = []
        self._audit_findings: list[dict[str, Any]] = []
        self._stale = False

    @property
    def project_id(self) -> int:
        return int(self.project["id"])

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), id="status")
        with TabbedContent(id="tabs"):
            with TabPane("Tasks", id="tab-tasks"):
                table: DataTable[Any] = DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
                table.add_columns("#", "Task", "Status", "Verified", "Claimed", "Tokens", "Cost")
                yield table
            with TabPane("Files", id="tab-files"):
                tree: Tree[str] = Tree(self.project["name"], data="", id="files")
                tree.root.expand()
                yield tree
            with TabPane("Validation", id="tab-validation"):
                yield Static("", id="validation-summary", classes="hint")
                findings: DataTable[Any] = DataTable(id="validation", cursor_type="row")
                findings.add_columns("Severity", "Check", "Where", "Message")
                yield findings
            with TabPane("Audit", id="tab-audit"):
                yield Static("", id="audit-summary", classes="hint")
                audit: DataTable[Any] = DataTable(id="audit", cursor_type="row")
                audit.add_columns("Severity", "Scanner", "Where", "Message")
                yield audit
                yield Static("", id="audit-detail")
        yield LoadingIndicator(id="busy")
        yield Footer()

    def _title(self) -> Text:
        role = self.project.get("role") or "admin"
        return Text.assemble(
            (self.project["name"], "bold"), f"  ({role})  ", (self.project["workspace_path"], "dim")
        )

    def on_mount(self) -> None:
        self.query_one("#busy").display = False
        self.query_one("#audit-detail").display = False
        self.load()

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.load_tasks()

    def action_refresh(self) -> None:
        self.load()

    def load(self) -> None:
        self.load_tasks()
        self.load_files(self.query_one("#files", Tree).root)
        self.load_validation()

    @work(exclusive=True, group="tasks")
    async def load_tasks(self) -> None:
        client = self.client
        if client is None:
            return
        tasks = await self.tui.call(client.list_tasks(self.project_id), doing="Loading tasks")
        if tasks is None:
            return
        self.tasks = tasks
        table = self.query_one("#tasks", DataTable)
        table.clear()
        for task in tasks:
            table.add_row(
                str(task["id"]),
                task["title"],
                status_text(task["status"]),
                progress_bar(task.get("verified_progress")),
                progress_bar(task.get("claimed_progress"), style="yellow"),
                f"{task.get('tokens_in', 0) + task.get('tokens_out', 0):,}",
                f"${float(task.get('cost_usd') or 0):.4f}",
                key=str(task["id"]),
            )

    @work(group="files")
    async def load_files(self, node: Any) -> None:
        client = self.client
        if client is None:
            return
        listing = await self.tui.call(
            client.list_files(self.project_id, node.data or ""), doing="Listing files"
        )
        if listing is None:
            return
        node.remove_children()
        for entry in listing:
            if entry["type"] == "directory":
                child = node.add(f"📁 {entry['name']}", data=entry["path"])
                child.allow_expand = True
            else:
                node.add_leaf(entry["name"], data=entry["path"])

    @on(Tree.NodeExpanded, "#files")
    def _expand(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node is not event.node.tree.root and not event.node.children:
            self.load_files(event.node)

    @on(Tree.NodeSelected, "#files")
    def _select_file(self, event: Tree.NodeSelected[str]) -> None:
        if not event.node.allow_expand and event.node.data:
            self.open_file(event.node.data)

    def action_open_file(self) -> None:
        node = self.query_one("#files", Tree).cursor_node
        if node is not None and not node.allow_expand and node.data:
            self.open_file(node.data)

    def open_file(self, path: str) -> None:
        from claude_tui.tui.screens.file_view import FileViewScreen

        self.app.push_screen(FileViewScreen(self.project_id, path))

    @work(exclusive=True, group="validation")
    async def load_validation(self) -> None:
        client = self.client
        if client is None:
            return
        reports = await self.tui.call(
            client.list_validations(self.project_id), doing="Loading validation reports"
        )
        if reports:
            self.show_validation(reports[0])

    def show_validation(self, report: dict[str, Any]) -> None:
        self.query_one("#validation-summary", Static).update(validation_summary(report))
        table = self.query_one("#validation", DataTable)
        table.clear()
        for finding in report.get("findings", []):
            table.add_row(*_finding_row(finding, "check"))

    def action_validate(self) -> None:
        self.run_validation(run_tests=False)

    def action_validate_with_tests(self) -> None:
        self.run_validation(run_tests=True)

    @work(exclusive=True, group="validation")
    async def run_validation(self, run_tests: bool) -> None:
        client = self.client
        if client is None:
            return
        self.query_one("#tabs", TabbedContent).active = "tab-validation"
        self.query_one("#validation-summary", Static).update(
            f"Validating: {'static checks and tests' if run_tests else 'static checks only'}…"
        )
        self.query_one("#busy").display = True
        try:
            report = await self.tui.call(
                client.validate_project(self.project_id, run_tests=run_tests), doing="Validation"
            )
        finally:
            self.query_one("#busy").display = False
        if report is None:
            self.load_validation()
            return
        self.show_validation(report)
        self.notify(f"Validation {'passed' if report.get('passed') else 'found problems'}.")

    def action_audit(self) -> None:
        self.run_audit()

    @work(exclusive=True, group="audit")
    async def run_audit(self) -> None:
        client = self.client
        if client is None:
            return
        self.query_one("#busy").display = True
        try:
            report = await self.tui.call(client.audit_project(self.project_id), doing="Audit")
        finally:
            self.query_one("#busy").display = False
        if report is None:
            return
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
        self._audit_findings = list(findings)
        for finding in findings:
            table.add_row(*_finding_row(finding, "scanner"))
        self._show_audit_detail(0)
        self.query_one("#tabs", TabbedContent).active = "tab-audit"

    @on(DataTable.RowHighlighted, "#audit")
    def _audit_row(self, event: DataTable.RowHighlighted) -> None:
        self._show_audit_detail(event.cursor_row)

    def _show_audit_detail(self, row: int) -> None:
        # The table scrolls sideways, so a long message is cut off at the right edge: the
        # highlighted finding is shown in full, wrapped, under the table.
        detail = self.query_one("#audit-detail", Static)
        detail.display = 0 <= row < len(self._audit_findings)
        if not detail.display:
            return
        severity, scanner, where, message = _finding_row(self._audit_findings[row], "scanner")
        detail.update(Text.assemble(severity, f"  {scanner}  ", (where, "bold"), "\n", message))

    @on(DataTable.RowSelected, "#tasks")
    def _open_task(self, event: DataTable.RowSelected) -> None:
        task = next((t for t in self.tasks if str(t["id"]) == str(event.row_key.value)), None)
        if task is not None:
            from claude_tui.tui.screens.task import TaskScreen

            self.app.push_screen(TaskScreen(self.project, task))

    def action_new_task(self) -> None:
        from claude_tui.tui.screens.task import TaskScreen

        self.app.push_screen(TaskScreen(self.project, None))

    def action_workflow(self) -> None:
        from claude_tui.tui.screens.workflow import WorkflowScreen

        self.app.push_screen(WorkflowScreen(self.project))

    def screen_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New task", "Write an instruction for the AI", self.action_new_task)
        yield SystemCommand(
            "Validate workspace", "Static checks of every file (v)", self.action_validate
        )
        yield SystemCommand(
            "Validate workspace with tests",
            "Static checks, then the project's tests in the sandbox (V)",
            self.action_validate_with_tests,
        )
        yield SystemCommand("Security audit", "Audit the workspace", self.action_audit)
        yield SystemCommand("Run workflow", "Run the sparc workflow", self.action_workflow)


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


def _finding_row(finding: dict[str, Any], kind: str) -> tuple[Text, str, str, str]:
    severity = str(finding.get("severity", "?"))
    where = str(finding.get("path") or finding.get("file") or "")
    line = finding.get("line")
    if line:
        where = f"{where}:{line}"
    return (
        Text(severity, style=SEVERITY_STYLE.get(severity, "")),
        str(finding.get(kind) or finding.get("rule") or ""),
        where,
        str(finding.get("message", "")),
    )
