"""Project: tasks, workspace files, validation findings and audit findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Footer, Header, LoadingIndicator, Static, TabbedContent
from textual.widgets.tree import TreeNode

from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.widgets.project import AuditTab, FilesTab, TasksTab, ValidationTab


class ProjectScreen(AppScreen):
    DEFAULT_CSS = """
    ProjectScreen TabbedContent {
        height: 1fr;
    }
    ProjectScreen #busy {
        height: 1;
        display: none;
    }
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "new_task", "New task"),
        Binding("v", "validate", "Validate"),
        Binding("V", "validate_with_tests", "With tests"),
        Binding("a", "audit", "Audit"),
        Binding("w", "workflow", "Workflow"),
        Binding("o", "open_file", "Open file", show=False),
        Binding("r", "refresh", "Refresh", show=False),
    ]

    def __init__(self, project: dict[str, Any]) -> None:
        super().__init__()
        self.project = project
        self._stale = False

    @property
    def project_id(self) -> int:
        return int(self.project["id"])

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), id="status")
        with TabbedContent(id="tabs"):
            yield TasksTab()
            yield FilesTab(self.project["name"])
            yield ValidationTab()
            yield AuditTab()
        yield LoadingIndicator(id="busy")
        yield Footer()

    def _title(self) -> Text:
        role = self.project.get("role") or "admin"
        return Text.assemble(
            (self.project["name"], "bold"), f"  ({role})  ", (self.project["workspace_path"], "dim")
        )

    def on_mount(self) -> None:
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
        self.load_files(self.query_one(FilesTab).root)
        self.load_validation()

    def _busy(self, busy: bool) -> None:
        self.query_one("#busy").display = busy

    @work(exclusive=True, group="tasks")
    async def load_tasks(self) -> None:
        client = self.client
        if client is None:
            return
        tasks = await self.tui.call(client.list_tasks(self.project_id), doing="Loading tasks")
        if tasks is not None:
            self.query_one(TasksTab).show(tasks)

    @work(group="files")
    async def load_files(self, node: TreeNode[str]) -> None:
        client = self.client
        if client is None:
            return
        listing = await self.tui.call(
            client.list_files(self.project_id, node.data or ""), doing="Listing files"
        )
        if listing is not None:
            self.query_one(FilesTab).fill(node, listing)

    def on_files_tab_folder_opened(self, message: FilesTab.FolderOpened) -> None:
        self.load_files(message.node)

    def on_files_tab_file_chosen(self, message: FilesTab.FileChosen) -> None:
        self.open_file(message.path)

    def action_open_file(self) -> None:
        self.query_one(FilesTab).choose_highlighted()

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
            self.query_one(ValidationTab).show(reports[0])

    def action_validate(self) -> None:
        self.run_validation(run_tests=False)

    def action_validate_with_tests(self) -> None:
        self.run_validation(run_tests=True)

    @work(exclusive=True, group="validation")
    async def run_validation(self, run_tests: bool) -> None:
        client = self.client
        if client is None:
            return
        tab = self.query_one(ValidationTab)
        self.query_one("#tabs", TabbedContent).active = "tab-validation"
        tab.show_running(run_tests)
        self._busy(True)
        try:
            report = await self.tui.call(
                client.validate_project(self.project_id, run_tests=run_tests), doing="Validation"
            )
        finally:
            self._busy(False)
        if report is None:
            self.load_validation()
            return
        tab.show(report)
        self.notify(f"Validation {'passed' if report.get('passed') else 'found problems'}.")

    def action_audit(self) -> None:
        self.run_audit()

    @work(exclusive=True, group="audit")
    async def run_audit(self) -> None:
        client = self.client
        if client is None:
            return
        self._busy(True)
        try:
            report = await self.tui.call(client.audit_project(self.project_id), doing="Audit")
        finally:
            self._busy(False)
        if report is None:
            return
        self.query_one(AuditTab).show(report)
        self.query_one("#tabs", TabbedContent).active = "tab-audit"

    def on_tasks_tab_opened(self, message: TasksTab.Opened) -> None:
        from claude_tui.tui.screens.task import TaskScreen

        self.app.push_screen(TaskScreen(self.project, message.task))

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
