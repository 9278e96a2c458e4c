"""A dependency that is down: 503 problem+json with Retry-After naming it, quickly, one log
line per outage; service resumes when it is back.

The test stops and restarts a PostgreSQL server and a Redis server of its own (the session's
serve other tests) under an app that uses both.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.api import create_app
from claude_tui.observability.logging import configure_logging
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from servers import PostgresServer, RedisServer, ServiceUnavailable, unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REQUESTS = 20


@pytest.fixture(autouse=True)
def _records_reach_caplog() -> Iterator[None]:
    """Route the app's log records through the standard library, where caplog sees every one,
    whatever an earlier test in the same process left as handlers; restore them afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging("INFO", "json", None, stdout=False)
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture
def own_servers() -> Iterator[tuple[PostgresServer, RedisServer]]:
    try:
        postgres = PostgresServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    try:
        redis = RedisServer().start()
    except ServiceUnavailable as exc:
        postgres.destroy()
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    yield postgres, redis
    redis.destroy()
    postgres.destroy()


@pytest.fixture
def migrated_settings(
    make_settings: Callable[..., Settings], own_servers: tuple[PostgresServer, RedisServer]
) -> Settings:
    postgres, redis = own_servers
    settings = make_settings(
        database_url=postgres.url(postgres.create_database()),
        redis_url=redis.url,
        # Load shedding answers 503 too: off, so that every 503 here is the dependency's.
        max_concurrent_requests=0,
    )
    migrate.upgrade(settings.database_url)
    return settings


@pytest.fixture
async def app(migrated_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(migrated_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        yield ac


async def _burst(
    client: httpx.AsyncClient, call: Callable[[], Awaitable[httpx.Response]]
) -> tuple[Counter[int], list[httpx.Response], float]:
    started = time.monotonic()
    responses = await asyncio.gather(*(call() for _ in range(REQUESTS)))
    return Counter(r.status_code for r in responses), list(responses), time.monotonic() - started


def _assert_unavailable(responses: list[httpx.Response], dependency: str) -> None:
    for response in responses:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(response.headers["retry-after"]) <= 60
        body: dict[str, Any] = response.json()
        assert body["status"] == 503
        assert body["dependency"] == dependency
        assert dependency in body["detail"].lower()


def _log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    lines = caplog.text.splitlines()
    caplog.clear()
    return lines


def _count(lines: list[str], *words: str) -> int:
    return sum(1 for line in lines if all(word in line for word in words))


async def test_postgresql_down_is_503_then_service_resumes(
    client: httpx.AsyncClient,
    make_user: Callable[..., Awaitable[Any]],
    own_servers: tuple[PostgresServer, RedisServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    postgres, _ = own_servers
    user = await make_user()

    def projects() -> Awaitable[httpx.Response]:
        return client.get("/api/v1/projects", headers=user.headers)

    counts, _, _ = await _burst(client, projects)
    assert counts == {200: REQUESTS}
    postgres.stop()
    _log_lines(caplog)
    counts, responses, elapsed = await _burst(client, projects)
    assert counts == {503: REQUESTS}, counts
    _assert_unavailable(responses, "database")
    assert elapsed < 10, f"{REQUESTS} refusals took {elapsed:.1f}s"
    login = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": user.password}
    )
    assert login.status_code == 503
    lines = _log_lines(caplog)
    assert _count(lines, "unhandled_exception") == 0, lines[:5]
    assert _count(lines, "Traceback") == 0
    assert _count(lines, "dependency_unavailable", "database") == 1, lines
    postgres.start()
    counts, _, _ = await _burst(client, projects)
    # A connection that died with the server may fail once more; then all is served again.
    assert set(counts) <= {200, 503}, counts
    counts, _, _ = await _burst(client, projects)
    assert counts == {200: REQUESTS}, counts


async def test_redis_down_is_503_then_service_resumes(
    client: httpx.AsyncClient,
    make_user: Callable[..., Awaitable[Any]],
    own_servers: tuple[PostgresServer, RedisServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, redis = own_servers
    user = await make_user()

    def projects() -> Awaitable[httpx.Response]:
        return client.get("/api/v1/projects", headers=user.headers)

    def login() -> Awaitable[httpx.Response]:
        return client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": user.password}
        )

    counts, _, _ = await _burst(client, projects)
    assert counts == {200: REQUESTS}
    redis.stop()
    _log_lines(caplog)
    for call in (projects, login):
        counts, responses, elapsed = await _burst(client, call)
        assert counts == {503: REQUESTS}, (counts, responses[0].text)
        _assert_unavailable(responses, "redis")
        assert elapsed < 10, f"{REQUESTS} refusals took {elapsed:.1f}s"
    lines = _log_lines(caplog)
    assert _count(lines, "unhandled_exception") == 0, lines[:5]
    assert _count(lines, "Traceback") == 0
    assert _count(lines, "dependency_unavailable", "redis") == 1, lines
    redis.start()
    counts, _, _ = await _burst(client, projects)
    assert counts == {200: REQUESTS}, counts
    # Logins work again (the account's own rate may refuse some of a burst of twenty).
    counts, _, _ = await _burst(client, login)
    assert 200 in counts, counts
    assert set(counts) <= {200, 429}, counts
