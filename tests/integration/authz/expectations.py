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


# ---- projects, tasks, workflows, events, templates ---------------------------------------


def maintainer_principal(s: Scenario) -> Principal:
    """The request project's maintainer, who makes its tasks and workflows."""
    caller = s.user("maintainer")
    assert caller.user_id is not None
    assert caller.username is not None
    return Principal(user_id=caller.user_id, username=caller.username)


def member_only(
    status: int, *, denied: int = 403, viewer: int | None = None, **request: Any
) -> Expect:
    """Members from ``developer`` up (and admins) get ``status``; a viewer gets ``denied``
    unless ``viewer`` says otherwise; a non-member gets 404, never 403."""
    return Expect(401, denied if viewer is None else viewer, status, status, status, 404, **request)


def maintainer_only(status: int, **request: Any) -> Expect:
    return Expect(401, 403, 403, status, status, 404, **request)


def members_see(status: int = 200, **request: Any) -> Expect:
    return Expect(401, status, status, status, status, 404, **request)


async def new_project_body(_s: Scenario) -> dict[str, Any]:
    name = f"made-{secrets.token_hex(4)}"
    return {"name": name, "workspace_path": name}


async def template_project_body(_s: Scenario) -> dict[str, Any]:
    name = f"tpl-{secrets.token_hex(4)}"
    return {"project": {"name": name, "workspace_path": name}, "answers": {}}


async def viewer_user_id(s: Scenario) -> int:
    await s.project_id()
    user_id = s.user("viewer").user_id
    assert user_id is not None
    return user_id


async def other_user_as_viewer(s: Scenario) -> dict[str, Any]:
    return {"username": s.user("other").username, "role": "viewer"}


async def task_of_request(s: Scenario) -> int:
    from claude_tui.services import tasks

    async def make(scenario: Scenario) -> int:
        project_id = await scenario.project_id()
        async with scenario.world.app.state.db.session() as session:
            view = await tasks.create_task(
                session,
                None,
                maintainer_principal(scenario),
                project_id,
                tasks.TaskCreate(title="matrix"),
            )
        return view.id

    task_id: int = await s.once("task_id", make)
    return task_id


async def workflow_of_request(s: Scenario) -> int:
    from claude_tui.services import workflows

    async def make(scenario: Scenario) -> int:
        project_id = await scenario.project_id()
        data = workflows.WorkflowCreate(name="matrix", template="sparc", goal="matrix goal")
        async with scenario.world.app.state.db.session() as session:
            view = await workflows.create_workflow(
                session, None, maintainer_principal(scenario), project_id, data
            )
        return view.id

    workflow_id: int = await s.once("workflow_id", make)
    return workflow_id


async def python_package(_s: Scenario) -> str:
    return "python-package"


async def readme_in_workspace(s: Scenario) -> dict[str, str]:
    """A file in this request's project workspace, so members can read it."""
    project_id = await s.project_id()
    async with s.world.app.state.db.session() as session:
        from claude_tui.storage.models import Project

        project = await session.get(Project, project_id)
        assert project is not None
        workspace = s.world.workspace_root / project.workspace_path
    (workspace / "README.md").write_text("# matrix\n")
    return {"path": "README.md"}


async def validation_of_project(s: Scenario) -> dict[str, Any]:
    return {"project_id": await s.project_id(), "code": "x = 1\n", "language": "python"}


TASK = {"task_id": task_of_request}
WORKFLOW = {"workflow_id": workflow_of_request}


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
    # Projects: creating one makes you its maintainer; {project_id} has viewer, developer and
    # maintainer as members; "other" is not a member and gets 404 everywhere in it.
    ("POST", "/api/v1/projects"): everyone(201, json=new_project_body),
    ("GET", "/api/v1/projects"): everyone(200),
    ("GET", "/api/v1/projects/{project_id}"): members_see(),
    ("PATCH", "/api/v1/projects/{project_id}"): maintainer_only(200, json={"description": "m"}),
    ("DELETE", "/api/v1/projects/{project_id}"): maintainer_only(204),
    ("GET", "/api/v1/projects/{project_id}/members"): members_see(),
    ("POST", "/api/v1/projects/{project_id}/members"): maintainer_only(
        202, json=other_user_as_viewer
    ),
    ("PATCH", "/api/v1/projects/{project_id}/members/{user_id}"): maintainer_only(
        200, json={"role": "developer"}, params={"user_id": viewer_user_id}
    ),
    ("DELETE", "/api/v1/projects/{project_id}/members/{user_id}"): maintainer_only(
        204, params={"user_id": viewer_user_id}
    ),
    # Tasks and workflows: viewers read, developers and up write.
    ("POST", "/api/v1/projects/{project_id}/tasks"): member_only(201, json={"title": "m"}),
    ("GET", "/api/v1/tasks"): everyone(200),
    ("GET", "/api/v1/tasks/{task_id}"): members_see(params=TASK),
    ("PATCH", "/api/v1/tasks/{task_id}"): member_only(200, json={"title": "t"}, params=TASK),
    ("DELETE", "/api/v1/tasks/{task_id}"): member_only(204, params=TASK),
    ("POST", "/api/v1/tasks/{task_id}/status"): member_only(
        200, json={"status": "queued"}, params=TASK
    ),
    ("POST", "/api/v1/projects/{project_id}/workflows"): member_only(
        201, json={"name": "m", "template": "sparc", "goal": "a goal"}
    ),
    ("GET", "/api/v1/workflows"): everyone(200),
    ("GET", "/api/v1/workflows/{workflow_id}"): members_see(params=WORKFLOW),
    ("PATCH", "/api/v1/workflows/{workflow_id}"): member_only(
        200, json={"concurrency": 3}, params=WORKFLOW
    ),
    ("DELETE", "/api/v1/workflows/{workflow_id}"): member_only(204, params=WORKFLOW),
    ("POST", "/api/v1/workflows/{workflow_id}/schedule"): member_only(200, params=WORKFLOW),
    ("GET", "/api/v1/projects/{project_id}/events"): members_see(),
    ("WEBSOCKET", "/api/v1/projects/{project_id}/events"): members_see(websocket=True),
    # Templates: every user may list them and start a project of their own from one.
    ("GET", "/api/v1/templates"): everyone(200),
    ("GET", "/api/v1/templates/{name}"): everyone(200, params={"name": python_package}),
    ("POST", "/api/v1/templates/{name}/projects"): everyone(
        201, json=template_project_body, params={"name": python_package}
    ),
    # The terminal UI's reads: workspace files, the dashboard, the provider in use.
    ("GET", "/api/v1/projects/{project_id}/files"): members_see(),
    ("GET", "/api/v1/projects/{project_id}/files/content"): members_see(query=readme_in_workspace),
    ("GET", "/api/v1/dashboard"): everyone(200),
    ("GET", "/api/v1/agent/status"): everyone(200),
    # The server's model provider: anyone signed in sees it (never the key); admins change it.
    # The body sets no key and no provider, so the matrix app stays without a provider.
    ("GET", "/api/v1/settings/provider"): everyone(200),
    ("PUT", "/api/v1/settings/provider"): admin_only(200, json={"model": "matrix-model"}),
    ("DELETE", "/api/v1/settings/provider/api-key"): admin_only(200),
    # Trying the provider spends the stored key on an outbound call: admins only.
    ("POST", "/api/v1/settings/provider/test"): admin_only(200),
    # Validation and audit: running one is a developer's act, reading reports a viewer's.
    ("POST", "/api/v1/validations"): member_only(201, json=validation_of_project),
    ("GET", "/api/v1/projects/{project_id}/validations"): members_see(),
    ("POST", "/api/v1/projects/{project_id}/audits"): member_only(
        200, json={"scanners": ["secrets"]}
    ),
    # The agent: no provider is configured in the matrix app, so starting a task is a 422
    # for those who may; a task that never ran has no branch to diff or undo (409).
    ("POST", "/api/v1/projects/{project_id}/agent-tasks"): member_only(
        422, json={"instruction": "do it"}
    ),
    ("GET", "/api/v1/tasks/{task_id}/approvals"): members_see(params=TASK),
    ("POST", "/api/v1/tasks/{task_id}/approvals"): member_only(
        404, json={"call_id": "none", "approved": True}, params=TASK
    ),
    ("POST", "/api/v1/tasks/{task_id}/cancel"): member_only(200, params=TASK),
    ("GET", "/api/v1/tasks/{task_id}/diff"): members_see(409, params=TASK),
    ("POST", "/api/v1/tasks/{task_id}/undo"): member_only(409, params=TASK),
}
