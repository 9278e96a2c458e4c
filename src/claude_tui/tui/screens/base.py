"""What every screen of the app shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from claude_tui.client import ApiClient

if TYPE_CHECKING:
    from claude_tui.tui.app import ClaudeTuiApp


class AppScreen(Screen[Any]):
    """A screen of the Claude TUI app, with typed access to the app and its client."""

    @property
    def tui(self) -> ClaudeTuiApp:
        return cast("ClaudeTuiApp", self.app)

    @property
    def client(self) -> ApiClient | None:
        return self.tui.client
