"""API keys: shown once, stored as a hash, scoped, expiring, revocable, on both databases."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from claude_tui.storage.models import ApiKey, AuditLogEntry

PROBLEM = "application/problem+json"
KEY_SHAPE = re.compile(r"^ctui_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$")
MakeUser = Callable[..., Awaitable[Any]]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    return body


async def create_key(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {"name": "ci", "scopes": ["*"], **fields}
    response = await client.post("/api/v1/api-keys", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_key_is_shown_once_stored_hashed_and_works_in_both_headers(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    created = await create_key(client, user.headers, scopes=["users:read"])
    key = created["key"]
    assert KEY_SHAPE.match(key)
    assert key.startswith(created["prefix"] + "_")
    for headers in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
        me = await client.get("/api/v1/users/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["id"] == user.id
    listed = (await client.get("/api/v1/api-keys", headers=user.headers)).json()["items"]
    assert [k["id"] for k in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert key not in str(listed)
    assert listed[0]["last_used_at"] is not None
    async with app.state.db.session() as session:
        stored = (await session.execute(select(ApiKey))).scalar_one()
        assert key not in (stored.key_hash, stored.prefix)
        assert len(stored.key_hash) == 64


async def test_scopes_limit_what_a_key_may_do(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    read_only = (await create_key(client, user.headers, scopes=["users:read"]))["key"]
    headers = {"X-API-Key": read_only}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    denied = assert_problem(
        await client.post("/api/v1/api-keys", json={"name": "x", "scopes": ["*"]}, headers=headers),
        403,
    )
    assert "api_keys:write" in denied["detail"]
    unknown = assert_problem(
        await client.post(
            "/api/v1/api-keys", json={"name": "x", "scopes": ["root"]}, headers=user.headers
        ),
        422,
    )
    assert "root" in unknown["detail"]


async def test_a_key_cannot_mint_a_wider_key(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    narrow = (await create_key(client, user.headers, scopes=["api_keys:write"]))["key"]
    wider = await client.post(
        "/api/v1/api-keys",
        json={"name": "escalate", "scopes": ["users:write"]},
        headers={"X-API-Key": narrow},
    )
    assert "users:write" in assert_problem(wider, 403)["detail"]


async def test_revoked_key_stops_working_and_the_revocation_is_audited(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    created = await create_key(client, user.headers)
    headers = {"X-API-Key": created["key"]}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    revoke = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=user.headers)
    assert revoke.status_code == 204
    body = assert_problem(await client.get("/api/v1/users/me", headers=headers), 401)
    assert created["key"] not in str(body)
    listed = (await client.get("/api/v1/api-keys", headers=user.headers)).json()["items"]
    assert listed[0]["revoked_at"] is not None
    async with app.state.db.session() as session:
        actions = (
            await session.execute(
                select(AuditLogEntry.action, AuditLogEntry.actor_id, AuditLogEntry.target_id)
                .where(AuditLogEntry.target_type == "api_key")
                .order_by(AuditLogEntry.id)
            )
        ).all()
    assert [tuple(a) for a in actions] == [
        ("api_key.created", user.id, str(created["id"])),
        ("api_key.revoked", user.id, str(created["id"])),
    ]


async def test_expired_key_is_refused(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    soon = datetime.now(UTC) + timedelta(days=1)
    created = await create_key(client, user.headers, expires_at=soon.isoformat())
    headers = {"X-API-Key": created["key"]}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    # Let the day pass: move the expiry into the past in the database.
    async with app.state.db.session() as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == created["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    assert_problem(await client.get("/api/v1/users/me", headers=headers), 401)


async def test_expiry_must_be_in_the_future_and_bounded(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    for when in (
        datetime.now(UTC) - timedelta(minutes=1),
        datetime.now(UTC) + timedelta(days=3650),
    ):
        response = await client.post(
            "/api/v1/api-keys",
            json={"name": "x", "scopes": ["*"], "expires_at": when.isoformat()},
            headers=user.headers,
        )
        assert_problem(response, 422)


async def test_users_cannot_see_or_revoke_each_others_keys(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    owner = await make_user()
    other = await make_user()
    admin = await make_user(is_admin=True)
    created = await create_key(client, owner.headers)
    assert (await client.get("/api/v1/api-keys", headers=other.headers)).json()["items"] == []
    missing = assert_problem(
        await client.delete(f"/api/v1/api-keys/{created['id']}", headers=other.headers), 404
    )
    assert_problem(await client.delete("/api/v1/api-keys/999999", headers=other.headers), 404)
    assert missing["detail"] == f"No API key with id {created['id']}."
    assert (
        await client.get("/api/v1/users/me", headers={"X-API-Key": created["key"]})
    ).status_code == 200
    by_admin = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin.headers)
    assert by_admin.status_code == 204


async def test_malformed_and_forged_keys_are_refused_alike(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    real = (await create_key(client, user.headers))["key"]
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    for key in (forged, "ctui_short", "ctui_" + "x" * 60):
        body = assert_problem(await client.get("/api/v1/users/me", headers={"X-API-Key": key}), 401)
        assert body["detail"] == "The API key is invalid, expired or revoked."
    not_a_key = await client.get("/api/v1/users/me", headers={"X-API-Key": "plain-token"})
    assert_problem(not_a_key, 401)
