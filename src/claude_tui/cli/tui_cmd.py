"""``claude-tui`` (no arguments) and ``claude-tui tui``: the terminal UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from claude_tui.cli.common import load_settings, one_line_errors

if TYPE_CHECKING:
    from claude_tui.api.embedded import EmbeddedServer
    from claude_tui.client import ApiClient
    from claude_tui.settings import Settings


@dataclass
class EmbeddedConnection:
    """Starts the API inside the UI's own process on a loopback port."""

    settings: Settings
    _server: EmbeddedServer | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return "embedded server"

    async def open(self) -> ApiClient:
        import asyncio
        import importlib

        from claude_tui.client import ApiClient

        # The server's modules take a second to import: do it off the UI's event loop.
        embedded = await asyncio.to_thread(importlib.import_module, "claude_tui.api.embedded")
        self._server = embedded.EmbeddedServer(self.settings)
        endpoint = await self._server.start()
        return ApiClient(endpoint.url, endpoint.api_key)

    async def close(self) -> None:
        if self._server is not None:
            await self._server.stop()


def run_tui(server: str | None = None, token: str | None = None) -> None:
    from claude_tui.observability.logging import configure_logging
    from claude_tui.tui.app import ClaudeTuiApp
    from claude_tui.tui.connection import Connection, RemoteConnection

    settings = load_settings()
    url = server or settings.server_url
    connection: Connection
    if url:
        secret = token or (
            settings.server_token.get_secret_value() if settings.server_token else None
        )
        connection = RemoteConnection(url, secret)
    else:
        settings.resolve_secret_key()
        connection = EmbeddedConnection(settings)
    # The UI owns the terminal: logs go to a file only.
    log_file = settings.log_file or settings.data_dir / "logs" / "claude-tui.log"
    configure_logging(settings.log_level, "json", log_file, stdout=False)
    ClaudeTuiApp(connection, cache_dir=settings.data_dir / "cache").run()


@one_line_errors
def tui(
    server: Annotated[
        str | None,
        typer.Option("--server", help="URL of a remote server (default: start one in-process)."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(help="Access token or API key for --server (or CLAUDE_TUI_SERVER_TOKEN)."),
    ] = None,
) -> None:
    """Open the terminal UI (the default when no command is given)."""
    run_tui(server, token)


def register(app: typer.Typer) -> None:
    app.command()(tui)

    @app.callback(invoke_without_command=True)
    def default(ctx: typer.Context) -> None:
        """AI development platform: projects, AI coding tasks, validation and security audit.

        Without a command, opens the terminal UI.
        """
        if ctx.invoked_subcommand is None:
            one_line_errors(run_tui)()
