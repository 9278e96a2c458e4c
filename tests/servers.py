"""Real PostgreSQL and Redis servers for the tests, on free loopback ports in temp dirs, and
the one way a test says that a system tool it needs is missing (``require_tool``)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

REQUIRE_ENV = "CLAUDE_TUI_REQUIRE_SERVICES"


class ServiceUnavailable(Exception):
    """A server the tests need is not installed or would not start."""


def services_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose server or tool is missing; fail it in CI (CLAUDE_TUI_REQUIRE_SERVICES)."""
    import pytest

    if services_required():
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def tool_problem(
    name: str, install: str, *, probe: Sequence[str] = (), label: str | None = None
) -> str | None:
    """Why ``name`` cannot be used here (one line naming the install command), or None.

    ``probe`` is an argument list run with the tool: a tool that is installed but cannot do
    its job on this machine (no user namespaces for bwrap, say) is as missing as an absent one.
    """
    return _tool_problem(name, install, tuple(probe), label or name)


@cache
def _tool_problem(name: str, install: str, probe: tuple[str, ...], label: str) -> str | None:
    path = shutil.which(name)
    if path is None:
        return f"{label} not installed: {install}"
    if not probe:
        return None
    try:
        result = subprocess.run(
            [path, *probe], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{label} cannot run here ({' '.join([name, *probe])}: {exc})"
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip()).splitlines()
        why = detail[-1] if detail else f"exit {result.returncode}"
        return f"{label} cannot run here ({' '.join([name, *probe])}: {why})"
    return None


def require_tool(
    name: str, install: str, *, probe: Sequence[str] = (), label: str | None = None
) -> str:
    """Path of the system tool ``name``; skip naming ``install`` when it is missing (CI: fail)."""
    problem = tool_problem(name, install, probe=probe, label=label)
    if problem is not None:
        unavailable(problem)
    found = shutil.which(name)
    assert found is not None
    return found


SANDBOX_PROBE = ("--ro-bind", "/", "/", "--unshare-net", "true")


def sandbox_problem() -> str | None:
    """Why bubblewrap cannot sandbox a command here, or None when it can."""
    return tool_problem(
        "bwrap", "apt-get install bubblewrap", probe=SANDBOX_PROBE, label="bubblewrap"
    )


def require_sandbox() -> None:
    """Skip (fail in CI) unless ``bwrap --ro-bind / / --unshare-net true`` succeeds here."""
    problem = sandbox_problem()
    if problem is not None:
        unavailable(problem)


def postgres_problem() -> str | None:
    """Why no throwaway PostgreSQL can be started here, or None."""
    if not (shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")):
        return "PostgreSQL not installed: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return (
                "PostgreSQL refuses to run as root and no 'postgres' user exists: "
                "apt-get install postgresql (it creates the user)"
            )
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceUnavailable(f"nothing listened on 127.0.0.1:{port} within {timeout:g}s")


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if not candidates:
        raise ServiceUnavailable(f"PostgreSQL's {name} not installed: apt-get install postgresql")
    return candidates[0]


class PostgresServer:
    """A throwaway PostgreSQL cluster. As root it runs as the ``postgres`` system user."""

    def __init__(self) -> None:
        problem = postgres_problem()
        if problem is not None:
            raise ServiceUnavailable(problem)
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="ctui-pg-"))
        self.data = self.base / "data"
        self.sockets = self.base / "sock"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            self.base.chmod(0o755)
            self._as_user = ["runuser", "-u", "postgres", "--"]
            self.sockets.mkdir()
            os.chown(self.sockets, owner.pw_uid, owner.pw_gid)
            self.data.mkdir()
            os.chown(self.data, owner.pw_uid, owner.pw_gid)
        else:
            self.sockets.mkdir()

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise ServiceUnavailable(f"{Path(args[0]).name} failed: {result.stderr.strip()}")

    def start(self) -> PostgresServer:
        if not (self.data / "PG_VERSION").exists():
            self._run(
                _pg_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            )
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data / "server.log"),
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(ServiceUnavailable):
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres", driver: str = "asyncpg") -> str:
        return f"postgresql+{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._run(
            _pg_bin("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            f'CREATE DATABASE "{name}"',
        )
        return name


REDIS_MISSING = "redis-server not installed: apt-get install redis-server"


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceUnavailable(REDIS_MISSING)
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ctui-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextmanager
def serve_in_thread(app: Any, timeout: float = 30.0) -> Iterator[str]:
    """Serve an ASGI app with uvicorn (lifespan on) on a free loopback port; yield its URL."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise ServiceUnavailable(f"the server did not start within {timeout:g}s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
