"""The Claude TUI application: screens over one API client."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from claude_tui.client import ApiClient, ApiError
from claude_tui.tui.cache import DashboardCache
from claude_tui.tui.connection import Connection
from claude_tui.tui.errors import explain
from claude_tui.tui.messages import Connected

if TYPE_CHECKING:
    from claude_tui.tui.host import TuiHost

T = TypeVar("T")


class ClaudeTuiApp(App[None]):
    """Projects, tasks, validation and audit in the terminal."""

    TITLE = "Claude TUI"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help"),
        # The dashboard shows its own "n"; elsewhere the footer has no room for it.
        Binding("ctrl+n", "new_project", "New project", show=False),
        Binding("f2", "settings", "Settings"),
        # The same key where the footer has no room to show it (see check_action).
        Binding("f2", "settings_narrow", "Settings", show=False),
        Binding("ctrl+r", "refresh", "Refresh", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, connection: Connection, *, cache_dir: Path | None = None) -> None:
        super().__init__()
        self.connection = connection
        self.dashboard_cache = (
            DashboardCache(cache_dir, connection.label) if cache_dir is not None else None
        )
        self.client: ApiClient | None = None
        self.server_info: dict[str, str] = {"server": connection.label, "state": "connecting"}

    def on_mount(self) -> None:
        from claude_tui.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        # Paint the first frame before the (possibly embedded) server starts.
        self.call_after_refresh(self.connect)

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        """Open the connection (starting the embedded server when there is no remote one)."""
        try:
            client = await self.connection.open()
            version = await client.version()
        except (ApiError, OSError, RuntimeError) as exc:
            self.server_info["state"] = "unreachable"
            self.notify(str(exc), title="Cannot reach the server", severity="error", timeout=10)
            self._announce(Connected(ok=False))
            return
        self.client = client
        self.server_info.update(state="connected", version=str(version.get("version", "?")))
        self._announce(Connected(ok=True))

    def _announce(self, message: Connected) -> None:
        """Tell every open screen, not only the top one: each shows the connection its way."""
        for screen in self.screen_stack:
            screen.post_message(Connected(ok=message.ok))

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        await self.connection.close()

    async def call(self, operation: Awaitable[T], *, doing: str) -> T | None:
        """Await an API call; show a server error as a notification and return None."""
        try:
            return await operation
        except ApiError as exc:
            self.notify(explain(exc), title=f"{doing} failed", severity="error")
            return None

    def require_client(self) -> ApiClient | None:
        if self.client is None:
            self.notify("Not connected to a server yet.", severity="warning")
        return self.client

    # -- actions offered in the footer, the help screen and the command palette --------

    def action_help(self) -> None:
        from claude_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_project(self) -> None:
        from claude_tui.tui.screens.new_project import NewProjectScreen

        if self.require_client() is not None:
            self.push_screen(NewProjectScreen())

    def action_settings(self) -> None:
        from claude_tui.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Exactly one of the two f2 bindings is live: the shown one only where it fits.
        if action in ("settings", "settings_narrow"):
            narrow = getattr(self.screen, "narrow", False)
            return narrow == (action == "settings_narrow")
        return True

    def action_settings_narrow(self) -> None:
        self.action_settings()

    def action_refresh(self) -> None:
        refresh = getattr(self.screen, "action_refresh", None)
        if callable(refresh):
            refresh()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "New project",
            "Create a project from a template or a directory",
            self.action_new_project,
        )
        yield SystemCommand("Settings", "Server, provider, model and theme", self.action_settings)
        yield SystemCommand("Help", "Key bindings and what each screen does", self.action_help)
        yield SystemCommand("Refresh", "Reload what this screen shows", self.action_refresh)
        extra = getattr(screen, "screen_commands", None)
        if callable(extra):
            yield from extra()


if TYPE_CHECKING:
    # Screens see the app only through TuiHost: mypy checks here that the app provides it.
    _AS_HOST: type[TuiHost] = ClaudeTuiApp
