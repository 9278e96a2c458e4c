"""Brute-force protection: rates per account and per address, a lock per (account, address),
an exponential delay per account, 429 with Retry-After, and ``users unlock``.

Runs on SQLite and PostgreSQL, with the limits kept in memory and in a real Redis server.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
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
        login_rate_per_account="8/minute",
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


async def test_failures_from_one_address_lock_the_account_only_from_that_address(
    client_from: ClientFor, make_user: MakeUser, app: FastAPI
) -> None:
    owner = await make_user(is_admin=True)
    attacker = client_from("10.0.0.1")
    for _ in range(3):
        failed = await login(attacker, owner.username, "wrong-password-1")
        assert failed.status_code == 401
    # Even the right password is refused from there, for the lockout period.
    locked = await login(attacker, owner.username, owner.password)
    body = assert_429(locked, 15 * 60)
    assert int(locked.headers["retry-after"]) > 14 * 60
    assert "this address" in body["detail"]
    assert owner.password not in locked.text
    async with app.state.db.session() as session:
        stored = await session.get(User, owner.id)
        assert stored is not None
        assert stored.failed_logins == 3
        lockouts = (
            (
                await session.execute(
                    select(AuditLogEntry).where(AuditLogEntry.action == "auth.lockout")
                )
            )
            .scalars()
            .all()
        )
        assert [e.target_id for e in lockouts] == [str(owner.id)]
    # The owner, elsewhere, logs in at once: a stranger cannot lock an administrator out.
    assert (await login(client_from("10.0.0.9"), owner.username, owner.password)).status_code == 200


async def test_failures_across_addresses_delay_the_account_exponentially(
    client_from: ClientFor, make_user: MakeUser
) -> None:
    user = await make_user()
    for n in range(4):
        failed = await login(client_from(f"10.5.0.{n + 1}"), user.username, "wrong-password-1")
        assert failed.status_code == 401
    waits = []
    for n in range(3):
        refused = await login(client_from(f"10.5.1.{n + 1}"), user.username, user.password)
        assert_429(refused, 60)
        assert "wait" in refused.json()["detail"]
        waits.append(int(refused.headers["retry-after"]))
        await asyncio.sleep(waits[-1] + 0.2)
        if n < 2:
            failed = await login(client_from(f"10.5.2.{n + 1}"), user.username, "wrong-pw-2")
            assert failed.status_code == 401
    # 1 s after the fourth failure in a row, then 2 s, then 4 s.
    assert waits == [1, 2, 4]
    # Once the delay has passed, the owner gets in from anywhere.
    assert (await login(client_from("10.5.3.1"), user.username, user.password)).status_code == 200


async def test_lockout_does_not_reveal_whether_an_account_exists(
    client_from: ClientFor, make_user: MakeUser
) -> None:
    user = await make_user()
    answers: dict[str, list[int]] = {}
    for name in (user.username, "ghost"):
        statuses = []
        for n in range(5):
            address = "10.1.0.1" if n < 4 else "10.1.0.2"
            statuses.append((await login(client_from(address), name, "wrong-pw-1")).status_code)
        statuses.append((await login(client_from("10.1.0.3"), name, "wrong-pw-1")).status_code)
        answers[name] = statuses
    # Three failures lock the address; the fourth and fifth failures start the delay.
    assert answers[user.username] == [401, 401, 401, 429, 401, 429]
    assert answers["ghost"] == answers[user.username]


async def test_an_operator_unlocks_an_account_with_the_cli(
    client_from: ClientFor, make_user: MakeUser, migrated_settings: Settings
) -> None:
    user = await make_user()
    client = client_from("10.6.0.1")
    for _ in range(5):
        await login(client, user.username, "wrong-password-1")
    assert_429(await login(client, user.username, user.password), 15 * 60)
    env = {
        **os.environ,
        "CLAUDE_TUI_DATABASE_URL": migrated_settings.database_url,
        "CLAUDE_TUI_DATA_DIR": str(migrated_settings.data_dir),
    }
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "claude_tui", "users", "unlock", user.username.upper()],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"{user.username}: failed logins cleared")
    # From the very address that was locked, at once, in memory and in Redis mode alike.
    assert (await login(client, user.username, user.password)).status_code == 200
    unknown = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "claude_tui", "users", "unlock", "nobody-here"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert unknown.returncode != 0
    assert unknown.stderr.strip().splitlines() == ["claude-tui: No user named nobody-here."], (
        unknown.stderr
    )


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
    for n in range(8):
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
