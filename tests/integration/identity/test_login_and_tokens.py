"""Login, access tokens, refresh rotation with reuse detection, logout, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from claude_tui.api import create_app
from claude_tui.api.deps import policy_for
from claude_tui.services import identity, tokens
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.models import AuditLogEntry, RefreshToken, TokenFamily, User
from servers import RedisServer

PROBLEM = "application/problem+json"
MakeUser = Callable[..., Awaitable[Any]]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password, "grant_type": "password"},
    )


async def test_password_login_returns_a_working_token_pair(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user("alice")
    response = await login(client, "Alice", user.password)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    claims = jwt.decode(body["access_token"], app.state.secret_key, algorithms=["HS256"])
    assert claims["sub"] == str(user.id)
    assert claims["exp"] - claims["iat"] == 15 * 60
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    assert "password" not in me.text


async def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    await make_user("bob")
    wrong = assert_problem(await login(client, "bob", "not-the-password-123"), 401)
    unknown = assert_problem(await login(client, "nobody", "not-the-password-123"), 401)
    assert wrong["detail"] == unknown["detail"] == "Incorrect username or password."


async def test_tokens_that_are_forged_expired_or_of_the_wrong_kind_are_refused(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    claims = jwt.decode(user.access_token, app.state.secret_key, algorithms=["HS256"])
    forged = jwt.encode(claims, "another-key-that-is-long-enough-0123456789", algorithm="HS256")
    expired = jwt.encode({**claims, "exp": claims["iat"] - 1}, app.state.secret_key)
    wrong_kind = jwt.encode({**claims, "typ": "refresh"}, app.state.secret_key)
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (forged, expired, wrong_kind, unsigned, "garbage"):
        response = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}
        )
        body = assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        assert token not in response.text
        assert "log in again" in body["detail"]
    assert_problem(await client.get("/api/v1/users/me"), 401)


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    first = (await login(client, user.username, user.password)).json()
    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200, second.text
    second_body = second.json()
    assert second_body["refresh_token"] != first["refresh_token"]
    headers = {"Authorization": f"Bearer {second_body['access_token']}"}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200

    # The first refresh token was spent: presenting it again is reuse.
    reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert_problem(reuse, 401)
    # ...which revokes the family: the newest refresh token and the access tokens stop working.
    latest = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second_body["refresh_token"]}
    )
    assert_problem(latest, 401)
    assert_problem(await client.get("/api/v1/users/me", headers=headers), 401)
    # Other sessions of the same user are untouched.
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 200

    async with app.state.db.session() as session:
        families = (
            (await session.execute(select(TokenFamily).where(TokenFamily.user_id == user.id)))
            .scalars()
            .all()
        )
        revoked = [f for f in families if f.revoked_at is not None]
        assert len(revoked) == 1
        assert revoked[0].revoked_reason == "refresh_reuse"
        stored = (await session.execute(select(RefreshToken.token_hash))).scalars().all()
        assert first["refresh_token"] not in stored
        entry = (
            await session.execute(
                select(AuditLogEntry).where(AuditLogEntry.action == "token.refresh_reuse")
            )
        ).scalar_one()
        assert entry.actor_id == user.id
        assert entry.target_id == revoked[0].id
        assert entry.request_id == reuse.headers["x-request-id"]
        assert entry.client_addr == "127.0.0.1"


async def test_unknown_refresh_token_is_refused(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": "made-up"}), 401
    )


async def test_logout_revokes_access_and_refresh_tokens(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    response = await client.post("/api/v1/auth/logout", headers=user.headers)
    assert response.status_code == 204
    assert_problem(await client.get("/api/v1/users/me", headers=user.headers), 401)
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(refresh, 401)


@pytest.mark.redis
async def test_revocations_are_written_to_redis_and_shared_by_replicas(
    make_settings: Callable[..., Settings], database_url: str, redis_server: RedisServer
) -> None:
    settings = make_settings(database_url=database_url, redis_url=redis_server.url)
    migrate.upgrade(settings.database_url)
    first, second = create_app(settings), create_app(settings)
    async with (
        first.router.lifespan_context(first),
        second.router.lifespan_context(second),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://first") as one,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=second), base_url="http://second"
        ) as two,
    ):
        redis = first.state.redis
        await redis.flushdb()
        await one.post(
            "/api/v1/users",
            json={"username": "rita", "email": "rita@example.test", "password": "Cache-pass-2026!"},
            headers=await _admin_headers(first),
        )
        pair = (await login(one, "rita", "Cache-pass-2026!")).json()
        headers = {"Authorization": f"Bearer {pair['access_token']}"}
        assert (await two.get("/api/v1/users/me", headers=headers)).status_code == 200
        assert (await one.post("/api/v1/auth/logout", headers=headers)).status_code == 204
        claims = jwt.decode(pair["access_token"], first.state.secret_key, algorithms=["HS256"])
        jti_key = f"ctui:revoked:jti:{claims['jti']}"
        assert 0 < await redis.ttl(jti_key) <= 15 * 60
        assert await redis.exists(f"ctui:revoked:fam:{claims['fam']}") == 1
        assert_problem(await two.get("/api/v1/users/me", headers=headers), 401)

        # A revocation another replica put in Redis is honoured without a database record.
        fresh = (await login(two, "rita", "Cache-pass-2026!")).json()
        fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
        assert (await one.get("/api/v1/users/me", headers=fresh_headers)).status_code == 200
        fresh_claims = jwt.decode(
            fresh["access_token"], first.state.secret_key, algorithms=["HS256"]
        )
        await redis.set(f"ctui:revoked:jti:{fresh_claims['jti']}", "logout", ex=60)
        assert_problem(await one.get("/api/v1/users/me", headers=fresh_headers), 401)


async def _admin_headers(app: FastAPI) -> dict[str, str]:
    async with app.state.db.session() as session:
        operator = Principal(user_id=0, username="test", is_admin=True, via="local")
        view = await identity.create_user(
            session,
            operator,
            username="boss",
            email="boss@example.test",
            password="Chief-passphrase-1",
            is_admin=True,
        )
        user = await session.get(User, view.id)
        assert user is not None
        pair = await tokens.start_session(session, policy_for(app), user)
    return {"Authorization": f"Bearer {pair.access_token}"}
