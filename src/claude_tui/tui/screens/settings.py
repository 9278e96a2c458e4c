"""F2: the server in use, the AI provider tasks run with (and its API key), and the theme."""

from __future__ import annotations

import contextlib
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from claude_tui.tui.messages import Connected
from claude_tui.tui.screens.base import AppScreen

SERVER_DEFAULT = "default"
PROVIDERS = ("anthropic", "openai", "claude-code")
PROVIDER_HELP = (
    "Administrators choose the provider here; empty fields use the server's "
    "CLAUDE_TUI_AGENT_* settings. The key is sent to the server, kept there encrypted and "
    "never shown again; leave it empty to keep the stored one. Test connection tries the "
    "saved settings."
)


def key_state(stored: dict[str, Any]) -> str:
    """How the stored key is shown: whether one is set and its last four characters."""
    if not stored.get("api_key_set"):
        return "no key stored (the server's environment applies)"
    if not stored.get("api_key_readable", True):
        return "key set but unreadable (the server's secret key changed): enter it again"
    last4 = stored.get("api_key_last4")
    return f"key set (…{last4})" if last4 else "key set"


class SettingsScreen(AppScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="dialog"):
            yield Static("Server", classes="title")
            yield Label(self.tui.connection.label, id="server")
            yield Static("AI provider", classes="title")
            yield Label("…", id="provider")
            yield Select(
                [("Server default", SERVER_DEFAULT), *((name, name) for name in PROVIDERS)],
                value=SERVER_DEFAULT,
                allow_blank=False,
                id="provider-name",
            )
            yield Input(placeholder="Model (empty: the server's default)", id="provider-model")
            yield Input(placeholder="Base URL (empty: the provider's own)", id="provider-url")
            yield Input(
                placeholder="API key (empty: keep the stored one)", password=True, id="api-key"
            )
            yield Label("…", id="key-state")
            with Horizontal(classes="buttons"):
                yield Button("Remove key", id="clear-key")
                yield Button("Test connection", id="test-provider")
                yield Button("Save", variant="primary", id="save-provider")
            yield Label("", id="provider-check")
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
        self.query_one("#provider-name", Select).focus()
        self.load()

    def on_connected(self, message: Connected) -> None:
        # Opened before the server answered: fill the form now that it can be read.
        if message.ok:
            self.load()

    @work(exclusive=True, group="settings")
    async def load(self) -> None:
        client = self.client
        if client is None:
            return
        stored = await self.tui.call(client.provider_settings(), doing="Loading the settings")
        status = await self.tui.call(client.agent_status(), doing="Loading the provider")
        # Both at once: the form must not move under the pointer after it looks loaded.
        try:
            if stored is not None:
                self._show_stored(stored, fill=True)
            self._show_provider(status)
        except NoMatches:  # the screen was closed while the answers were on their way
            return

    async def _show_status(self) -> None:
        client = self.client
        if client is None:
            return
        status = await self.tui.call(client.agent_status(), doing="Loading the provider")
        with contextlib.suppress(NoMatches):  # closed meanwhile: nobody to show it to
            self._show_provider(status)

    def _show_provider(self, status: dict[str, Any] | None) -> None:
        if status is not None:
            self.query_one("#provider", Label).update(
                status["detail"]
                if status.get("configured")
                else f"Not configured: {status['detail']}"
            )

    def _show_stored(self, stored: dict[str, Any], *, fill: bool) -> None:
        self.query_one("#key-state", Label).update(key_state(stored))
        if fill:
            self.query_one("#provider-name", Select).value = stored.get("provider") or (
                SERVER_DEFAULT
            )
            self.query_one("#provider-model", Input).value = stored.get("model") or ""
            self.query_one("#provider-url", Input).value = stored.get("base_url") or ""

    @on(Button.Pressed, "#save-provider")
    def _save_pressed(self) -> None:
        self.save_provider()

    @on(Input.Submitted, "#api-key")
    def _key_submitted(self) -> None:
        self.save_provider()

    @work(exclusive=True, group="provider")
    async def save_provider(self) -> None:
        client = self.tui.require_client()
        if client is None:
            return
        chosen = self.query_one("#provider-name", Select).value
        key_input = self.query_one("#api-key", Input)
        stored = await self.tui.call(
            client.set_provider_settings(
                provider=chosen if isinstance(chosen, str) and chosen in PROVIDERS else None,
                model=self.query_one("#provider-model", Input).value.strip() or None,
                base_url=self.query_one("#provider-url", Input).value.strip() or None,
                api_key=key_input.value.strip() or None,
            ),
            doing="Saving the provider",
        )
        if stored is None:
            return
        key_input.value = ""
        self._show_stored(stored, fill=False)
        self.notify("Provider settings saved on the server.", title="Settings")
        await self._show_status()

    @on(Button.Pressed, "#clear-key")
    def _clear_pressed(self) -> None:
        self.clear_key()

    @work(exclusive=True, group="provider")
    async def clear_key(self) -> None:
        client = self.tui.require_client()
        if client is None:
            return
        stored = await self.tui.call(client.clear_provider_api_key(), doing="Removing the key")
        if stored is None:
            return
        self._show_stored(stored, fill=False)
        self.notify("The stored API key was removed.", title="Settings")
        await self._show_status()

    @on(Button.Pressed, "#test-provider")
    def _test_pressed(self) -> None:
        self.test_connection()

    @work(exclusive=True, group="provider-check")
    async def test_connection(self) -> None:
        client = self.tui.require_client()
        if client is None:
            return
        result = self.query_one("#provider-check", Label)
        result.update("testing the connection…")
        check = await self.tui.call(
            client.test_provider_connection(), doing="Testing the provider connection"
        )
        if check is None:
            result.update("")
            return
        result.update(check["detail"] if check["ok"] else f"failed: {check['detail']}")

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value
