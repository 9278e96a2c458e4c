"""The people and projects the authorization matrix calls the API with.

Roles: ``anonymous`` (no credentials), ``viewer``, ``developer`` and ``maintainer`` (members
of the project a request is about), ``admin`` (platform administrator, member of nothing)
and ``other`` (maintainer of a different project only).

Every request gets a fresh :class:`Scenario`: a fresh session for the caller (so logout or
a password change affects only that request) and, on first use, a fresh project with the
three members, so destructive routes never disturb the next request.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from claude_tui.api.deps import policy_for
from claude_tui.services import identity, tokens
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Project, ProjectMember, User

ROLES = ("anonymous", "viewer", "developer", "maintainer", "admin", "other")
MEMBER_ROLES = ("viewer", "developer", "maintainer")
OPERATOR = Principal(user_id=0, username="matrix-operator", is_admin=True, via="local")


@dataclass
class Caller:
    """Who sends a request; ``password`` follows password changes made by the matrix."""

    role: str
    user_id: int | None = None
    username: str | None = None
    password: str | None = None

    def next_password(self) -> str:
        """A new valid password, remembered as the caller's own from now on."""
        self.password = f"Matrix-{secrets.token_urlsafe(12)}"
        return self.password


@dataclass
class World:
    """The accounts and the other project, made once per database."""

    app: FastAPI
    callers: dict[str, Caller]
    other_project_id: int

    @property
    def workspace_root(self) -> Path:
        root: Path = self.app.state.settings.effective_workspace_root
        return root

    async def new_project(self, members: dict[str, str]) -> int:
        """A project with a workspace directory and the given members (role name -> role)."""
        name = f"matrix-{secrets.token_hex(5)}"
        (self.workspace_root / name).mkdir(parents=True, exist_ok=True)
        async with self.app.state.db.session() as session:
            project = Project(name=name, workspace_path=name)
            session.add(project)
            await session.flush()
            for who, role in members.items():
                user_id = self.callers[who].user_id
                assert user_id is not None
                session.add(ProjectMember(project_id=project.id, user_id=user_id, role=role))
            await session.commit()
            return project.id


async def build_world(app: FastAPI) -> World:
    callers: dict[str, Caller] = {"anonymous": Caller("anonymous")}
    async with app.state.db.session() as session:
        for role in ROLES[1:]:
            password = f"Matrix-{secrets.token_urlsafe(12)}"
            view = await identity.create_user(
                session,
                OPERATOR,
                username=f"matrix-{role}",
                email=f"matrix-{role}@example.test",
                password=password,
                is_admin=role == "admin",
            )
            callers[role] = Caller(role, view.id, view.username, password)
    world = World(app, callers, other_project_id=0)
    world.other_project_id = await world.new_project({"other": "maintainer"})
    return world


@dataclass
class Scenario:
    """One request of the matrix: the caller, and objects made for this request only."""

    world: World
    caller: Caller
    made: dict[str, Any] = field(default_factory=dict)

    async def headers(self) -> dict[str, str]:
        if self.caller.user_id is None:
            return {}
        async with self.world.app.state.db.session() as session:
            user = await session.get(User, self.caller.user_id)
            assert user is not None
            pair = await tokens.start_session(session, policy_for(self.world.app), user)
        self.made["refresh_token"] = pair.refresh_token
        return {"Authorization": f"Bearer {pair.access_token}"}

    async def once(self, name: str, make: Callable[[Scenario], Awaitable[Any]]) -> Any:
        """``make(self)`` the first time ``name`` is asked for in this request."""
        if name not in self.made:
            self.made[name] = await make(self)
        return self.made[name]

    async def project_id(self) -> int:
        """This request's project: viewer, developer and maintainer are its members."""

        async def make(scenario: Scenario) -> int:
            return await scenario.world.new_project({r: r for r in MEMBER_ROLES})

        project_id: int = await self.once("project_id", make)
        return project_id

    def user(self, role: str) -> Caller:
        return self.world.callers[role]
