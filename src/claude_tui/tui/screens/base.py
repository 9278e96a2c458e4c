"""What every screen of the app shares."""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

from claude_tui.client import ApiClient
from claude_tui.tui.host import TuiHost

#: Below this many columns screens drop what they can spare so nothing is cut off.
NARROW = 100


class AppScreen(Screen[Any]):
    """A screen of the Claude TUI app, with typed access to the app and its client."""

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns a full footer is cut: keys closer together, the palette key (ctrl+p,
        # listed in the help) and f2 (see the app's bindings) left out.
        narrow = event.size.width < NARROW
        for footer in self.query(Footer):
            footer.compact = narrow
            footer.show_command_palette = not narrow
        self.app.refresh_bindings()

    @property
    def tui(self) -> TuiHost:
        return cast(TuiHost, self.app)

    @property
    def client(self) -> ApiClient | None:
        return self.tui.client
