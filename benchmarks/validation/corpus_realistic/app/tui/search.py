from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, ListItem, ListView, Static


class SearchPanel(Vertical):
    DEFAULT_CSS = """
    SearchPanel Input { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search projects…", id="query")
        yield ListView(id="results")
        yield Static("", id="status")

    @on(Input.Changed, "#query")
    def update(self, event: Input.Changed) -> None:
        results = self.query_one("#results", ListView)
        results.clear()
        matches = [p for p in self.app.projects if event.value.lower() in p.lower()]
        for name in matches[:50]:
            results.append(ListItem(Static(name)))
        self.query_one("#status", Static).update(f"{len(matches)} matches")
