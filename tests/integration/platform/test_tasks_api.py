"""Tasks through the API: dependencies and cycles, transitions, progress, visibility."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import tasks
from claude_tui.services.errors import InvalidInputError, NotFoundError


async def test_dependencies_are_kept_and_cycles_are_rejected_naming_the_cycle(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    a = await api.new_task(team.developer, team.project_id, "a")
    b = await api.new_task(team.developer, team.project_id, "b", [a["id"]])
    c = await api.new_task(team.developer, team.project_id, "c", [b["id"], b["id"]])
    assert c["depends_on"] == [b["id"]]
    response = await client.patch(
        f"/api/v1/tasks/{a['id']}", json={"depends_on": [c["id"]]}, headers=team.developer.headers
    )
    body = api.problem(response, 422)
    cycle = [a["id"], c["id"], b["id"], a["id"]]
    assert body["cycle"] == cycle
    assert " -> ".join(f"task {n}" for n in cycle) in body["detail"]
    unchanged = (await client.get(f"/api/v1/tasks/{a['id']}", headers=team.viewer.headers)).json()
    assert unchanged["depends_on"] == []
    itself = await client.patch(
        f"/api/v1/tasks/{a['id']}", json={"depends_on": [a["id"]]}, headers=team.developer.headers
    )
    assert "itself" in api.problem(itself, 422)["detail"]


async def test_dependencies_on_other_projects_read_like_missing_tasks(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    foreign = await api.new_task(team.outsider, team.other_project["id"], "theirs")
    responses = []
    for dep in (foreign["id"], 987654):
        response = await client.post(
            f"/api/v1/projects/{team.project_id}/tasks",
            json={"title": "x", "depends_on": [dep]},
            headers=team.developer.headers,
        )
        responses.append(api.problem(response, 422)["detail"].replace(str(dep), "N"))
    assert responses[0] == responses[1]


async def test_status_changes_follow_the_state_machine(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    task = await api.new_task(team.developer, team.project_id, "run me")
    path = f"/api/v1/tasks/{task['id']}/status"
    headers = team.developer.headers
    queued = await client.post(path, json={"status": "queued"}, headers=headers)
    assert queued.json()["status"] == "queued"
    again = api.problem(await client.post(path, json={"status": "queued"}, headers=headers), 409)
    assert "from 'queued' to 'queued'" in again["detail"]
    assert again["current"] == "queued"
    back = api.problem(await client.post(path, json={"status": "pending"}, headers=headers), 409)
    assert "running, failed, cancelled" in back["detail"]
    worker_only = await client.post(path, json={"status": "succeeded"}, headers=headers)
    api.problem(worker_only, 422)
    cancelled = (await client.post(path, json={"status": "cancelled"}, headers=headers)).json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["error"] == "cancelled by dev"
    assert cancelled["finished_at"] is not None
    retried = (await client.post(path, json={"status": "pending"}, headers=headers)).json()
    assert (retried["status"], retried["error"], retried["finished_at"]) == ("pending", None, None)
    viewer = await client.post(path, json={"status": "queued"}, headers=team.viewer.headers)
    api.problem(viewer, 403)


async def test_the_worker_path_records_claimed_and_verified_progress_apart(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    task = await api.new_task(team.developer, team.project_id, "build it")
    task_id = task["id"]
    async with app.state.db.session() as session:
        for status in ("queued", "running", "validating"):
            await tasks.advance_task(session, None, task_id, TaskStatus(status))
        await tasks.record_progress(
            session,
            None,
            task_id,
            claimed=100,
            verified=40,
            tokens_in=1200,
            tokens_out=300,
            cost_usd=Decimal("0.0125"),
        )
        await tasks.record_progress(
            session, None, task_id, tokens_in=10, tokens_out=5, cost_usd=Decimal("0.0005")
        )
        await tasks.advance_task(session, None, task_id, TaskStatus.FAILED, reason="tests fail")
        with pytest.raises(InvalidInputError):
            await tasks.record_progress(session, None, task_id, verified=140)
        with pytest.raises(InvalidInputError):
            await tasks.record_progress(session, None, task_id, tokens_in=-1)
        with pytest.raises(NotFoundError):
            await tasks.advance_task(session, None, 424242, TaskStatus.QUEUED)
        with pytest.raises(NotFoundError):
            await tasks.record_progress(session, None, 424242, claimed=1)
    seen = (await client.get(f"/api/v1/tasks/{task_id}", headers=team.viewer.headers)).json()
    assert seen["claimed_progress"] == 100
    assert seen["verified_progress"] == 40
    assert (seen["tokens_in"], seen["tokens_out"]) == (1210, 305)
    assert Decimal(seen["cost_usd"]) == Decimal("0.013")
    assert seen["status"] == "failed"
    assert seen["error"] == "tests fail"
    assert seen["started_at"] is not None
    assert seen["finished_at"] is not None


async def test_task_lists_filter_sort_and_never_show_other_projects(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    made = [await api.new_task(team.developer, team.project_id, f"t{i}") for i in range(5)]
    await api.new_task(team.outsider, team.other_project["id"], "secret")
    await client.post(
        f"/api/v1/tasks/{made[0]['id']}/status",
        json={"status": "queued"},
        headers=team.developer.headers,
    )
    mine = (await client.get("/api/v1/tasks", headers=team.viewer.headers)).json()
    assert mine["total"] == 5
    assert "secret" not in {t["title"] for t in mine["items"]}
    probing = await client.get(
        "/api/v1/tasks",
        params={"project_id": team.other_project["id"]},
        headers=team.viewer.headers,
    )
    assert probing.json() == {"items": [], "total": 0, "next_cursor": None}
    queued = await client.get(
        "/api/v1/tasks", params={"status": ["queued", "running"]}, headers=team.viewer.headers
    )
    assert [t["id"] for t in queued.json()["items"]] == [made[0]["id"]]
    titles: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sort": "title", "order": "desc", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await client.get("/api/v1/tasks", params=params, headers=team.viewer.headers)
        titles += [t["title"] for t in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert titles == ["t4", "t3", "t2", "t1", "t0"]
    by_date = await client.get(
        "/api/v1/tasks",
        params={"sort": "created_at", "limit": 3, "created_before": "2999-01-01T00:00:00Z"},
        headers=team.viewer.headers,
    )
    second = await client.get(
        "/api/v1/tasks",
        params={
            "sort": "created_at",
            "limit": 3,
            "cursor": by_date.json()["next_cursor"],
            "created_before": "2999-01-01T00:00:00Z",
        },
        headers=team.viewer.headers,
    )
    ids = [t["id"] for t in by_date.json()["items"] + second.json()["items"]]
    assert ids == [t["id"] for t in made]
    assert (await client.get("/api/v1/tasks", headers=team.admin.headers)).json()["total"] == 6


async def test_tasks_of_other_projects_are_404_without_naming_the_project(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    task = await api.new_task(team.developer, team.project_id, "private")
    for method, suffix, body in [
        ("GET", "", None),
        ("PATCH", "", {"title": "pwned"}),
        ("DELETE", "", None),
        ("POST", "/status", {"status": "cancelled"}),
    ]:
        response = await client.request(
            method, f"/api/v1/tasks/{task['id']}{suffix}", json=body, headers=team.outsider.headers
        )
        detail = api.problem(response, 404)["detail"]
        assert detail == f"Task {task['id']} was not found."
        assert str(team.project_id) not in detail.replace(str(task["id"]), "")


async def test_updating_and_deleting_tasks(client: httpx.AsyncClient, team: Any, api: Any) -> None:
    a = await api.new_task(team.developer, team.project_id, "a")
    b = await api.new_task(team.developer, team.project_id, "b", [a["id"]])
    changed = await client.patch(
        f"/api/v1/tasks/{b['id']}",
        json={"title": "b2", "description": "new words", "model": "m-1", "depends_on": []},
        headers=team.developer.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["model"], changed.json()["depends_on"]) == (
        "b2",
        "m-1",
        [],
    )
    await client.patch(
        f"/api/v1/tasks/{b['id']}", json={"depends_on": [a["id"]]}, headers=team.developer.headers
    )
    blocked = await client.delete(f"/api/v1/tasks/{a['id']}", headers=team.developer.headers)
    assert api.problem(blocked, 409)["dependents"] == [b["id"]]
    await client.post(
        f"/api/v1/tasks/{b['id']}/status",
        json={"status": "queued"},
        headers=team.developer.headers,
    )
    frozen = await client.patch(
        f"/api/v1/tasks/{b['id']}", json={"depends_on": []}, headers=team.developer.headers
    )
    assert "only while it is pending" in api.problem(frozen, 409)["detail"]
    active = await client.delete(f"/api/v1/tasks/{b['id']}", headers=team.developer.headers)
    assert "cancel it" in api.problem(active, 409)["detail"]
    await client.post(
        f"/api/v1/tasks/{b['id']}/status",
        json={"status": "cancelled"},
        headers=team.developer.headers,
    )
    assert (
        await client.delete(f"/api/v1/tasks/{b['id']}", headers=team.developer.headers)
    ).status_code == 204
    assert (
        await client.delete(f"/api/v1/tasks/{a['id']}", headers=team.developer.headers)
    ).status_code == 204
    api.problem(await client.get(f"/api/v1/tasks/{a['id']}", headers=team.developer.headers), 404)


async def test_concurrent_writers_all_succeed(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    """Several people (or a person and the agent) writing at once: no 'database is locked'."""
    import asyncio

    base = await api.new_task(team.developer, team.project_id, "base")

    async def create(n: int) -> httpx.Response:
        return await client.post(
            f"/api/v1/projects/{team.project_id}/tasks",
            json={"title": f"t{n}", "description": "d", "depends_on": [base["id"]]},
            headers=(team.developer if n % 2 else team.maintainer).headers,
        )

    # 16: below the concurrency limit, whose 503s are another test's subject.
    responses = await asyncio.gather(*(create(n) for n in range(16)))
    assert [r.status_code for r in responses] == [201] * 16, [
        r.text for r in responses if r.status_code != 201
    ][:2]
    listed = await client.get(
        "/api/v1/tasks", params={"project_id": team.project_id}, headers=team.developer.headers
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 17
