"""A workspace file with syntax highlighting."""

from __future__ import annotations

from rich.syntax import Syntax
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from claude_tui.tui.screens.base import AppScreen


class FileViewScreen(AppScreen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, project_id: int, path: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.path, id="status")
        with VerticalScroll():
            yield Static("Loading…", id="content")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        client = self.client
        if client is None:
            return
        content = await self.tui.call(
            client.read_file(self.project_id, self.path), doing="Opening the file"
        )
        if content is None:
            return
        lexer = Syntax.guess_lexer(self.path, content["text"])
        self.query_one("#content", Static).update(
            Syntax(content["text"], lexer, line_numbers=True, word_wrap=False)
        )
