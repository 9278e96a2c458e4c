"""Brute-force protection: per-account and per-address limits, lockout, 429 with Retry-After.

Runs on SQLite and PostgreSQL, with the limits kept in memory and in a real Redis server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from claude_tui.api import create_app
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.models import AuditLogEntry, User
from servers import RedisServer

PROBLEM = "application/problem+json"
MakeUser = Callable[..., Awaitable[Any]]
ClientFor = Callable[[str], httpx.AsyncClient]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def limits_storage(request: pytest.FixtureRequest) -> str | None:
    """Where the counters live: process memory, or a real Redis server."""
    if request.param == "memory":
        return None
    server: RedisServer = request.getfixturevalue("redis_server")
    return server.url


@pytest.fixture
def migrated_settings(
    make_settings: Callable[..., Settings], database_url: str, limits_storage: str | None
) -> Settings:
    settings = make_settings(
        database_url=database_url,
        redis_url=limits_storage,
        login_rate_per_address="8/minute",
        login_rate_per_account="5/minute",
        lockout_failures=3,
        lockout_minutes=15,
    )
    migrate.upgrade(settings.database_url)
    return settings


@pytest.fixture
async def app(migrated_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(migrated_settings)
    async with application.router.lifespan_context(application):
        if application.state.redis is not None:
            # One Redis server serves the whole session: start each test with empty counters.
            await application.state.redis.flushdb()
        yield application


@pytest.fixture
async def client_from(app: FastAPI) -> AsyncIterator[ClientFor]:
    """Clients that connect from a given address."""
    opened: list[httpx.AsyncClient] = []

    def factory(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(
            app=app, raise_app_exceptions=False, client=(address, 40000)
        )
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(client)
        return client

    yield factory
    for client in opened:
        await client.aclose()


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )


def assert_429(response: httpx.Response, max_retry_after: int) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= max_retry_after
    body: dict[str, Any] = response.json()
    return body


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client_from: ClientFor, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    # Each failure from a different address: the lockout follows the account, not the address.
    for n in range(3):
        failed = await login(client_from(f"10.0.0.{n + 1}"), user.username, "wrong-password-1")
        assert failed.status_code == 401
    locked = await login(client_from("10.0.0.9"), user.username, user.password)
    body = assert_429(locked, 15 * 60)
    assert int(locked.headers["retry-after"]) > 14 * 60
    assert "locked" in body["detail"]
    assert user.password not in locked.text
    # Another account is not affected.
    other = await make_user()
    assert (await login(client_from("10.0.0.9"), other.username, other.password)).status_code == 200
    async with app.state.db.session() as session:
        stored = await session.get(User, user.id)
        assert stored is not None
        assert stored.failed_logins == 3
        assert stored.locked_until is not None
        lockouts = (
            (
                await session.execute(
                    select(AuditLogEntry).where(AuditLogEntry.action == "auth.lockout")
                )
            )
            .scalars()
            .all()
        )
        assert [e.target_id for e in lockouts] == [str(user.id)]


async def test_lockout_does_not_reveal_whether_an_account_exists(
    client_from: ClientFor,
) -> None:
    client = client_from("10.1.0.1")
    for _ in range(3):
        assert (await login(client, "ghost", "wrong-password-1")).status_code == 401
    assert_429(await login(client_from("10.1.0.2"), "ghost", "wrong-password-1"), 15 * 60)


async def test_a_success_clears_the_failure_count(
    client_from: ClientFor, make_user: MakeUser
) -> None:
    user = await make_user()
    client = client_from("10.2.0.1")
    for _ in range(2):
        assert (await login(client, user.username, "wrong-password-1")).status_code == 401
    assert (await login(client, user.username, user.password)).status_code == 200
    assert (await login(client, user.username, "wrong-password-1")).status_code == 401
    # Two failures, a success, one failure: not three in a row, so not locked.
    assert (await login(client_from("10.2.0.2"), user.username, user.password)).status_code == 200


async def test_attempts_per_account_are_limited_across_addresses(
    client_from: ClientFor, make_user: MakeUser
) -> None:
    user = await make_user()
    for n in range(5):
        response = await login(client_from(f"10.3.0.{n + 1}"), user.username, user.password)
        assert response.status_code == 200, response.text
    limited = await login(client_from("10.3.0.50"), user.username, user.password)
    body = assert_429(limited, 60)
    assert "this account" in body["detail"]


async def test_attempts_per_address_are_limited_across_accounts(
    client_from: ClientFor, make_user: MakeUser, app: FastAPI
) -> None:
    client = client_from("10.4.0.1")
    for n in range(8):
        response = await login(client, f"someone-{n}", "wrong-password-1")
        assert response.status_code == 401
    user = await make_user()
    limited = await login(client, user.username, user.password)
    body = assert_429(limited, 60)
    assert "this address" in body["detail"]
    # The same account from another address still gets in.
    assert (await login(client_from("10.4.0.2"), user.username, user.password)).status_code == 200
    async with app.state.db.session() as session:
        entry = (
            await session.execute(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "auth.login", AuditLogEntry.outcome == "failure")
                .order_by(AuditLogEntry.id.desc())
                .limit(1)
            )
        ).scalar_one()
        assert entry.client_addr == "10.4.0.1"
        assert entry.detail["reason"] == "rate_limited"
        assert entry.request_id == limited.headers["x-request-id"]
