"""Token revocation gives the same answers with and without Redis, on SQLite and PostgreSQL.

The database holds every revocation; Redis only caches them. So each test below runs in both
modes with the same expectations, and in Redis mode ``forget_cache`` restarts the real Redis
server (it keeps nothing on disk): whatever it held is gone, and the answers must not change.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY

from claude_tui.settings import Settings
from servers import RedisServer

PROBLEM = "application/problem+json"
MakeUser = Callable[..., Awaitable[Any]]
ForgetCache = Callable[[], Awaitable[None]]


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def mode(request: pytest.FixtureRequest) -> str:
    """Where revocations are looked up first: the database only, or Redis in front of it."""
    return str(request.param)


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    database_url: str,
    mode: str,
    request: pytest.FixtureRequest,
) -> Settings:
    if mode == "database":
        return make_settings(database_url=database_url)
    server: RedisServer = request.getfixturevalue("redis_server")
    return make_settings(database_url=database_url, redis_url=server.url)


@pytest.fixture
def forget_cache(mode: str, request: pytest.FixtureRequest, app: FastAPI) -> ForgetCache:
    """Lose everything Redis held, as a restart without persistence does; a no-op without it."""

    async def forget() -> None:
        if mode == "database":
            return
        server: RedisServer = request.getfixturevalue("redis_server")
        server.stop()
        server.start()
        assert await app.state.redis.dbsize() == 0

    return forget


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == 401


async def me(client: httpx.AsyncClient, access_token: str) -> httpx.Response:
    return await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access_token}"})


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


async def test_a_logged_out_token_stays_refused_when_the_cache_is_lost(
    client: httpx.AsyncClient, make_user: MakeUser, forget_cache: ForgetCache
) -> None:
    user = await make_user()
    assert (await me(client, user.access_token)).status_code == 200
    logout = await client.post("/api/v1/auth/logout", headers=user.headers)
    assert logout.status_code == 204, logout.text
    assert_refused(await me(client, user.access_token))
    assert_refused(await refresh(client, user.refresh_token))

    await forget_cache()
    assert_refused(await me(client, user.access_token))
    assert_refused(await refresh(client, user.refresh_token))
    # Only that session ended: a new login works.
    fresh = await login(client, user.username, user.password)
    assert (await me(client, fresh["access_token"])).status_code == 200


async def test_a_session_revoked_for_refresh_reuse_stays_revoked_when_the_cache_is_lost(
    client: httpx.AsyncClient, make_user: MakeUser, forget_cache: ForgetCache
) -> None:
    user = await make_user()
    rotated = await refresh(client, user.refresh_token)
    assert rotated.status_code == 200, rotated.text
    new_access = rotated.json()["access_token"]
    assert (await me(client, new_access)).status_code == 200
    # The spent refresh token presented again: the whole session is revoked.
    assert_refused(await refresh(client, user.refresh_token))
    assert_refused(await me(client, new_access))

    await forget_cache()
    assert_refused(await me(client, new_access))
    assert_refused(await me(client, user.access_token))


async def test_deactivation_ends_every_session_and_reactivation_does_not_revive_them(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    admin_headers: dict[str, str],
    forget_cache: ForgetCache,
) -> None:
    user = await make_user()
    second = await login(client, user.username, user.password)
    for token in (user.access_token, second["access_token"]):
        assert (await me(client, token)).status_code == 200

    off = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers
    )
    assert off.status_code == 200, off.text
    for token in (user.access_token, second["access_token"]):
        assert_refused(await me(client, token))

    on = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": True}, headers=admin_headers
    )
    assert on.status_code == 200, on.text
    for token in (user.access_token, second["access_token"]):
        assert_refused(await me(client, token))
    for spent in (user.refresh_token, second["refresh_token"]):
        assert_refused(await refresh(client, spent))

    await forget_cache()
    for token in (user.access_token, second["access_token"]):
        assert_refused(await me(client, token))

    fresh = await login(client, user.username, user.password)
    assert (await me(client, fresh["access_token"])).status_code == 200
    assert (await refresh(client, fresh["refresh_token"])).status_code == 200


async def test_a_signed_token_of_a_session_never_recorded_is_refused(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    claims = jwt.decode(user.access_token, app.state.secret_key, algorithms=["HS256"])
    # Signed with the server's own key, so only the session lookup can tell it apart.
    unknown_session = {**claims, "fam": uuid.uuid4().hex, "jti": uuid.uuid4().hex}
    forged = jwt.encode(unknown_session, app.state.secret_key, algorithm="HS256")
    assert_refused(await me(client, forged))
    # The same session id under another account's name is not that account's session.
    other = await make_user()
    other_claims = jwt.decode(other.access_token, app.state.secret_key, algorithms=["HS256"])
    borrowed = jwt.encode(
        {**claims, "fam": other_claims["fam"], "jti": uuid.uuid4().hex},
        app.state.secret_key,
        algorithm="HS256",
    )
    assert_refused(await me(client, borrowed))
    assert (await me(client, user.access_token)).status_code == 200


async def test_a_password_change_ends_the_other_sessions_in_both_modes(
    client: httpx.AsyncClient, make_user: MakeUser, forget_cache: ForgetCache
) -> None:
    user = await make_user()
    other = await login(client, user.username, user.password)
    changed = await client.put(
        "/api/v1/users/me/password",
        json={"current_password": user.password, "new_password": "Another-long-pass-77"},
        headers=user.headers,
    )
    assert changed.status_code == 204, changed.text
    await forget_cache()
    for token in (user.access_token, other["access_token"]):
        assert_refused(await me(client, token))
    assert_refused(await refresh(client, other["refresh_token"]))
    fresh = await login(client, user.username, "Another-long-pass-77")
    assert (await me(client, fresh["access_token"])).status_code == 200


@pytest.mark.redis
@pytest.mark.parametrize("mode", ["redis"], indirect=True)
async def test_redis_is_refilled_from_the_database_after_losing_its_contents(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    admin_headers: dict[str, str],
    forget_cache: ForgetCache,
    app: FastAPI,
) -> None:
    redis = app.state.redis
    user = await make_user()
    claims = jwt.decode(user.access_token, app.state.secret_key, algorithms=["HS256"])
    off = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers
    )
    assert off.status_code == 200, off.text
    # Deactivation reaches Redis too, so every replica refuses before asking the database.
    assert await redis.get(f"ctui:revoked:fam:{claims['fam']}") == b"deactivated"
    on = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": True}, headers=admin_headers
    )
    assert on.status_code == 200, on.text

    await forget_cache()
    misses = REGISTRY.get_sample_value("claude_tui_revocation_cache_misses_total") or 0.0
    assert_refused(await me(client, user.access_token))
    # The database answered and its answer went back into Redis, with the session's lifetime.
    assert await redis.get(f"ctui:revoked:fam:{claims['fam']}") == b"deactivated"
    assert await redis.ttl(f"ctui:revoked:fam:{claims['fam']}") > 15 * 60
    assert REGISTRY.get_sample_value("claude_tui_revocation_cache_misses_total") == misses + 1
    assert_refused(await me(client, user.access_token))
    assert REGISTRY.get_sample_value("claude_tui_revocation_cache_misses_total") == misses + 1
