"""Who may call what: the expected status of every route for every role.

``EXPECTATIONS`` is keyed by ``(METHOD, path template)`` exactly as the route table has them
(``"WEBSOCKET"`` for WebSocket routes). A route of the app without an entry fails the matrix
test, and so does an entry for a route that no longer exists.

An :class:`Expect` names the status for each role (see ``world.py`` for who the roles are)
and optionally how to build the request: ``json``/``form``/``query`` are values or async
callables of the :class:`~world.Scenario`; ``params`` maps path parameters to async callables
of the scenario, overriding ``PATH_PARAMS``. Values made for one request are fresh, so a
route that deletes something gets a new something for each role.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from claude_tui.services import api_keys
from claude_tui.services.principal import Principal
from integration.authz.world import ROLES, Scenario

Factory = Callable[[Scenario], Awaitable[Any]]


@dataclass(frozen=True)
class Expect:
    anonymous: int
    viewer: int
    developer: int
    maintainer: int
    admin: int
    other: int
    json: Any = None
    form: Any = None
    query: Any = None
    params: dict[str, Factory] = field(default_factory=dict)
    # WebSocket routes are listed so that none is forgotten; their handshake statuses are
    # exercised by the events tests, which speak the WebSocket protocol.
    websocket: bool = False

    def status(self, role: str) -> int:
        assert role in ROLES, role
        value: int = getattr(self, role)
        return value


def everyone(status: int, *, anonymous: int = 401, **request: Any) -> Expect:
    """The same status for every authenticated role."""
    return Expect(anonymous, status, status, status, status, status, **request)


def admin_only(status: int, *, denied: int = 403, **request: Any) -> Expect:
    return Expect(401, denied, denied, denied, status, denied, **request)


# ---- path parameters shared by many routes ---------------------------------------------


async def project_of_request(s: Scenario) -> int:
    return await s.project_id()


async def admin_user_id(s: Scenario) -> int:
    user_id = s.user("admin").user_id
    assert user_id is not None
    return user_id


async def fresh_admin_key(s: Scenario) -> int:
    async def make(scenario: Scenario) -> int:
        admin = scenario.user("admin")
        assert admin.user_id is not None
        assert admin.username is not None
        owner = Principal(user_id=admin.user_id, username=admin.username, is_admin=True)
        async with scenario.world.app.state.db.session() as session:
            created = await api_keys.create_key(session, owner, name="matrix", scopes=["*"])
        return created.key.id

    key_id: int = await s.once("key_id", make)
    return key_id


PATH_PARAMS: dict[str, Factory] = {
    "project_id": project_of_request,
    "user_id": admin_user_id,
    "key_id": fresh_admin_key,
}


# ---- request bodies ----------------------------------------------------------------------


async def own_credentials(s: Scenario) -> dict[str, str]:
    caller = s.caller
    if caller.username is None:
        return {"username": "nobody-at-all", "password": "Not-a-password-1"}
    assert caller.password is not None
    return {"username": caller.username, "password": caller.password}


async def own_refresh_token(s: Scenario) -> dict[str, str]:
    return {"refresh_token": s.made.get("refresh_token", "not-a-refresh-token")}


async def password_change(s: Scenario) -> dict[str, str]:
    current = s.caller.password or "Not-a-password-1"
    return {"current_password": current, "new_password": s.caller.next_password()}


async def new_account(_s: Scenario) -> dict[str, Any]:
    name = f"made-{secrets.token_hex(4)}"
    return {"username": name, "email": f"{name}@example.test", "password": "Made-passphrase-9"}


# ---- the matrix ------------------------------------------------------------------------

EXPECTATIONS: dict[tuple[str, str], Expect] = {
    # Operations and documentation: public.
    ("GET", "/health"): everyone(200, anonymous=200),
    ("GET", "/ready"): everyone(200, anonymous=200),
    ("GET", "/version"): everyone(200, anonymous=200),
    ("GET", "/metrics"): everyone(200, anonymous=200),
    ("GET", "/openapi.json"): everyone(200, anonymous=200),
    ("GET", "/docs"): everyone(200, anonymous=200),
    ("GET", "/docs/oauth2-redirect"): everyone(200, anonymous=200),
    # Identity.
    ("POST", "/api/v1/auth/token"): everyone(200, form=own_credentials),
    ("POST", "/api/v1/auth/refresh"): everyone(200, json=own_refresh_token),
    ("POST", "/api/v1/auth/logout"): everyone(204),
    ("GET", "/api/v1/users/me"): everyone(200),
    ("PUT", "/api/v1/users/me/password"): everyone(204, json=password_change),
    ("GET", "/api/v1/users"): admin_only(200),
    ("POST", "/api/v1/users"): admin_only(201, json=new_account),
    # {user_id} is the administrator: invisible (404) to everybody else.
    ("GET", "/api/v1/users/{user_id}"): admin_only(200, denied=404),
    ("PATCH", "/api/v1/users/{user_id}"): admin_only(
        200, denied=404, json={"full_name": "Renamed"}
    ),
    ("POST", "/api/v1/api-keys"): everyone(201, json={"name": "matrix", "scopes": ["*"]}),
    ("GET", "/api/v1/api-keys"): everyone(200),
    # {key_id} belongs to the administrator.
    ("DELETE", "/api/v1/api-keys/{key_id}"): admin_only(204, denied=404),
    ("GET", "/api/v1/audit"): admin_only(200),
}
