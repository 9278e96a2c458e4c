"""The project tabs and the step log on their own: in a bare app, without the app's stylesheet.

Each widget carries its own styles and tells its parent what the person did with messages,
so it looks and behaves the same wherever it is mounted.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static, TabbedContent, Tree

from claude_tui.tui.widgets.event_log import EventLog
from claude_tui.tui.widgets.project import AuditTab, FilesTab, TasksTab, ValidationTab


class Bare(App[None]):
    """No CSS of its own: only the widgets' DEFAULT_CSS applies."""

    def __init__(self, *widgets: Any) -> None:
        super().__init__()
        self.widgets = widgets
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        if all(isinstance(w, TasksTab | FilesTab | ValidationTab | AuditTab) for w in self.widgets):
            with TabbedContent():
                yield from self.widgets
        else:
            yield from self.widgets

    def on_tasks_tab_opened(self, message: TasksTab.Opened) -> None:
        self.received.append(message)

    def on_files_tab_folder_opened(self, message: FilesTab.FolderOpened) -> None:
        self.received.append(message)

    def on_files_tab_file_chosen(self, message: FilesTab.FileChosen) -> None:
        self.received.append(message)


def _lines(log: EventLog) -> list[str]:
    return [line.text for line in log.lines]


async def test_event_log_writes_events_as_sentences_with_its_own_frame() -> None:
    app = Bare(EventLog(id="events"))
    async with app.run_test(size=(100, 30)) as pilot:
        log = app.query_one(EventLog)
        call = {"name": "edit_file", "arguments": {"path": "calc.py", "edits": [{}]}}
        assert log.add_event({"kind": "agent.tool_call", "payload": call})
        # A piece of streamed text is not a line of its own.
        assert not log.add_event({"kind": "agent.model_text", "payload": {"text": "Let"}})
        assert log.add_event(
            {"kind": "task.status", "payload": {"to": "running", "reason": "claimed"}}
        )
        log.add_unfinished_stream("Let me look at calc.py")
        log.add_task_diff("claude-tui/task-7", "0123456789abcdef", "")
        await pilot.pause()
        text = "\n".join(_lines(log))
        assert "The agent will edit calc.py (1 change)." in text
        assert "The task is now running: claimed." in text
        assert "The model said: Let me look at calc.py" in text
        assert "diff of claude-tui/task-7 since 0123456789" in text
        assert "(no changes)" in text
        assert "{" not in text
        assert log.styles.border_top[0] == "round"
        assert log.styles.height is not None
        assert log.styles.height.is_fraction


async def test_audit_tab_shows_the_highlighted_finding_in_full_under_the_table() -> None:
    message = "A hard-coded password is passed to connect(); " * 6
    report = {
        "verdict": "fail",
        "findings": [
            {
                "severity": "high",
                "scanner": "bandit",
                "path": "db.py",
                "line": 3,
                "message": message,
            }
        ],
        "scanners": [
            {"name": "bandit", "status": "completed"},
            {"name": "pip-audit", "status": "failed"},
        ],
    }
    app = Bare(AuditTab())
    async with app.run_test(size=(80, 24)) as pilot:
        tab = app.query_one(AuditTab)
        detail = tab.query_one("#audit-detail", Static)
        assert not detail.display  # nothing to detail before an audit
        tab.show(report)
        await pilot.pause()
        assert detail.display
        assert detail.styles.max_height is not None
        assert detail.styles.max_height.value == 8
        assert detail.styles.border_top[0] == "solid"
        shown = str(detail.render())
        assert "db.py:3" in shown
        assert "".join(shown.split()).count("connect()") == 6  # wrapped, not cut off
        summary = str(tab.query_one("#audit-summary", Static).render())
        assert "1 finding(s); not completed: pip-audit (failed)" in summary


async def test_validation_tab_says_what_ran() -> None:
    report = {
        "id": 4,
        "passed": False,
        "score": 0.73,
        "created_at": "2026-01-01T10:00:00+00:00",
        "summary": {"checks": ["syntax", "placeholders"]},
        "findings": [{"severity": "medium", "check": "placeholders", "path": "a.py"}],
    }
    app = Bare(ValidationTab())
    async with app.run_test(size=(120, 24)) as pilot:
        tab = app.query_one(ValidationTab)
        tab.show_running(run_tests=True)
        await pilot.pause()
        summary = tab.query_one("#validation-summary", Static)
        assert "static checks and tests" in str(summary.render())
        tab.show(report)
        await pilot.pause()
        shown = str(summary.render())
        assert "report #4" in shown
        assert "score 73 %" in shown
        assert "static checks only" in shown
        assert tab.query_one("#validation", DataTable).row_count == 1


async def test_tasks_tab_tells_its_parent_which_task_was_opened() -> None:
    tasks = [
        {"id": 1, "title": "Add a discount", "status": "succeeded", "tokens_in": 10},
        {"id": 2, "title": "Fix rounding", "status": "running", "tokens_out": 5},
    ]
    app = Bare(TasksTab())
    async with app.run_test(size=(100, 20)) as pilot:
        tab = app.query_one(TasksTab)
        tab.show(tasks)
        table = tab.query_one("#tasks", DataTable)
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        opened = [m for m in app.received if isinstance(m, TasksTab.Opened)]
        assert [m.task["title"] for m in opened] == ["Fix rounding"]


async def test_files_tab_asks_for_a_folder_listing_and_reports_the_chosen_file() -> None:
    app = Bare(FilesTab("shop"))
    async with app.run_test(size=(80, 20)) as pilot:
        tab = app.query_one(FilesTab)
        tab.fill(
            tab.root,
            [
                {"type": "directory", "name": "src", "path": "src"},
                {"type": "file", "name": "README.md", "path": "README.md"},
            ],
        )
        tree = tab.query_one("#files", Tree)
        tree.focus()
        await pilot.pause()
        await pilot.press("down", "enter")  # the src folder: not listed yet
        await pilot.pause()
        folders = [m for m in app.received if isinstance(m, FilesTab.FolderOpened)]
        assert [m.path for m in folders] == ["src"]
        await pilot.press("down", "enter")  # README.md
        await pilot.pause()
        chosen = [m.path for m in app.received if isinstance(m, FilesTab.FileChosen)]
        assert chosen == ["README.md"]
        tab.choose_highlighted()  # the "o" key of the project screen
        await pilot.pause()
        chosen = [m.path for m in app.received if isinstance(m, FilesTab.FileChosen)]
        assert chosen == ["README.md", "README.md"]
