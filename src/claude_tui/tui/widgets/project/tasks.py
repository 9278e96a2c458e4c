"""The project's tasks with their verified and claimed progress."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, TabPane

from claude_tui.tui.widgets.progress import progress_bar, status_text


class TasksTab(TabPane):
    DEFAULT_CSS = """
    TasksTab {
        height: 1fr;
        padding: 0;
    }
    """

    class Opened(Message):
        """The person chose a task to open."""

        def __init__(self, task: dict[str, Any]) -> None:
            super().__init__()
            self.task = task

    def __init__(self) -> None:
        super().__init__("Tasks", id="tab-tasks")
        self.tasks: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        table: DataTable[Any] = DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "Task", "Status", "Verified", "Claimed", "Tokens", "Cost")
        yield table

    def show(self, tasks: list[dict[str, Any]]) -> None:
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

    @on(DataTable.RowSelected, "#tasks")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        task = next((t for t in self.tasks if str(t["id"]) == str(event.row_key.value)), None)
        if task is not None:
            self.post_message(self.Opened(task))
