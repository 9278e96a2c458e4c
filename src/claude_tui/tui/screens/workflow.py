"""Workflow: run the sparc workflow on a goal and watch its graph progress."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Header, Input, ProgressBar, Static

from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.widgets.progress import progress_bar, status_text

DONE = {"succeeded", "failed", "cancelled"}


class WorkflowScreen(AppScreen):
    DEFAULT_CSS = """
    WorkflowScreen #goal {
        width: 1fr;
    }
    """

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "refresh", "Refresh")]

    def __init__(self, project: dict[str, Any]) -> None:
        super().__init__()
        self.project = project
        self.workflow: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Workflow in {self.project['name']}", id="status")
        with Horizontal(classes="buttons"):
            yield Input(placeholder="Goal, e.g. 'a CLI that converts CSV to JSON'", id="goal")
            yield Button("Run sparc", variant="primary", id="run")
        yield ProgressBar(total=1, id="progress", show_eta=False)
        table: DataTable[Any] = DataTable(id="graph", cursor_type="row")
        table.add_columns("#", "Task", "Depends on", "Status", "Verified")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        # Nothing to measure until a workflow runs; an empty bar would only animate.
        self.query_one("#progress", ProgressBar).display = False

    @on(Button.Pressed, "#run")
    @on(Input.Submitted, "#goal")
    def _run(self) -> None:
        self.start()

    @work(exclusive=True, group="workflow")
    async def start(self) -> None:
        client = self.client
        goal = self.query_one("#goal", Input).value.strip()
        if client is None:
            return
        if not goal:
            self.notify("Describe the goal first.", severity="warning")
            return
        workflow = await self.tui.call(
            client.create_sparc_workflow(int(self.project["id"]), goal),
            doing="Creating the workflow",
        )
        if workflow is None:
            return
        self.workflow = workflow
        started = await self.tui.call(
            client.run_workflow(int(workflow["id"])), doing="Starting the workflow"
        )
        self.show(started or workflow)

    def action_refresh(self) -> None:
        self.reload()

    @work(exclusive=True, group="workflow")
    async def reload(self) -> None:
        client = self.client
        if client is None or self.workflow is None:
            return
        workflow = await self.tui.call(
            client.get_workflow(int(self.workflow["id"])), doing="Loading the workflow"
        )
        if workflow is not None:
            self.show(workflow)

    def show(self, workflow: dict[str, Any]) -> None:
        self.workflow = workflow
        tasks = workflow.get("tasks", [])
        table = self.query_one("#graph", DataTable)
        table.clear()
        for task in tasks:
            table.add_row(
                str(task["id"]),
                task["title"],
                ", ".join(f"#{d}" for d in task.get("depends_on", [])) or "-",
                status_text(task["status"]),
                progress_bar(task.get("verified_progress")),
            )
        done = sum(1 for t in tasks if t["status"] in DONE)
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(1, len(tasks)), progress=done)
        self.query_one("#status", Static).update(
            Text.assemble(
                (f"Workflow {workflow.get('name', '')}", "bold"),
                f"  {done}/{len(tasks)} finished  ",
                status_text(str(workflow.get("status", ""))),
            )
        )
