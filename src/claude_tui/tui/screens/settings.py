"""F2: the server in use, the AI provider and model, the provider's API key, the theme."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from claude_tui.tui.screens.base import AppScreen

PROVIDERS = [("Anthropic", "anthropic"), ("OpenAI-compatible (Ollama, vLLM…)", "openai")]


class SettingsScreen(AppScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="dialog"):
            yield Static("Server", classes="title")
            yield Label(self.tui.connection.label, id="server")
            yield Static("AI provider", classes="title")
            yield Select(PROVIDERS, prompt="Provider", id="provider")
            yield Input(placeholder="Model, e.g. claude-sonnet-4-5 or llama3.1", id="model")
            yield Input(placeholder="Base URL (OpenAI-compatible servers only)", id="base_url")
            yield Input(
                placeholder="API key (stored by the server, encrypted; never shown again)",
                password=True,
                id="api_key",
            )
            yield Label("", id="provider_error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save provider", variant="primary", id="save")
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
        current = await self.tui.call(client.provider_settings(), doing="Loading provider")
        if current is None:
            return
        if current.get("provider"):
            self.query_one("#provider", Select).value = current["provider"]
        self.query_one("#model", Input).value = current.get("model") or ""
        self.query_one("#base_url", Input).value = current.get("base_url") or ""
        if current.get("api_key_set"):
            self.query_one("#api_key", Input).placeholder = "API key: set (type to replace)"

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.save()

    @work(exclusive=True, group="settings")
    async def save(self) -> None:
        client = self.client
        error = self.query_one("#provider_error", Label)
        provider = self.query_one("#provider", Select).value
        if client is None:
            return
        if not isinstance(provider, str):
            error.update("Choose a provider.")
            return
        payload: dict[str, Any] = {
            "provider": provider,
            "model": self.query_one("#model", Input).value.strip() or None,
            "base_url": self.query_one("#base_url", Input).value.strip() or None,
        }
        key_input = self.query_one("#api_key", Input)
        if key_input.value:
            payload["api_key"] = key_input.value
        from claude_tui.client import ApiError

        try:
            await client.update_provider_settings(payload)
        except ApiError as exc:
            error.update(exc.detail or exc.title)
            return
        key_input.value = ""
        error.update("")
        self.tui.server_info["provider"] = provider
        self.notify("Provider saved.")
