"""The request pool pings only idle connections, and still recovers from a PostgreSQL restart.

Pinging every checkout cost three round trips per request on asyncpg; the pool now pings a
connection only after it sat idle. These tests restart a real PostgreSQL server of their own
under a pool with live connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from claude_tui.storage.database import PING_AFTER_IDLE_SECONDS, Database
from servers import PostgresServer, ServiceUnavailable, unavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A server of this test's own: restarting the session's would break other tests."""
    try:
        server = PostgresServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    yield server
    server.destroy()


async def _one(db: Database, *, read: bool) -> int:
    opener = db.read_session if read else db.session
    async with opener() as session:
        return int((await session.execute(text("SELECT 1"))).scalar_one())


@pytest.mark.parametrize("read", [True, False], ids=["read session", "write session"])
async def test_idle_connections_are_pinged_after_a_restart(
    own_postgres: PostgresServer, read: bool
) -> None:
    db = Database(own_postgres.url(own_postgres.create_database()), pool_size=2)
    try:
        assert await asyncio.gather(_one(db, read=read), _one(db, read=read)) == [1, 1]
        own_postgres.stop()
        own_postgres.start()
        await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.2)
        # Both pooled connections died with the server; the ping finds out and replaces them.
        assert await _one(db, read=read) == 1
        assert await asyncio.gather(_one(db, read=read), _one(db, read=read)) == [1, 1]
    finally:
        await db.dispose()


async def test_a_connection_found_dead_in_use_fails_once_then_the_pool_recovers(
    own_postgres: PostgresServer,
) -> None:
    db = Database(own_postgres.url(own_postgres.create_database()), pool_size=2)
    try:
        assert await _one(db, read=True) == 1
        own_postgres.stop()
        own_postgres.start()
        failure: DBAPIError | None = None
        try:  # within the idle window the dead connection may be handed out once
            await _one(db, read=True)
        except DBAPIError as exc:
            failure = exc
        assert failure is None or failure.connection_invalidated
        assert await _one(db, read=True) == 1
        assert await _one(db, read=False) == 1
    finally:
        await db.dispose()
