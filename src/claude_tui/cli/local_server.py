"""The local server: the embedded API in a process of its own that outlives the terminal UI.

The first UI launch starts it; later launches find it through a state file in the data
directory and reuse it, so they skip the second or more that importing the server, migrating
the database and binding a port take. It exits by itself after ``idle_timeout`` seconds
without a request (an open UI sends a heartbeat), on ``claude-tui local-server stop``, and
when a UI of another version or another database finds it.

Files, in ``<data dir>/run/`` (readable only by the user):

- ``local-server.lock``: held with ``flock`` by the running server for its whole life; a state
  file whose lock nobody holds is left over from a server that died and is ignored.
- ``local-server.json``: pid, URL, version, interpreter and database of the running server.

The API key is the embedded server's local key (``<data dir>/local_api_key``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claude_tui import __version__

if TYPE_CHECKING:
    from claude_tui.client import ApiClient
    from claude_tui.settings import Settings

STATE_FILE = "local-server.json"
LOCK_FILE = "local-server.lock"
LOG_FILE = "local-server.log"
#: Seconds without a request after which the server exits.
DEFAULT_IDLE_TIMEOUT = 600.0
#: An open UI asks the server for its version this often, so that it never looks idle.
HEARTBEAT_SECONDS = 60.0
START_TIMEOUT = 90.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]


def run_dir(settings: Settings) -> Path:
    return settings.data_dir / "run"


def database_fingerprint(settings: Settings) -> str:
    """Names the database without writing its URL (which may hold a password) to disk."""
    return hashlib.sha256(settings.database_url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LocalServerState:
    pid: int
    url: str
    version: str
    python: str
    database: str

    def fits(self, settings: Settings) -> bool:
        """Whether a UI of this installation, with these settings, may use this server."""
        return (
            self.version == __version__
            and self.python == sys.executable
            and self.database == database_fingerprint(settings)
        )


def _lock_is_held(lock_path: Path) -> bool:
    """Whether a live process holds the server's lock (a dead one's lock is released)."""
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the lock when this call took it
    return False


def running_server(settings: Settings) -> LocalServerState | None:
    """The local server running for this data directory, whatever its version, or None."""
    directory = run_dir(settings)
    if not _lock_is_held(directory / LOCK_FILE):
        return None
    try:
        data = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
        return LocalServerState(
            pid=int(data["pid"]),
            url=str(data["url"]),
            version=str(data["version"]),
            python=str(data["python"]),
            database=str(data["database"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        # Locked but not yet described: the server is still starting.
        return None


def stop_server(settings: Settings, *, timeout: float = 20.0) -> LocalServerState | None:
    """Ask the running local server to exit and wait until it has; None when none runs."""
    state = running_server(settings)
    if state is None:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _lock_is_held(run_dir(settings) / LOCK_FILE):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the local server (pid {state.pid}) did not exit in {timeout:.0f} s"
            )
        time.sleep(0.02)
    return state


def spawn_server(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Start a local server unless a fitting one runs; an unfitting one is stopped first.

    Returns at once, without waiting for the server to listen, so the UI imports meanwhile.
    """
    state = running_server(settings)
    if state is not None:
        if state.fits(settings):
            return None
        stop_server(settings)
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(log_dir / LOG_FILE, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "local-server", "run"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            # Its own session: closing the UI's terminal does not hang it up.
            start_new_session=True,
        )


async def wait_for_server(
    settings: Settings, child: subprocess.Popen[bytes] | None
) -> LocalServerState:
    """The fitting local server once it listens, starting one whenever none runs or starts.

    A server may exit (idle) just as a UI finds it, and two launches may race to start one:
    the loser's server exits with status 0 and this waits for the winner's.
    """
    log = settings.data_dir / "logs" / LOG_FILE
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        state = running_server(settings)
        if state is not None and state.fits(settings):
            return state
        if child is not None and child.poll() is not None:
            if child.returncode != 0:
                raise RuntimeError(
                    f"the local server exited with status {child.returncode} (see {log})"
                )
            child = None
        if child is None and not _lock_is_held(run_dir(settings) / LOCK_FILE):
            child = spawn_server(settings)
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the local server did not start within {START_TIMEOUT:.0f} s (see {log})"
            )
        await asyncio.sleep(0.01)


@dataclass
class LocalServerConnection:
    """The embedded defaults served by the local server, started at once and reused later."""

    settings: Settings
    child: subprocess.Popen[bytes] | None = None
    _heartbeat: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return "embedded server"

    def start(self) -> None:
        """Launch the server (when none fits) before the UI imports, so both go on at once."""
        self.child = spawn_server(self.settings)

    async def open(self) -> ApiClient:
        from claude_tui.client import ApiClient, ApiError

        retried = False
        while True:
            state = await wait_for_server(self.settings, self.child)
            key = (self.settings.data_dir / "local_api_key").read_text(encoding="utf-8")
            client = ApiClient(state.url, key.strip())
            try:
                await client.version()
            except ApiError:
                # It was exiting (idle) as this launch found it: start another once.
                await client.aclose()
                self.child = None
                if retried:
                    raise
                retried = True
                continue
            self._heartbeat = asyncio.create_task(self._beat(client))
            return client

    async def _beat(self, client: ApiClient) -> None:
        from claude_tui.client import ApiError

        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            with contextlib.suppress(ApiError):
                await client.version()

    async def close(self) -> None:
        # The server stays up for the next launch; it exits by itself once idle.
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat


class _Activity:
    """Wraps the API: counts requests in flight and remembers when the last one ended."""

    def __init__(self, app: Asgi) -> None:
        self.app = app
        self.in_flight = 0
        self.last = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.last = time.monotonic()

    def idle_for(self) -> float:
        return 0.0 if self.in_flight else time.monotonic() - self.last


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _write_state(path: Path, state: LocalServerState) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".local-server-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state.__dict__, out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def serve(settings: Settings, idle_timeout: float) -> bool:
    """Run the local server until stopped or idle; False when another one already runs."""
    from claude_tui.api.embedded import EmbeddedServer

    directory = run_dir(settings)
    with _exclusive_lock(directory / LOCK_FILE) as locked:
        if not locked:
            return False
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        server = EmbeddedServer(settings, wrap=_Activity)
        endpoint = await server.start()
        activity = server.app
        assert isinstance(activity, _Activity)
        state_path = directory / STATE_FILE
        _write_state(
            state_path,
            LocalServerState(
                pid=os.getpid(),
                url=endpoint.url,
                version=__version__,
                python=sys.executable,
                database=database_fingerprint(settings),
            ),
        )
        try:
            while not stop.is_set() and activity.idle_for() < idle_timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=min(1.0, idle_timeout))
        finally:
            state_path.unlink(missing_ok=True)
            await server.stop()
    return True
