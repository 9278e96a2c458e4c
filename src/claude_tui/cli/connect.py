"""How a command reaches the API: a configured server, the local one, or one of its own.

``claude-tui task`` and ``claude-tui project`` are clients of the API like the terminal UI:
the server decides who may do what, queues the work and runs it. In order:

1. a configured server (``CLAUDE_TUI_SERVER_URL`` and ``CLAUDE_TUI_SERVER_TOKEN``);
2. the local server the terminal UI started and left running for this data directory;
3. the embedded server, started in this process (it migrates the local database first) and
   running tasks here until the command ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claude_tui.cli.common import CliError

if TYPE_CHECKING:
    from claude_tui.client import ApiClient, ApiError
    from claude_tui.settings import Settings


@dataclass(frozen=True)
class Session:
    """An open client, and the workspace root when the server runs here."""

    client: ApiClient
    #: Known only for the embedded server: a remote server's paths are its own.
    workspace_root: Path | None
    label: str


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Session]:
    """A client of the configured server, or of an embedded one for as long as it is open."""
    from claude_tui.client import ApiClient

    if settings.server_url:
        token = settings.server_token.get_secret_value() if settings.server_token else None
        async with ApiClient(settings.server_url, token) as client:
            yield Session(client, None, settings.server_url)
        return
    reused = await _local_server(settings)
    if reused is not None:
        async with reused as client:
            yield Session(client, settings.effective_workspace_root, "local server")
        return
    from claude_tui.observability.logging import configure_logging

    settings.resolve_secret_key()
    # The terminal shows the command's own lines; the server in this process logs to a file.
    log_file = settings.log_file or settings.data_dir / "logs" / "claude-tui.log"
    configure_logging(settings.log_level, "json", log_file, stdout=False)
    from claude_tui.api.embedded import EmbeddedServer

    server = EmbeddedServer(settings)
    try:
        endpoint = await server.start()
    except OSError as exc:
        raise CliError(f"could not start the embedded server: {exc}") from exc
    try:
        async with ApiClient(endpoint.url, endpoint.api_key) as client:
            yield Session(client, settings.effective_workspace_root, "embedded server")
    finally:
        await server.stop()


async def _local_server(settings: Settings) -> ApiClient | None:
    """A client of the local server an open terminal UI runs, when one fits these settings.

    Its tasks then run in one process with the UI's: both see the same events live.
    """
    from claude_tui.cli.local_server import running_server
    from claude_tui.client import ApiClient, ApiError

    state = running_server(settings)
    if state is None or not state.fits(settings):
        return None
    try:
        key = (settings.data_dir / "local_api_key").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    client = ApiClient(state.url, key)
    try:
        await client.version()
    except ApiError:  # exiting as we found it: start our own
        await client.aclose()
        return None
    return client


def api_failure(exc: ApiError) -> CliError:
    """An error answer as the command's one line."""
    if exc.status == 0:
        return CliError(f"{exc.title}: {exc.detail}")
    return CliError(exc.detail or exc.title)
