"""Absurd input is a 4xx naming the field on both databases, never a 500.

Ids beyond what the database stores, explicit nulls where a value is required, and NUL
characters (which PostgreSQL refuses in text) in any JSON string, query or path parameter.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

# What the issue found unbounded, so that the sweep below cannot silently skip them.
NAMED_IN_THE_ISSUE = {
    "/api/v1/tasks/{task_id}/cancel",
    "/api/v1/tasks/{task_id}/approvals",
    "/api/v1/tasks/{task_id}/diff",
    "/api/v1/tasks/{task_id}/undo",
    "/api/v1/projects/{project_id}/validations",
    "/api/v1/projects/{project_id}/audits",
}
OUT_OF_RANGE = (2**31, 2**63, -1, 0)


def _int_path_params(route: APIRoute) -> list[str]:
    return [
        field.name for field in route.dependant.path_params if field.field_info.annotation is int
    ]


def _fill(template: str, ids: list[str], value: int) -> str:
    """The path with ``value`` for every id and a plain word for other parameters."""
    return re.sub(r"\{(\w+)\}", lambda m: str(value) if m[1] in ids else "x", template)


def _locations(response: httpx.Response) -> list[list[str]]:
    return [list(map(str, error["location"])) for error in response.json().get("errors", [])]


async def test_every_id_in_a_path_is_bounded(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    admin = await quick_user(is_admin=True)
    swept: set[str] = set()
    failures: list[str] = []
    for context in iter_route_contexts(app.routes):
        route, template = context.original_route, context.path or ""
        if not isinstance(route, APIRoute) or "{" not in template:
            continue
        ids = _int_path_params(route)
        for method in sorted((context.methods or set()) - {"HEAD"}):
            for value in OUT_OF_RANGE:
                path = _fill(template, ids, value)
                response = await client.request(method, path, headers=admin.headers)
                where = f"{method} {template} with {value}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                elif ids and response.status_code != 422:
                    failures.append(f"{where}: {response.status_code}, expected 422")
                elif ids and not any(loc[:2] == ["path", ids[0]] for loc in _locations(response)):
                    failures.append(f"{where}: the 422 does not name the id")
            swept.add(template)
    assert not failures, "\n".join(failures)
    assert swept >= NAMED_IN_THE_ISSUE, NAMED_IN_THE_ISSUE - swept


@pytest.mark.parametrize("value", [2**31, 2**63, 0])
async def test_ids_in_bodies_are_bounded(
    client: httpx.AsyncClient, team: Any, api: Any, value: int
) -> None:
    headers = team.maintainer.headers
    pid = team.project_id
    for path, body, location in [
        ("/api/v1/validations", {"project_id": value}, ["body", "project_id"]),
        (
            f"/api/v1/projects/{pid}/agent-tasks",
            {"instruction": "x", "depends_on": [value]},
            ["body", "depends_on", "0"],
        ),
        (f"/api/v1/projects/{pid}/tasks", {"title": "x", "depends_on": [value]}, None),
    ]:
        response = await client.post(path, json=body, headers=headers)
        api.problem(response, 422)
        if location is not None:
            assert location in _locations(response), (path, response.text)


async def test_a_null_permission_mode_is_refused_not_a_server_error(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    path = f"/api/v1/projects/{team.project_id}"
    response = await client.patch(
        path, json={"settings": {"permission_mode": None}}, headers=team.maintainer.headers
    )
    api.problem(response, 422)
    assert ["body", "settings", "permission_mode"] in _locations(response)
    kept = await client.get(path, headers=team.maintainer.headers)
    assert kept.json()["settings"]["permission_mode"] == "ask"
    cleared = await client.patch(
        path, json={"settings": {"ai_model": None}}, headers=team.maintainer.headers
    )
    assert cleared.status_code == 200, cleared.text


async def test_nul_characters_are_refused_everywhere(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    pid = team.project_id
    task = await api.new_task(team.developer, pid, "plain")
    nul = "a\x00b"
    cases: list[tuple[str, str, dict[str, Any] | None, dict[str, str] | None, list[str]]] = [
        (
            "POST",
            "/api/v1/projects",
            {"name": "n", "workspace_path": "n", "description": nul},
            None,
            ["body", "description"],
        ),
        ("PATCH", f"/api/v1/projects/{pid}", {"description": nul}, None, ["body", "description"]),
        (
            "PATCH",
            f"/api/v1/projects/{pid}",
            {"settings": {"test_command": nul}},
            None,
            ["body", "settings", "test_command"],
        ),
        ("POST", f"/api/v1/projects/{pid}/tasks", {"title": nul}, None, ["body", "title"]),
        (
            "PATCH",
            f"/api/v1/tasks/{task['id']}",
            {"description": nul},
            None,
            ["body", "description"],
        ),
        (
            "POST",
            f"/api/v1/projects/{pid}/workflows",
            {"name": "w", "tasks": [{"key": "a", "title": nul}]},
            None,
            ["body", "tasks", "0", "title"],
        ),
        (
            "POST",
            f"/api/v1/projects/{pid}/members",
            {"username": nul, "role": "viewer"},
            None,
            ["body", "username"],
        ),
        ("GET", "/api/v1/projects", None, {"name": nul}, ["query", "name"]),
        ("GET", "/api/v1/tasks", None, {"sort": nul}, ["query", "sort"]),
        (
            "POST",
            "/api/v1/templates/python-package/projects",
            {"project": {"name": "t", "workspace_path": "t"}, "answers": {"description": nul}},
            None,
            ["body", "answers", "description"],
        ),
    ]
    for method, path, body, params, location in cases:
        response = await client.request(
            method, path, json=body, params=params, headers=team.maintainer.headers
        )
        api.problem(response, 422)
        assert location in _locations(response), (method, path, response.text)
    listed = await client.get("/api/v1/tasks", headers=team.maintainer.headers)
    assert [t["title"] for t in listed.json()["items"]] == ["plain"]


async def test_overlong_names_and_link_loops_in_a_workspace_path_are_422(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    import os

    admin = await quick_user(is_admin=True)
    root = app.state.settings.effective_workspace_root
    root.mkdir(parents=True, exist_ok=True)
    os.symlink(root / "loop-b", root / "loop-a")
    os.symlink(root / "loop-a", root / "loop-b")
    for workspace in ["x" * 256, "ok/" + "é" * 128, "loop-a/x"]:
        response = await client.post(
            "/api/v1/projects",
            json={"name": "p", "workspace_path": workspace},
            headers=admin.headers,
        )
        api.problem(response, 422)


async def test_an_out_of_range_last_event_id_is_refused(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    path = f"/api/v1/projects/{team.project_id}/events"
    for header in ["9" * 30, " 4611686018427387905 "]:
        response = await client.get(path, headers={**team.viewer.headers, "Last-Event-ID": header})
        api.problem(response, 422)
        assert ["header", "last-event-id"] in _locations(response)
    for ignored in ["\xb2", "abc", ""]:
        response = await client.get(
            path, headers={**team.viewer.headers, "Last-Event-ID": ignored.encode("latin-1")}
        )
        assert response.status_code == 200, (ignored, response.text)


def test_every_422_is_documented_as_problem_json(app: FastAPI) -> None:
    undocumented = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            takes_input = operation.get("parameters") or operation.get("requestBody")
            invalid = operation["responses"].get("422")
            if invalid is None:
                if takes_input:
                    undocumented.append(f"{method.upper()} {path}: no 422")
                continue
            if list(invalid.get("content", {})) != ["application/problem+json"]:
                undocumented.append(f"{method.upper()} {path}: {list(invalid.get('content', {}))}")
    assert not undocumented, "\n".join(undocumented)


async def test_a_405_lists_every_method_of_the_path(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    for method, path, allowed in [
        ("PUT", f"/api/v1/projects/{team.project_id}", {"GET", "PATCH", "DELETE"}),
        ("PUT", "/api/v1/projects", {"GET", "POST"}),
        ("DELETE", "/api/v1/tasks", {"GET"}),
    ]:
        response = await client.request(method, path, headers=team.maintainer.headers)
        api.problem(response, 405)
        listed = {m.strip() for m in response.headers["allow"].split(",")}
        assert listed - {"HEAD"} == allowed, (path, response.headers["allow"])


def test_json_operations_document_400_413_and_415(app: FastAPI) -> None:
    missing = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in body:
                continue
            for status in ("400", "413", "415"):
                documented = operation["responses"].get(status, {}).get("content", {})
                if list(documented) != ["application/problem+json"]:
                    missing.append(f"{method.upper()} {path}: {status}")
    assert not missing, "\n".join(missing)
