"""F2: the server in use, the AI provider tasks run with, and the theme."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Select, Static

from claude_tui.tui.screens.base import AppScreen

PROVIDER_HELP = (
    "The server's operator chooses the provider: CLAUDE_TUI_AGENT_PROVIDER=anthropic with "
    "ANTHROPIC_API_KEY, or CLAUDE_TUI_AGENT_PROVIDER=openai with CLAUDE_TUI_AGENT_BASE_URL "
    "(e.g. Ollama at http://localhost:11434/v1) and CLAUDE_TUI_AGENT_MODEL. Keys are read by "
    "the server only and never shown here."
)


class SettingsScreen(AppScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="dialog"):
            yield Static("Server", classes="title")
            yield Label(self.tui.connection.label, id="server")
            yield Static("AI provider", classes="title")
            yield Label("…", id="provider")
            yield Static(PROVIDER_HELP, classes="hint")
            yield Static("Theme", classes="title")
            yield Select(
                [(name, name) for name in sorted(self.app.available_themes)],
                value=self.app.theme,
                allow_blank=False,
                id="theme",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="settings")
    async def load(self) -> None:
        client = self.client
        if client is None:
            return
        status = await self.tui.call(client.agent_status(), doing="Loading the provider")
        if status is not None:
            self.query_one("#provider", Label).update(
                status["detail"]
                if status.get("configured")
                else f"Not configured: {status['detail']}"
            )

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value
