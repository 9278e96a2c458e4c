"""A task's step log: its events as sentences, pending changes and diffs."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import RichLog

from claude_tui.client.steps import describe_event


class EventLog(RichLog):
    """Appends what happens in a task as a person reads it, never the events' JSON."""

    DEFAULT_CSS = """
    EventLog {
        height: 1fr;
        border: round $primary;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, highlight=False)

    def add_event(self, event: dict[str, Any]) -> bool:
        """Write the event as a sentence; False for an event not worth a line."""
        line = describe_event(event)
        if line is None:
            return False
        self.write(line)
        return True

    def add_unfinished_stream(self, text: str) -> None:
        """Text the model streamed whose turn ended before its message arrived."""
        self.write(Text.assemble(("The model said: ", "bold cyan"), text))

    def add_pending_change(self, call: str, change: RenderableType) -> None:
        """A call waiting for approval, with what it would change."""
        self.write(Text(f"Pending, not applied yet: {call}", "bold yellow"))
        self.write(change)

    def add_task_diff(self, branch: str, base_commit: str, diff: str) -> None:
        """Everything the task changed on its branch since it started."""
        self.write(Text(f"diff of {branch} since {base_commit[:10]}", "bold"))
        self.write(Syntax(diff or "(no changes)", "diff", word_wrap=True))
