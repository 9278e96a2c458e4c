"""The database handle: engines, sessions and the readiness probe."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

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
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if poolclass is not None:
        kwargs["poolclass"] = poolclass
    elif url.get_backend_name() != "sqlite":
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(make_url(database_url))
        if create and path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """Owns the engine of the running service and hands out sessions."""

    def __init__(self, database_url: str, *, pool_size: int = 10, max_overflow: int = 10) -> None:
        self.url = database_url
        self.engine = create_engine(database_url, pool_size=pool_size, max_overflow=max_overflow)
        # Readiness uses its own unpooled engine: a pooled connection can outlive a deleted
        # SQLite file or a restarted PostgreSQL and would report a healthy database.
        self._probe_engine = create_engine(database_url, poolclass=NullPool)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
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
