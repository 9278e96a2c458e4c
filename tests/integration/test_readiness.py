"""/ready follows the real state of the database and Redis, and recovers by itself."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.api import create_app
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from servers import PostgresServer, RedisServer, ServiceUnavailable, unavailable


async def _serve_app(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield app, client


async def _serve(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for _app, client in _serve_app(settings):
        yield client


async def _lock_exclusively(app: FastAPI, db_file: Path) -> sqlite3.Connection:
    """Another process's exclusive lock on the file, as a backup tool or a stuck writer holds.

    The platform keeps SQLite in WAL mode, where no lock keeps readers out; the locker
    switches the file back to a rollback journal first, which SQLite allows only while no
    other connection is open: the app's pooled connections are closed (its dispatcher may
    open one again within a second, hence the retries).
    """
    locker = sqlite3.connect(db_file, isolation_level=None)
    for _attempt in range(20):
        await app.state.db.engine.dispose()
        try:
            locker.execute("PRAGMA journal_mode=DELETE")
            locker.execute("BEGIN EXCLUSIVE")
            return locker
        except sqlite3.OperationalError:
            await asyncio.sleep(0.05)
    locker.close()
    raise AssertionError("could not take an exclusive lock on the SQLite file")


async def _expect_not_ready(client: httpx.AsyncClient, component: str) -> dict[str, object]:
    response = await client.get("/ready")
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["failing"] == [component]
    assert component in str(body["detail"])
    assert (await client.get("/health")).status_code == 200
    return body


async def test_deleted_sqlite_file_is_not_ready_and_recovers(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    db_file = tmp_path / "data" / "claude-tui.db"
    settings = make_settings(database_url=f"sqlite+aiosqlite:///{db_file}")
    migrate.upgrade(settings.database_url)
    async for client in _serve(settings):
        assert (await client.get("/ready")).status_code == 200
        moved = db_file.rename(tmp_path / "elsewhere.db")
        await _expect_not_ready(client, "database")
        assert not db_file.exists(), "the probe must not create an empty database"
        moved.rename(db_file)
        assert (await client.get("/ready")).status_code == 200


async def test_locked_sqlite_file_is_not_ready_and_recovers(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    db_file = tmp_path / "data" / "claude-tui.db"
    settings = make_settings(
        database_url=f"sqlite+aiosqlite:///{db_file}", readiness_timeout_seconds=0.5
    )
    migrate.upgrade(settings.database_url)
    async for app, client in _serve_app(settings):
        locker = await _lock_exclusively(app, db_file)
        try:
            body = await _expect_not_ready(client, "database")
            assert "within 0.5s" in str(body["detail"]) or "locked" in str(body["detail"])
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert (await client.get("/ready")).status_code == 200


async def test_unmigrated_database_is_not_ready(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade(settings.database_url)
    migrate.downgrade(settings.database_url, "base")
    async for client in _serve(settings):
        body = await _expect_not_ready(client, "database")
        assert "claude-tui db upgrade" in str(body["detail"])


@pytest.mark.postgres
@pytest.mark.slow
async def test_stopped_postgresql_is_not_ready_and_recovers(
    make_settings: Callable[..., Settings],
) -> None:
    try:
        server = PostgresServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        return
    try:
        settings = make_settings(database_url=server.url(server.create_database()))
        migrate.upgrade(settings.database_url)
        async for client in _serve(settings):
            assert (await client.get("/ready")).status_code == 200
            server.stop()
            await _expect_not_ready(client, "database")
            server.start()
            assert (await client.get("/ready")).status_code == 200
    finally:
        server.destroy()


@pytest.mark.redis
async def test_configured_redis_down_is_not_ready_and_recovers(
    make_settings: Callable[..., Settings], sqlite_url: str, redis_server: RedisServer
) -> None:
    settings = make_settings(database_url=sqlite_url, redis_url=redis_server.url)
    migrate.upgrade(settings.database_url)
    async for client in _serve(settings):
        ready = await client.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["components"]["redis"]["ok"] is True
        redis_server.stop()
        await _expect_not_ready(client, "redis")
        redis_server.start()
        assert (await client.get("/ready")).status_code == 200
