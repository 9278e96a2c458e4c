"""Workflows: sparc expansion, custom DAGs, scheduling with concurrency and failure."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import tasks, workflows
from claude_tui.services.errors import NotFoundError


async def _finish(app: FastAPI, task_id: int, outcome: TaskStatus) -> None:
    """What the worker does with a queued task."""
    async with app.state.db.session() as session:
        for status in (TaskStatus.RUNNING, TaskStatus.VALIDATING, outcome):
            await tasks.advance_task(session, None, task_id, status)


async def _schedule(client: httpx.AsyncClient, workflow_id: int, user: Any) -> dict[str, Any]:
    response = await client.post(f"/api/v1/workflows/{workflow_id}/schedule", headers=user.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_sparc_runs_its_five_phases_in_order(
    app: FastAPI, client: httpx.AsyncClient, team: Any
) -> None:
    created = await client.post(
        f"/api/v1/projects/{team.project_id}/workflows",
        json={"name": "export", "template": "sparc", "goal": "Add CSV export to reports"},
        headers=team.developer.headers,
    )
    assert created.status_code == 201, created.text
    flow = created.json()
    phases = flow["tasks"]
    assert [t["title"].split(":")[0] for t in phases] == [
        "Specification",
        "Pseudocode",
        "Architecture",
        "Refinement",
        "Completion",
    ]
    assert phases[0]["depends_on"] == []
    for before, after in itertools.pairwise(phases):
        assert after["depends_on"] == [before["id"]]
    assert flow["state"] == "pending"
    assert flow["template"] == "sparc"
    order = []
    for _ in range(5):
        step = await _schedule(client, flow["id"], team.developer)
        assert len(step["started"]) == 1
        order += step["started"]
        # Nothing more starts while the one task is still running.
        assert (await _schedule(client, flow["id"], team.developer))["started"] == []
        await _finish(app, step["started"][0], TaskStatus.SUCCEEDED)
    assert order == [t["id"] for t in phases]
    final = await _schedule(client, flow["id"], team.developer)
    assert final == {"workflow_id": flow["id"], "started": [], "cancelled": [], "finished": True}
    shown = await client.get(f"/api/v1/workflows/{flow['id']}", headers=team.viewer.headers)
    assert shown.json()["state"] == "succeeded"


async def test_independent_tasks_run_in_parallel_and_a_failure_cancels_dependents(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    created = await client.post(
        f"/api/v1/projects/{team.project_id}/workflows",
        json={
            "name": "release",
            "concurrency": 2,
            "tasks": [
                {"key": "lint", "title": "Lint"},
                {"key": "unit", "title": "Unit tests"},
                {"key": "docs", "title": "Docs"},
                {"key": "build", "title": "Build", "depends_on": ["lint", "unit"]},
                {"key": "ship", "title": "Ship", "depends_on": ["build"]},
            ],
        },
        headers=team.developer.headers,
    )
    assert created.status_code == 201, created.text
    flow = created.json()
    ids = {t["title"]: t["id"] for t in flow["tasks"]}
    first = await _schedule(client, flow["id"], team.developer)
    assert first["started"] == [ids["Lint"], ids["Unit tests"]]
    await _finish(app, ids["Lint"], TaskStatus.FAILED)
    second = await _schedule(client, flow["id"], team.developer)
    assert second["cancelled"] == [ids["Build"], ids["Ship"]]
    assert second["started"] == [ids["Docs"]]
    ship = (await client.get(f"/api/v1/tasks/{ids['Ship']}", headers=team.viewer.headers)).json()
    assert ship["status"] == "cancelled"
    assert ship["error"] == f"prerequisite task {ids['Build']} did not succeed"
    build = await client.get(f"/api/v1/tasks/{ids['Build']}", headers=team.viewer.headers)
    assert build.json()["error"] == f"prerequisite task {ids['Lint']} did not succeed"
    await _finish(app, ids["Unit tests"], TaskStatus.SUCCEEDED)
    await _finish(app, ids["Docs"], TaskStatus.SUCCEEDED)
    assert (await _schedule(client, flow["id"], team.developer))["finished"] is True
    listed = await client.get(
        "/api/v1/workflows", params={"project_id": team.project_id}, headers=team.viewer.headers
    )
    assert [(w["name"], w["state"]) for w in listed.json()["items"]] == [("release", "failed")]
    in_flow = await client.get(
        "/api/v1/tasks", params={"workflow_id": flow["id"]}, headers=team.viewer.headers
    )
    assert in_flow.json()["total"] == 5


async def test_invalid_workflows_are_rejected_with_the_reason(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    path = f"/api/v1/projects/{team.project_id}/workflows"
    headers = team.developer.headers
    cyclic = await client.post(
        path,
        json={
            "name": "loop",
            "tasks": [
                {"key": "a", "title": "A", "depends_on": ["c"]},
                {"key": "b", "title": "B", "depends_on": ["a"]},
                {"key": "c", "title": "C", "depends_on": ["b"]},
            ],
        },
        headers=headers,
    )
    body = api.problem(cyclic, 422)
    assert body["cycle"] == ["a", "c", "b", "a"]
    assert "task a -> task c -> task b -> task a" in body["detail"]
    for tasks_spec, words in [
        ([{"key": "a", "title": "A"}, {"key": "a", "title": "B"}], "repeated: a"),
        ([{"key": "a", "title": "A", "depends_on": ["zzz"]}], "'zzz', which is not defined"),
    ]:
        response = await client.post(path, json={"name": "x", "tasks": tasks_spec}, headers=headers)
        assert words in api.problem(response, 422)["detail"]
    for bad in [
        {"name": "x", "template": "sparc"},
        {"name": "x"},
        {"name": "x", "goal": "g", "tasks": [{"key": "a", "title": "A"}]},
        {"name": "x", "template": "sparc", "goal": "g", "tasks": [{"key": "a", "title": "A"}]},
        {"name": "x", "template": "sparc", "goal": "g", "concurrency": 0},
    ]:
        api.problem(await client.post(path, json=bad, headers=headers), 422)
    viewer = await client.post(
        path, json={"name": "x", "template": "sparc", "goal": "g"}, headers=team.viewer.headers
    )
    api.problem(viewer, 403)


async def test_workflows_are_updated_deleted_and_hidden_from_outsiders(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    created = await client.post(
        f"/api/v1/projects/{team.project_id}/workflows",
        json={"name": "w", "template": "sparc", "goal": "g"},
        headers=team.developer.headers,
    )
    flow = created.json()
    path = f"/api/v1/workflows/{flow['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method,
            path,
            json={"name": "x"} if method == "PATCH" else None,
            headers=team.outsider.headers,
        )
        assert api.problem(response, 404)["detail"] == f"Workflow {flow['id']} was not found."
    schedule = await client.post(f"{path}/schedule", headers=team.outsider.headers)
    api.problem(schedule, 404)
    outsider_list = await client.get("/api/v1/workflows", headers=team.outsider.headers)
    assert outsider_list.json()["total"] == 0
    renamed = await client.patch(
        path, json={"name": "renamed", "concurrency": 4}, headers=team.developer.headers
    )
    assert (renamed.json()["name"], renamed.json()["concurrency"]) == ("renamed", 4)
    outside = await api.new_task(
        team.developer, team.project_id, "after", [flow["tasks"][-1]["id"]]
    )
    blocked = await client.delete(path, headers=team.developer.headers)
    assert "outside the workflow" in api.problem(blocked, 409)["detail"]
    await client.delete(f"/api/v1/tasks/{outside['id']}", headers=team.developer.headers)
    await _schedule(client, flow["id"], team.developer)
    busy = await client.delete(path, headers=team.developer.headers)
    assert "active" in api.problem(busy, 409)["detail"]
    await client.post(
        f"/api/v1/tasks/{flow['tasks'][0]['id']}/status",
        json={"status": "cancelled"},
        headers=team.developer.headers,
    )
    assert (await client.delete(path, headers=team.developer.headers)).status_code == 204
    remaining = await client.get(
        "/api/v1/tasks", params={"project_id": team.project_id}, headers=team.viewer.headers
    )
    assert remaining.json()["total"] == 0
    async with app.state.db.session() as session:
        with pytest.raises(NotFoundError, match="was not found"):
            await workflows.schedule(session, None, flow["id"])


async def test_api_keys_need_the_scope_of_the_operation(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    from claude_tui.services import api_keys
    from claude_tui.services.principal import Principal

    owner = Principal(user_id=team.developer.id, username=team.developer.username)
    async with app.state.db.session() as session:
        reader = await api_keys.create_key(session, owner, name="ci", scopes=["tasks:read"])
    headers = {"X-API-Key": reader.secret}
    listed = await client.get("/api/v1/tasks", headers=headers)
    assert listed.status_code == 200, listed.text
    denied = await client.post(
        f"/api/v1/projects/{team.project_id}/tasks", json={"title": "x"}, headers=headers
    )
    assert "tasks:write" in api.problem(denied, 403)["detail"]
    projects = await client.get("/api/v1/projects", headers=headers)
    assert "projects:read" in api.problem(projects, 403)["detail"]
