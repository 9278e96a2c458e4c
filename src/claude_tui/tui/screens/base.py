"""What every screen of the app shares."""

from __future__ import annotations

from typing import Any, cast

from textual.screen import Screen

from claude_tui.client import ApiClient
from claude_tui.tui.host import TuiHost


class AppScreen(Screen[Any]):
    """A screen of the Claude TUI app, with typed access to the app and its client."""

    @property
    def tui(self) -> TuiHost:
        return cast(TuiHost, self.app)

    @property
    def client(self) -> ApiClient | None:
        return self.tui.client
