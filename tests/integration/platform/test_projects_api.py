"""Projects and members through the API: workspaces, RBAC, 404-not-403, lists, audit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from claude_tui.storage.models import AuditLogEntry


def _root(app: FastAPI) -> Path:
    root: Path = app.state.settings.effective_workspace_root
    return root


async def _audit(app: FastAPI, action: str) -> list[AuditLogEntry]:
    async with app.state.db.session() as session:
        rows = await session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action))
        return list(rows)


async def test_creating_a_project_makes_its_workspace_and_its_creator_maintainer(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any
) -> None:
    owner = await quick_user()
    response = await client.post(
        "/api/v1/projects",
        json={
            "name": "shop",
            "workspace_path": "teams/shop",
            "git_remote": "git@example.com:team/shop.git",
            "settings": {"test_command": "pytest -q", "permission_mode": "auto"},
        },
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    project = response.json()
    assert project["role"] == "maintainer"
    assert project["workspace_path"] == "teams/shop"
    assert project["settings"] == {
        "test_command": "pytest -q",
        "ai_model": None,
        "permission_mode": "auto",
    }
    assert (_root(app) / "teams" / "shop").is_dir()
    assert [e.target_id for e in await _audit(app, "project.created")] == [str(project["id"])]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../escape", "'..'"),
        ("ok/../../escape", "'..'"),
        ("/etc", "inside the workspace root"),
        (".", "below the workspace root"),
        ("", "at least 1 character"),
    ],
)
async def test_workspace_paths_outside_the_root_are_rejected(
    client: httpx.AsyncClient, quick_user: Any, api: Any, path: str, reason: str
) -> None:
    owner = await quick_user()
    response = await client.post(
        "/api/v1/projects", json={"name": "p", "workspace_path": path}, headers=owner.headers
    )
    body = api.problem(response, 422)
    assert reason in response.text, body


async def test_symlinks_that_escape_the_root_are_rejected_and_inner_ones_accepted(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any, tmp_path: Path
) -> None:
    owner = await quick_user()
    admin = await quick_user(is_admin=True)
    root = _root(app)
    root.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "sneaky")
    (root / "real").mkdir()
    os.symlink(root / "real", root / "alias")
    # What the disk holds is explained to administrators only (see test_workspace_claims).
    escaped = {"name": "p", "workspace_path": "sneaky/project"}
    api.problem(await client.post("/api/v1/projects", json=escaped, headers=owner.headers), 409)
    explained = await client.post("/api/v1/projects", json=escaped, headers=admin.headers)
    assert "symbolic link" in api.problem(explained, 422)["detail"]
    absolute = await client.post(
        "/api/v1/projects",
        json={"name": "p", "workspace_path": str(outside)},
        headers=owner.headers,
    )
    api.problem(absolute, 422)
    inside = await client.post(
        "/api/v1/projects",
        json={"name": "p", "workspace_path": str(root / "alias" / "x")},
        headers=owner.headers,
    )
    assert inside.status_code == 201, inside.text
    assert inside.json()["workspace_path"] == "real/x"
    clash = await client.post(
        "/api/v1/projects", json={"name": "q", "workspace_path": "real/x"}, headers=owner.headers
    )
    api.problem(clash, 409)
    (root / "file.txt").write_text("x")
    not_dir = {"name": "r", "workspace_path": "file.txt"}
    api.problem(await client.post("/api/v1/projects", json=not_dir, headers=owner.headers), 409)
    named = await client.post("/api/v1/projects", json=not_dir, headers=admin.headers)
    assert "names a file" in api.problem(named, 422)["detail"]


@pytest.mark.parametrize(
    "remote", ["ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/x", "/srv/repo.git"]
)
async def test_unsafe_git_remotes_are_rejected(
    client: httpx.AsyncClient, quick_user: Any, api: Any, remote: str
) -> None:
    owner = await quick_user()
    response = await client.post(
        "/api/v1/projects",
        json={"name": "p", "workspace_path": "p", "git_remote": remote},
        headers=owner.headers,
    )
    api.problem(response, 422)


async def test_non_members_get_the_same_404_as_for_a_missing_project(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    pid = team.project_id
    missing = api.problem(
        await client.get("/api/v1/projects/999999", headers=team.outsider.headers), 404
    )
    for method, path, body in [
        ("GET", f"/api/v1/projects/{pid}", None),
        ("PATCH", f"/api/v1/projects/{pid}", {"description": "mine now"}),
        ("DELETE", f"/api/v1/projects/{pid}", None),
        ("GET", f"/api/v1/projects/{pid}/members", None),
        (
            "POST",
            f"/api/v1/projects/{pid}/members",
            {"username": team.outsider.username, "role": "viewer"},
        ),
        ("POST", f"/api/v1/projects/{pid}/tasks", {"title": "x"}),
        ("GET", f"/api/v1/projects/{pid}/events", None),
    ]:
        response = await client.request(method, path, json=body, headers=team.outsider.headers)
        got = api.problem(response, 404)
        assert got["detail"] == f"Project {pid} was not found.", (method, path)
        assert missing["detail"] == "Project 999999 was not found."
        assert got["title"] == missing["title"]


async def test_roles_decide_who_may_change_a_project(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    path = f"/api/v1/projects/{team.project_id}"
    for user in (team.viewer, team.developer):
        assert (await client.get(path, headers=user.headers)).status_code == 200
        denied = api.problem(
            await client.patch(path, json={"description": "x"}, headers=user.headers), 403
        )
        assert "'maintainer' or higher" in denied["detail"]
    changed = await client.patch(
        path,
        json={"description": "the alpha project", "settings": {"ai_model": "claude-sonnet-4-5"}},
        headers=team.maintainer.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"]["ai_model"] == "claude-sonnet-4-5"
    assert changed.json()["settings"]["permission_mode"] == "ask"
    by_admin = await client.patch(path, json={"name": "alpha2"}, headers=team.admin.headers)
    assert by_admin.status_code == 200
    assert by_admin.json()["role"] is None
    taken = await client.patch(path, json={"name": "other"}, headers=team.maintainer.headers)
    api.problem(taken, 409)
    bad_mode = await client.patch(
        path, json={"settings": {"permission_mode": "yolo"}}, headers=team.maintainer.headers
    )
    api.problem(bad_mode, 422)


async def test_lists_show_only_visible_projects_with_consistent_totals(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    for index in range(4):
        await api.new_project(team.developer, f"dev-{index}")
    mine = (await client.get("/api/v1/projects", headers=team.developer.headers)).json()
    assert mine["total"] == 5
    assert {p["name"] for p in mine["items"]} == {"alpha", "dev-0", "dev-1", "dev-2", "dev-3"}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "sort": "name", "order": "desc"}
        if cursor:
            params["cursor"] = cursor
        page = (
            await client.get("/api/v1/projects", params=params, headers=team.developer.headers)
        ).json()
        assert page["total"] == 5
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["dev-3", "dev-2", "dev-1", "dev-0", "alpha"]
    everything = (await client.get("/api/v1/projects", headers=team.admin.headers)).json()
    assert everything["total"] == 6
    filtered = await client.get(
        "/api/v1/projects", params={"name": "DEV-"}, headers=team.developer.headers
    )
    assert filtered.json()["total"] == 4
    first = await client.get(
        "/api/v1/projects", params={"limit": 1}, headers=team.developer.headers
    )
    wrong_sort = await client.get(
        "/api/v1/projects",
        params={"cursor": first.json()["next_cursor"], "sort": "name"},
        headers=team.developer.headers,
    )
    assert "another sort order" in api.problem(wrong_sort, 422)["detail"]
    garbage = await client.get(
        "/api/v1/projects", params={"cursor": "!!!"}, headers=team.developer.headers
    )
    api.problem(garbage, 422)
    unknown_sort = await client.get(
        "/api/v1/projects", params={"sort": "password"}, headers=team.developer.headers
    )
    assert "choose one of" in api.problem(unknown_sort, 422)["detail"]
    future = await client.get(
        "/api/v1/projects",
        params={"created_after": "2999-01-01T00:00:00Z"},
        headers=team.developer.headers,
    )
    assert future.json() == {"items": [], "total": 0, "next_cursor": None}
    past = await client.get(
        "/api/v1/projects",
        params={"created_before": "2999-01-01T00:00:00Z"},
        headers=team.developer.headers,
    )
    assert past.json()["total"] == 5


async def test_members_are_managed_by_maintainers_and_audited(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any, quick_user: Any
) -> None:
    base = f"/api/v1/projects/{team.project_id}/members"
    listed = (await client.get(base, headers=team.viewer.headers)).json()
    assert {(m["username"], m["role"]) for m in listed} == {
        ("maya", "maintainer"),
        ("dev", "developer"),
        ("vic", "viewer"),
    }
    newcomer = await quick_user("nina")
    denied = await client.post(
        base, json={"username": "nina", "role": "viewer"}, headers=team.developer.headers
    )
    api.problem(denied, 403)
    added = await client.post(
        base, json={"username": "nina", "role": "viewer"}, headers=team.maintainer.headers
    )
    assert added.status_code == 202, added.text
    listed = (await client.get(base, headers=team.viewer.headers)).json()
    assert ("nina", "viewer") in {(m["username"], m["role"]) for m in listed}
    both = await client.post(
        base,
        json={"username": "nina", "email": "nina@example.test", "role": "viewer"},
        headers=team.maintainer.headers,
    )
    api.problem(both, 422)
    by_id = await client.post(
        base, json={"user_id": newcomer.id, "role": "viewer"}, headers=team.maintainer.headers
    )
    api.problem(by_id, 422)
    promoted = await client.patch(
        f"{base}/{newcomer.id}", json={"role": "developer"}, headers=team.maintainer.headers
    )
    assert promoted.json()["role"] == "developer"
    unchanged = await client.patch(
        f"{base}/{newcomer.id}", json={"role": "developer"}, headers=team.maintainer.headers
    )
    assert unchanged.status_code == 200
    removed = await client.delete(f"{base}/{newcomer.id}", headers=team.maintainer.headers)
    assert removed.status_code == 204
    gone = await client.delete(f"{base}/{newcomer.id}", headers=team.maintainer.headers)
    api.problem(gone, 404)
    last = await client.patch(
        f"{base}/{team.maintainer.id}", json={"role": "viewer"}, headers=team.maintainer.headers
    )
    assert "at least one maintainer" in api.problem(last, 409)["detail"]
    leave = await client.delete(f"{base}/{team.maintainer.id}", headers=team.maintainer.headers)
    api.problem(leave, 409)
    # Seeing the project after removal is a 404, like any non-member.
    gone_view = await client.get(f"/api/v1/projects/{team.project_id}", headers=newcomer.headers)
    api.problem(gone_view, 404)

    added_entries = await _audit(app, "member.added")
    assert [e.detail["username"] for e in added_entries].count("nina") == 1
    (role_change,) = await _audit(app, "member.role_changed")
    assert role_change.actor_id == team.maintainer.id
    assert role_change.detail == {"user_id": newcomer.id, "from": "viewer", "to": "developer"}
    (removal,) = await _audit(app, "member.removed")
    assert removal.target_id == str(team.project_id)
    assert removal.request_id


async def test_deleting_a_project_is_audited_and_keeps_the_files(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    path = f"/api/v1/projects/{team.project_id}"
    await api.new_task(team.developer, team.project_id, "t1")
    api.problem(await client.delete(path, headers=team.developer.headers), 403)
    assert (await client.delete(path, headers=team.maintainer.headers)).status_code == 204
    api.problem(await client.get(path, headers=team.maintainer.headers), 404)
    assert (_root(app) / "alpha").is_dir()
    (entry,) = await _audit(app, "project.deleted")
    assert entry.detail["name"] == "alpha"
    assert entry.actor_id == team.maintainer.id
    tasks = await client.get("/api/v1/tasks", headers=team.admin.headers)
    assert tasks.json()["total"] == 0


async def test_requests_without_credentials_are_401(client: httpx.AsyncClient, api: Any) -> None:
    for method, path in [
        ("GET", "/api/v1/projects"),
        ("GET", "/api/v1/tasks"),
        ("GET", "/api/v1/templates"),
        ("GET", "/api/v1/workflows"),
    ]:
        api.problem(await client.request(method, path), 401)


async def test_concurrent_creations_of_one_name_give_one_project_and_conflicts(
    client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    import asyncio

    owner = await quick_user()
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/projects",
                json={"name": "race", "workspace_path": f"race-{index}"},
                headers=owner.headers,
            )
            for index in range(4)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    listed = await client.get("/api/v1/projects", params={"name": "race"}, headers=owner.headers)
    assert listed.json()["total"] == 1


async def test_adding_a_member_answers_the_same_whether_or_not_the_account_exists(
    client: httpx.AsyncClient, team: Any, api: Any, quick_user: Any
) -> None:
    base = f"/api/v1/projects/{team.project_id}/members"
    await quick_user("zoe")
    inactive = await quick_user("ivan")
    deactivated = await client.patch(
        f"/api/v1/users/{inactive.id}", json={"is_active": False}, headers=team.admin.headers
    )
    assert deactivated.status_code == 200, deactivated.text

    def comparable(response: httpx.Response) -> tuple[int, dict[str, Any]]:
        body = dict(response.json())
        body.pop("request_id", None)
        return response.status_code, body

    answers = {}
    for label, body in [
        ("by name", {"username": "zoe", "role": "developer"}),
        ("by address", {"email": "OTTO@example.test", "role": "developer"}),
        ("already a member", {"username": "dev", "role": "developer"}),
        ("no such name", {"username": "ghost", "role": "developer"}),
        ("no such address", {"email": "ghost@example.test", "role": "developer"}),
        ("deactivated", {"username": "ivan", "role": "developer"}),
    ]:
        response = await client.post(base, json=body, headers=team.maintainer.headers)
        answers[label] = comparable(response)
    assert len(set(map(str, answers.values()))) == 1, answers
    status, body = answers["by name"]
    assert status == 202
    assert "username" not in body
    assert "user_id" not in body
    members = (await client.get(base, headers=team.maintainer.headers)).json()
    assert {m["username"]: m["role"] for m in members} == {
        "maya": "maintainer",
        "dev": "developer",
        "vic": "viewer",
        "zoe": "developer",
        "otto": "developer",
    }
