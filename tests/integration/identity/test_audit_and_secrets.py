"""The audit log query (admins, filters, cursor pages) and secrets kept out of logs and errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from claude_tui.storage.models import AuditLogEntry

PROBLEM = "application/problem+json"
MakeUser = Callable[..., Awaitable[Any]]


async def test_audit_log_is_for_admins_filtered_and_paginated(
    client: httpx.AsyncClient, make_user: MakeUser, admin_headers: dict[str, str]
) -> None:
    user = await make_user()
    for _ in range(3):
        bad = await client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": "nope-nope-nope"}
        )
        assert bad.status_code == 401
    denied = await client.get("/api/v1/audit", headers=user.headers)
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith(PROBLEM)

    query = {"action": "auth.login", "outcome": "failure", "limit": 2}
    first = await client.get("/api/v1/audit", params=query, headers=admin_headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    second = await client.get(
        "/api/v1/audit", params={**query, "cursor": page["next_cursor"]}, headers=admin_headers
    )
    rest = second.json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None
    items = page["items"] + rest["items"]
    assert [i["id"] for i in items] == sorted((i["id"] for i in items), reverse=True)
    for item in items:
        assert item["target_id"] == str(user.id)
        assert item["client_addr"] == "127.0.0.1"
        assert item["request_id"]
        assert item["detail"] == {"reason": "bad_credentials"}

    one = await client.get(
        "/api/v1/audit", params={"request_id": items[0]["request_id"]}, headers=admin_headers
    )
    assert [i["id"] for i in one.json()["items"]] == [items[0]["id"]]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = await client.get("/api/v1/audit", params={"since": future}, headers=admin_headers)
    assert later.json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"since": "2030-01-01T00:00:00"},
        {"since": "2030-01-02T00:00:00Z", "until": "2030-01-01T00:00:00Z"},
    ],
)
async def test_bad_audit_queries_are_422_problems(
    client: httpx.AsyncClient, admin_headers: dict[str, str], params: dict[str, str]
) -> None:
    response = await client.get("/api/v1/audit", params=params, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Whatever logging set-up a test makes, the previous handlers come back after it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_no_secret_reaches_logs_errors_or_the_audit_trail(
    restored_logging: None,
    client: httpx.AsyncClient,
    make_user: MakeUser,
    admin_headers: dict[str, str],
    app: FastAPI,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from claude_tui.observability.logging import configure_logging

    # Configured here, in the test's call phase, so the handler writes to capsys's stream.
    configure_logging("DEBUG", "json")
    capsys.readouterr()
    user = await make_user()
    secrets_seen: list[str] = [user.password, user.access_token, user.refresh_token]
    responses: list[httpx.Response] = []

    responses.append(
        await client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": "Wr0ng-secret-pw!"}
        )
    )
    secrets_seen.append("Wr0ng-secret-pw!")
    login = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": user.password}
    )
    pair = login.json()
    secrets_seen += [pair["access_token"], pair["refresh_token"]]
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    secrets_seen += [rotated.json()["access_token"], rotated.json()["refresh_token"]]
    responses.append(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    )
    key = await client.post(
        "/api/v1/api-keys", json={"name": "ci", "scopes": ["*"]}, headers=user.headers
    )
    raw_key = key.json()["key"]
    secrets_seen.append(raw_key)
    await client.get("/api/v1/users/me", headers={"X-API-Key": raw_key})
    await client.delete(f"/api/v1/api-keys/{key.json()['id']}", headers=user.headers)
    responses.append(await client.get("/api/v1/users/me", headers={"X-API-Key": raw_key}))
    responses.append(
        await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {raw_key}x"})
    )
    responses.append(
        await client.post(
            "/api/v1/users",
            json={"username": "weak", "email": "w@example.test", "password": "Weak-is-my-Secret-1"},
            headers=admin_headers,
        )
    )
    secrets_seen.append("Weak-is-my-Secret-1")
    responses.append(
        await client.put(
            "/api/v1/users/me/password",
            json={"current_password": "Wr0ng-secret-pw!", "new_password": "N3w-secret-passphrase"},
            headers=user.headers,
        )
    )
    secrets_seen.append("N3w-secret-passphrase")

    logs = capsys.readouterr().out
    assert '"event": "request"' in logs  # the access log was written
    async with app.state.db.session() as session:
        audit = str(
            [
                (e.action, e.target_id, e.detail)
                for e in (await session.execute(select(AuditLogEntry))).scalars()
            ]
        )
    assert "token.refresh_reuse" in audit
    for secret in secrets_seen:
        assert secret not in logs
        assert secret not in audit
        for response in responses:
            assert response.status_code >= 400
            assert secret not in response.text


async def test_failed_logins_of_unknown_names_keep_a_keyed_hash_not_the_name(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    import hashlib
    import hmac

    typed = "Correct-Horse-Battery-9"  # a password typed into the name field
    for _ in range(2):
        response = await client.post(
            "/api/v1/auth/token",
            data={"username": typed, "password": "whatever", "grant_type": "password"},
        )
        assert response.status_code == 401, response.text
    async with app.state.db.session() as session:
        entries = (
            await session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "auth.login"))
        ).all()
    stored = [(e.target_id, str(e.detail)) for e in entries]
    assert len(stored) == 2
    assert all(typed.lower() not in str(s).lower() for s in stored), stored
    # The same name gives the same value, so repeated attempts can still be correlated, and
    # only whoever holds the server's key can test a guess.
    assert stored[0][0] == stored[1][0]
    expected = hmac.new(
        app.state.secret_key.encode(), typed.lower().encode(), hashlib.sha256
    ).hexdigest()
    assert stored[0][0] == f"name-hmac:{expected[:32]}"
