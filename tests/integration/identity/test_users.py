"""Accounts: admins create users, password rules and changes, isolation between users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from claude_tui.storage.models import AuditLogEntry, User

PROBLEM = "application/problem+json"
MakeUser = Callable[..., Awaitable[Any]]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def new_user(name: str, **extra: Any) -> dict[str, Any]:
    return {"username": name, "email": f"{name}@example.test", "password": "Tr0ub4dor&3-x", **extra}


async def test_admin_creates_a_user_who_can_then_log_in(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: FastAPI
) -> None:
    response = await client.post("/api/v1/users", json=new_user("carol"), headers=admin_headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["username"] == "carol"
    assert created["is_admin"] is False
    assert "password" not in str(created)
    login = await client.post(
        "/api/v1/auth/token", data={"username": "carol", "password": "Tr0ub4dor&3-x"}
    )
    assert login.status_code == 200
    async with app.state.db.session() as session:
        stored = await session.get(User, created["id"])
        assert stored is not None
        assert stored.password_hash.startswith("$argon2id$")
        entry = (
            await session.execute(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "user.created")
                .where(AuditLogEntry.target_id == str(created["id"]))
            )
        ).scalar_one()
        assert entry.actor_id is not None
        assert entry.request_id == response.headers["x-request-id"]
        assert entry.client_addr == "127.0.0.1"
    duplicate = await client.post(
        "/api/v1/users", json=new_user("CAROL", email="c2@example.test"), headers=admin_headers
    )
    assert "username" in assert_problem(duplicate, 409)["detail"]


async def test_only_admins_create_and_list_users(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    assert_problem(
        await client.post("/api/v1/users", json=new_user("dave"), headers=user.headers), 403
    )
    assert_problem(await client.get("/api/v1/users", headers=user.headers), 403)
    assert_problem(await client.post("/api/v1/users", json=new_user("dave")), 401)


async def test_password_rules_are_enforced_and_named(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    cases = {
        "short1": "at least 12 characters",
        "aaaaaaaaaaaaaaaa": "different characters",
        "password1234": "commonly used",
        "erin-erin-erin-2024": "your username",
    }
    for password, expected in cases.items():
        response = await client.post(
            "/api/v1/users", json=new_user("erin", password=password), headers=admin_headers
        )
        body = assert_problem(response, 422)
        assert expected in body["detail"]
        assert password not in body["detail"]


async def test_change_password_ends_old_sessions(
    client: httpx.AsyncClient, make_user: MakeUser, app: FastAPI
) -> None:
    user = await make_user()
    wrong = await client.put(
        "/api/v1/users/me/password",
        json={"current_password": "not-it-at-all-1", "new_password": "A-new-passphrase-77"},
        headers=user.headers,
    )
    assert_problem(wrong, 401)
    weak = await client.put(
        "/api/v1/users/me/password",
        json={"current_password": user.password, "new_password": "short"},
        headers=user.headers,
    )
    assert_problem(weak, 422)
    same = await client.put(
        "/api/v1/users/me/password",
        json={"current_password": user.password, "new_password": user.password},
        headers=user.headers,
    )
    assert "differ" in assert_problem(same, 422)["detail"]
    changed = await client.put(
        "/api/v1/users/me/password",
        json={"current_password": user.password, "new_password": "A-new-passphrase-77"},
        headers=user.headers,
    )
    assert changed.status_code == 204
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(refresh, 401)
    old = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": user.password}
    )
    assert_problem(old, 401)
    new = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": "A-new-passphrase-77"}
    )
    assert new.status_code == 200


async def test_users_cannot_see_or_change_each_other(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    alice = await make_user()
    bob = await make_user()
    mine = await client.get(f"/api/v1/users/{alice.id}", headers=alice.headers)
    assert mine.status_code == 200
    theirs = assert_problem(await client.get(f"/api/v1/users/{bob.id}", headers=alice.headers), 404)
    nobody = assert_problem(await client.get("/api/v1/users/987654", headers=alice.headers), 404)
    # An existing and a missing account look the same to a non-admin.
    assert theirs["detail"].replace(str(bob.id), "N") == nobody["detail"].replace("987654", "N")
    patch = await client.patch(
        f"/api/v1/users/{bob.id}", json={"full_name": "Hacked"}, headers=alice.headers
    )
    assert_problem(patch, 404)
    promote = await client.patch(
        f"/api/v1/users/{alice.id}", json={"is_admin": True}, headers=alice.headers
    )
    assert_problem(promote, 403)
    rename = await client.patch(
        f"/api/v1/users/{alice.id}", json={"full_name": "Alice A."}, headers=alice.headers
    )
    assert rename.json()["full_name"] == "Alice A."


async def test_admin_role_changes_and_deactivation_take_effect_and_are_audited(
    client: httpx.AsyncClient, make_user: MakeUser, admin_headers: dict[str, str], app: FastAPI
) -> None:
    user = await make_user()
    assert_problem(await client.get("/api/v1/users", headers=user.headers), 403)
    promoted = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_admin": True}, headers=admin_headers
    )
    assert promoted.json()["is_admin"] is True
    # The same token now carries the new role: roles are read per request, not from the token.
    listing = await client.get("/api/v1/users", headers=user.headers)
    assert listing.status_code == 200
    assert user.id in [u["id"] for u in listing.json()["items"]]
    self_demote = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_admin": False}, headers=user.headers
    )
    assert_problem(self_demote, 409)
    deactivated = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers
    )
    assert deactivated.json()["is_active"] is False
    assert_problem(await client.get("/api/v1/users/me", headers=user.headers), 401)
    async with app.state.db.session() as session:
        actions = (
            (
                await session.execute(
                    select(AuditLogEntry.action)
                    .where(AuditLogEntry.target_id == str(user.id))
                    .order_by(AuditLogEntry.id)
                )
            )
            .scalars()
            .all()
        )
    assert actions[-2:] == ["user.role_changed", "user.deactivated"]


async def test_user_listing_pages_by_id(
    client: httpx.AsyncClient, make_user: MakeUser, admin_headers: dict[str, str]
) -> None:
    for _ in range(3):
        await make_user()
    first = (await client.get("/api/v1/users?limit=2", headers=admin_headers)).json()
    assert len(first["items"]) == 2
    second = (
        await client.get(
            f"/api/v1/users?limit=2&after_id={first['next_after_id']}", headers=admin_headers
        )
    ).json()
    assert len(second["items"]) == 2
    assert second["next_after_id"] is None
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert ids == sorted(set(ids))
