"""What screens need from the app they run in, so that they never import the app itself."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeVar

from claude_tui.client import ApiClient
from claude_tui.tui.cache import DashboardCache
from claude_tui.tui.connection import Connection

T = TypeVar("T")


class TuiHost(Protocol):
    """The Claude TUI app as its screens see it: the connection, its client and its helpers.

    Textual's own ``App`` API (``push_screen``, ``notify``, ``theme``) comes with ``self.app``;
    this protocol adds only what the Claude TUI app itself provides.
    """

    connection: Connection
    client: ApiClient | None
    server_info: dict[str, str]
    dashboard_cache: DashboardCache | None

    async def call(self, operation: Awaitable[T], *, doing: str) -> T | None:
        """Await an API call; a server error is shown as a notification and gives None."""
        ...

    def require_client(self) -> ApiClient | None:
        """The client, or None after telling the person that the app is not connected yet."""
        ...
