"""A project with a member of each role, and an outsider, for the platform API tests.

Fixtures:
``team``   a project "alpha" with a maintainer, a developer and a viewer; an outsider who has
           a project "other" of their own; and an admin. Attributes: ``project_id``,
           ``maintainer``, ``developer``, ``viewer``, ``outsider``, ``admin`` (AuthUser).
``api``    helpers over the test client: ``new_project``, ``add_member``, ``new_task``,
           ``problem`` (asserts a problem+json response with a status and returns its body).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conftest import AuthUser

PROBLEM = "application/problem+json"


class PlatformApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def new_project(self, owner: Any, name: str, **fields: Any) -> dict[str, Any]:
        body = {"name": name, "workspace_path": name, **fields}
        response = await self.client.post("/api/v1/projects", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        project: dict[str, Any] = response.json()
        return project

    async def add_member(self, owner: Any, project_id: int, user: Any, role: str) -> None:
        response = await self.client.post(
            f"/api/v1/projects/{project_id}/members",
            json={"username": user.username, "role": role},
            headers=owner.headers,
        )
        assert response.status_code == 202, response.text

    async def new_task(
        self, user: Any, project_id: int, title: str, depends_on: list[int] | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(
            f"/api/v1/projects/{project_id}/tasks",
            json={"title": title, "description": f"do {title}", "depends_on": depends_on or []},
            headers=user.headers,
        )
        assert response.status_code == 201, response.text
        task: dict[str, Any] = response.json()
        return task

    @staticmethod
    def problem(response: httpx.Response, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        body: dict[str, Any] = response.json()
        assert body["status"] == status
        return body


@dataclass(frozen=True)
class Team:
    project: dict[str, Any]
    maintainer: Any
    developer: Any
    viewer: Any
    outsider: Any
    admin: Any
    other_project: dict[str, Any]

    @property
    def project_id(self) -> int:
        return int(self.project["id"])


@pytest.fixture
def api(client: httpx.AsyncClient) -> PlatformApi:
    return PlatformApi(client)


@pytest.fixture
def quick_user(app: FastAPI) -> Callable[..., Awaitable[Any]]:
    """Like ``make_user`` but without hashing a password, which these tests never use.

    Argon2 is deliberately slow; a team of five per test would dominate the run time.
    """
    from claude_tui.api.deps import policy_for
    from claude_tui.services import tokens
    from claude_tui.storage.models import User

    async def factory(username: str | None = None, *, is_admin: bool = False) -> Any:
        name = username or f"user-{secrets.token_hex(4)}"
        async with app.state.db.session() as session:
            user = User(
                username=name,
                email=f"{name}@example.test",
                password_hash="!no-password",
                is_admin=is_admin,
            )
            session.add(user)
            await session.commit()
            pair = await tokens.start_session(session, policy_for(app), user)
        return AuthUser(user.id, name, "", pair.access_token, pair.refresh_token)

    return factory


@pytest.fixture
async def team(api: PlatformApi, quick_user: Callable[..., Awaitable[Any]]) -> Team:
    admin = await quick_user("ada", is_admin=True)
    maintainer = await quick_user("maya")
    developer = await quick_user("dev")
    viewer = await quick_user("vic")
    outsider = await quick_user("otto")
    project = await api.new_project(maintainer, "alpha")
    await api.add_member(maintainer, project["id"], developer, "developer")
    await api.add_member(maintainer, project["id"], viewer, "viewer")
    # The outsider has a project of their own, so that leaks would have something to leak.
    other = await api.new_project(outsider, "other")
    return Team(project, maintainer, developer, viewer, outsider, admin, other)
