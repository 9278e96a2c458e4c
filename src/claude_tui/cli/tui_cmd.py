"""``claude-tui`` (no arguments) and ``claude-tui tui``: the terminal UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors

if TYPE_CHECKING:
    from claude_tui.api.embedded import EmbeddedServer
    from claude_tui.client import ApiClient
    from claude_tui.settings import Settings
    from claude_tui.tui.connection import Connection


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


def run_tui(server: str | None = None, token: str | None = None, in_process: bool = False) -> None:
    from claude_tui.cli.local_server import LocalServerConnection

    settings = load_settings()
    url = server or settings.server_url
    connection: Connection
    if url:
        from claude_tui.tui.connection import RemoteConnection

        secret = token or (
            settings.server_token.get_secret_value() if settings.server_token else None
        )
        connection = RemoteConnection(url, secret)
    else:
        settings.resolve_secret_key()
        if in_process:
            connection = EmbeddedConnection(settings)
        else:
            local = LocalServerConnection(settings)
            # Before the UI's own imports: the server starts meanwhile, on the other core.
            try:
                local.start()
            except (OSError, RuntimeError) as exc:
                raise CliError(f"cannot start the local server: {exc}") from exc
            connection = local

    from claude_tui.observability.logging import configure_logging
    from claude_tui.tui.app import ClaudeTuiApp

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
    in_process: Annotated[
        bool,
        typer.Option(
            "--in-process",
            help="Run the embedded server inside the UI for this session, not the local server.",
        ),
    ] = False,
) -> None:
    """Open the terminal UI (the default when no command is given).

    Without --server the UI uses the local server, started on first use and left running for
    the next launch until idle (see claude-tui local-server).
    """
    run_tui(server, token, in_process)


local_server_app = typer.Typer(
    help="The local server the terminal UI starts and reuses (embedded defaults).",
    no_args_is_help=True,
)


@local_server_app.command("status")
@one_line_errors
def local_server_status() -> None:
    """Print the running local server's URL, pid and version; exit 1 when none runs."""
    from claude_tui.cli.local_server import running_server

    state = running_server(load_settings())
    if state is None:
        raise CliError("no local server is running", exit_code=1)
    typer.echo(f"running: {state.url}  pid {state.pid}  version {state.version}")


@local_server_app.command("stop")
@one_line_errors
def local_server_stop() -> None:
    """Stop the local server (the next UI launch starts a new one)."""
    from claude_tui.cli.local_server import stop_server

    try:
        state = stop_server(load_settings())
    except RuntimeError as exc:
        raise CliError(str(exc)) from exc
    typer.echo("no local server was running" if state is None else f"stopped pid {state.pid}")


@local_server_app.command("run", hidden=True)
@one_line_errors
def local_server_run(
    idle_timeout: Annotated[
        float,
        typer.Option(
            envvar="CLAUDE_TUI_LOCAL_SERVER_IDLE_TIMEOUT",
            help="Exit after this many seconds without a request.",
        ),
    ] = 600.0,
) -> None:
    """Serve the embedded defaults until stopped or idle (the UI starts this by itself)."""
    import asyncio

    from claude_tui.cli.local_server import serve
    from claude_tui.observability.logging import configure_logging

    settings = load_settings()
    settings.resolve_secret_key()
    log_file = settings.log_file or settings.data_dir / "logs" / "claude-tui.log"
    configure_logging(settings.log_level, "json", log_file, stdout=False)
    if not asyncio.run(serve(settings, idle_timeout)):
        typer.echo("another local server is already running for this data directory")


def register(app: typer.Typer) -> None:
    app.command()(tui)
    app.add_typer(local_server_app, name="local-server")

    @app.callback(invoke_without_command=True)
    def default(ctx: typer.Context) -> None:
        """AI development platform: projects, AI coding tasks, validation and security audit.

        Without a command, opens the terminal UI.
        """
        if ctx.invoked_subcommand is None:
            one_line_errors(run_tui)()
