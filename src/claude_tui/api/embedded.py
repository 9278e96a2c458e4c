"""The embedded server: the API in the caller's own process, on a loopback port.

The terminal UI uses it when no server is configured. It listens on 127.0.0.1 on a port the
OS picks, migrates the embedded database first, and authenticates the UI with a local API key
that belongs to a local administrator account and is kept in a file only the user can read.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from claude_tui.api.app import create_app
from claude_tui.services import api_keys, identity
from claude_tui.services.errors import AuthenticationError
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.database import Database

LOCAL_USERNAME = "local"
LOCAL_EMAIL = "local@claude-tui.localhost"
LOCAL_KEY_FILE = "local_api_key"


@dataclass(frozen=True)
class EmbeddedEndpoint:
    url: str
    api_key: str


async def ensure_local_credentials(settings: Settings) -> str:
    """The local administrator's API key, created on first use and reused afterwards."""
    key_file = settings.data_dir / LOCAL_KEY_FILE
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            if key_file.exists():
                existing = key_file.read_text(encoding="utf-8").strip()
                try:
                    await api_keys.principal_for_key(session, existing)
                    return existing
                except AuthenticationError:
                    key_file.unlink()
            operator = Principal(user_id=0, username=LOCAL_USERNAME, is_admin=True, via="local")
            user = await identity.find_by_username(session, LOCAL_USERNAME)
            if user is None:
                view = await identity.create_user(
                    session,
                    operator,
                    username=LOCAL_USERNAME,
                    email=LOCAL_EMAIL,
                    password=secrets.token_urlsafe(32),
                    full_name="Local user",
                    is_admin=True,
                )
                user_id = view.id
            else:
                user_id = user.id
            owner = Principal(user_id=user_id, username=LOCAL_USERNAME, is_admin=True)
            created = await api_keys.create_key(
                session, owner, name="terminal UI (local)", scopes=["*"]
            )
    finally:
        await db.dispose()
    _write_private(key_file, created.secret)
    return created.secret


def _write_private(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")


class _GuestServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the program hosting it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class EmbeddedServer:
    """Runs the API inside the current event loop until ``stop``."""

    def __init__(self, settings: Settings, *, wrap: Callable[[Any], Any] | None = None) -> None:
        self.settings = settings
        #: Wraps the ASGI app (the local server counts requests to find when it is idle).
        self._wrap = wrap
        #: The ASGI app served, once started.
        self.app: Any = None
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> EmbeddedEndpoint:
        await asyncio.to_thread(migrate.upgrade, self.settings.database_url)
        key = await ensure_local_credentials(self.settings)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = create_app(self.settings)
        self.app = self._wrap(app) if self._wrap is not None else app
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="on",
            server_header=False,
            # Longer than the client keeps an idle connection: the client closes it first.
            timeout_keep_alive=30,
            # Only local programs reach it, directly: no proxy's header is to be believed.
            proxy_headers=False,
        )
        server = _GuestServer(config)
        self._server = server
        self._task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("the embedded server stopped during start-up")
            await asyncio.sleep(0.005)
        return EmbeddedEndpoint(url=f"http://127.0.0.1:{port}", api_key=key)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = None
            self._task = None
