"""The database handle: engines, sessions and the readiness probe."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from claude_tui.private_files import prepare_sqlite_file

SQLITE_BUSY_TIMEOUT_MS = 5000


class DatabaseUnavailable(Exception):
    """The database cannot be reached or is not in a usable state."""


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str
    revision: str | None = None


def sqlite_path(url: URL) -> Path | None:
    """The file of a file-backed SQLite URL, or None for other databases and ``:memory:``."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def runtime_url(database_url: str) -> URL:
    """The URL the running service uses.

    A SQLite file is opened read-write without create, so that a missing database file is
    reported instead of being silently replaced by an empty one.
    """
    url = make_url(database_url)
    path = sqlite_path(url)
    if path is None:
        return url
    return url.set(database=f"file:{path}", query={**url.query, "mode": "rw", "uri": "true"})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    create: bool = False,
    poolclass: Any = None,
) -> AsyncEngine:
    """An async engine with the settings every part of the platform uses."""
    url = make_url(database_url) if create else runtime_url(database_url)
    pooled_server = poolclass is None and url.get_backend_name() != "sqlite"
    # A pooled PostgreSQL connection is pinged only after it sat idle (see _ping_if_idle).
    kwargs: dict[str, Any] = {"pool_pre_ping": not pooled_server}
    if poolclass is not None:
        kwargs["poolclass"] = poolclass
    elif pooled_server:
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "asyncpg":
        # asyncpg waits 60 s for an unreachable host: a request must fail (503) well before.
        kwargs["connect_args"] = {"timeout": CONNECT_TIMEOUT_SECONDS}
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(make_url(database_url))
        if path is not None:
            prepare_sqlite_file(path, create=create)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    if pooled_server:
        pool = engine.sync_engine.pool
        event.listen(pool, "connect", _note_use)
        event.listen(pool, "checkin", _note_use)
        event.listen(pool, "checkout", _idle_pinger(engine.sync_engine.dialect))
    return engine


#: How long opening a PostgreSQL connection may take before the server counts as down.
CONNECT_TIMEOUT_SECONDS = 5.0

#: A pooled connection used this recently is handed out without a ping.
PING_AFTER_IDLE_SECONDS = 2.0


def _note_use(_dbapi_connection: Any, record: Any) -> None:
    record.info["last_used"] = time.monotonic()


def _idle_pinger(dialect: Any) -> Any:
    """A checkout listener: ping a connection that sat idle, as ``pool_pre_ping`` would.

    SQLAlchemy's pre-ping on asyncpg is three round trips (BEGIN, the ping, ROLLBACK) on
    every checkout, more than a small read costs. A connection in steady use has just proven
    itself; one that sat idle is where a restarted server shows, and gets the ping. A dead
    one is replaced (DisconnectionError makes the pool retry with a new connection), and a
    connection found dead in use makes SQLAlchemy discard the whole pool.
    """

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last_used = record.info.get("last_used")
        if last_used is not None and time.monotonic() - last_used < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failed ping means: do not hand this one out
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc

    return ping_if_idle


class Database:
    """Owns the engine of the running service and hands out sessions."""

    def __init__(self, database_url: str, *, pool_size: int = 10, max_overflow: int = 10) -> None:
        self.url = database_url
        self.engine = create_engine(database_url, pool_size=pool_size, max_overflow=max_overflow)
        # Readiness uses its own unpooled engine: a pooled connection can outlive a deleted
        # SQLite file or a restarted PostgreSQL and would report a healthy database.
        self._probe_engine = create_engine(database_url, poolclass=NullPool)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL reads without BEGIN and ROLLBACK: two round trips fewer per read-only
        # request. Each statement still sees a consistent snapshot (READ COMMITTED, the
        # default, gives a transaction no more); a write made here commits at once. SQLite's
        # driver opens no transaction for reads anyway.
        self.read_sessionmaker = self.sessionmaker
        if self.engine.dialect.name == "postgresql":
            self.read_sessionmaker = async_sessionmaker(
                self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
            )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session for a read-only request: statements run outside a transaction."""
        async with self.read_sessionmaker() as session:
            yield session

    async def probe(self, limit_seconds: float, expected_revision: str | None) -> ProbeResult:
        """Whether the database answers and its schema is at the expected revision."""
        try:
            revision = await asyncio.wait_for(self._current_revision(), limit_seconds)
        except TimeoutError:
            return ProbeResult(False, f"no answer within {limit_seconds:g}s")
        except (SQLAlchemyError, OSError) as exc:
            return ProbeResult(False, _short_error(exc))
        if expected_revision is not None and revision != expected_revision:
            return ProbeResult(
                False,
                f"schema at revision {revision or 'none'}, expected {expected_revision}: "
                "run 'claude-tui db upgrade'",
                revision,
            )
        return ProbeResult(True, "ok", revision)

    async def _current_revision(self) -> str | None:
        async with self._probe_engine.connect() as conn:
            has_table = await conn.run_sync(
                lambda sync_conn: sync_conn.dialect.has_table(sync_conn, "alembic_version")
            )
            if not has_table:
                return None
            result = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return result.scalar_one_or_none()

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self._probe_engine.dispose()


def _short_error(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {message[0] if message else 'unknown error'}"
