"""AI tasks through the API in the embedded mode: queued, run by the server, steps as events."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_tui.settings import Settings
from model_server import ModelServer, Reply, Stall, ToolUse
from task_polling import wait_for

FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}
FINAL = ("succeeded", "failed", "cancelled")


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    model_server: ModelServer,
    tmp_path: Path,
) -> Settings:
    return make_settings(
        database_url=sqlite_url,
        workspace_root=tmp_path / "workspaces",
        agent_provider="anthropic",
        agent_api_key="test-key",
        agent_model="claude-sonnet-4-6",
        agent_base_url=model_server.base_url,
        agent_max_retries=1,
    )


async def new_project(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    settings: Settings,
    calc_project: Callable[[Path], Path],
    mode: str,
) -> tuple[int, Path]:
    name = f"calc-{mode}"
    response = await client.post(
        "/api/v1/projects",
        json={"name": name, "workspace_path": name, "settings": {"permission_mode": mode}},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    root = settings.effective_workspace_root / name
    calc_project(root)
    return int(response.json()["id"]), root


@pytest.mark.sandbox
async def test_an_ai_task_runs_in_the_server_and_can_be_undone(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, root = await new_project(client, admin_headers, settings, calc_project, "auto")
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)], input_tokens=1000, output_tokens=100),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 90})]),
    )
    response = await client.post(
        f"/api/v1/projects/{project_id}/agent-tasks",
        json={"instruction": "Fix add so the tests pass"},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "queued"
    task_id = response.json()["id"]
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "succeeded", task["error"]
    assert task["verified_progress"] == 100.0
    assert task["claimed_progress"] == 90.0
    assert task["tokens_in"] == 1100
    assert float(task["cost_usd"]) > 0
    events = (
        await client.get(f"/api/v1/projects/{project_id}/events", headers=admin_headers)
    ).json()
    items = events["items"] if isinstance(events, dict) else events
    kinds = [e["kind"] for e in items if e["task_id"] == task_id]
    for kind in (
        "agent.model_message",
        "agent.tool_call",
        "agent.tool_result",
        "agent.validation",
        "agent.commit",
        "agent.finished",
    ):
        assert kind in kinds
    statuses = [e["payload"]["to"] for e in items if e["kind"] == "task.status"]
    assert statuses == ["queued", "running", "validating", "succeeded"]

    status = (await client.get("/api/v1/agent/status", headers=admin_headers)).json()
    assert status["configured"] is True
    assert status["provider"] == "anthropic"
    diff = (await client.get(f"/api/v1/tasks/{task_id}/diff", headers=admin_headers)).json()
    assert diff["branch"] == f"claude-tui/task-{task_id}"
    assert "+    return a + b" in diff["diff"]
    assert len(diff["steps"]) == 1
    undo = await client.post(f"/api/v1/tasks/{task_id}/undo", headers=admin_headers)
    assert undo.status_code == 200, undo.text
    assert (root / "calc.py").read_text() == "def add(a, b):\n    return a - b\n"
    # Its only step is gone: the engine no longer vouches for anything of it.
    undone = (await client.get(f"/api/v1/tasks/{task_id}", headers=admin_headers)).json()
    assert undone["verified_progress"] == 0.0
    again = await client.post(f"/api/v1/tasks/{task_id}/undo", headers=admin_headers)
    assert again.status_code == 409
    assert "no step to undo" in again.json()["detail"]


@pytest.mark.sandbox
async def test_ask_mode_waits_for_an_approval_through_the_api(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, _ = await new_project(client, admin_headers, settings, calc_project, "ask")
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX, id="toolu_edit")]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
    )
    task_id = (
        await client.post(
            f"/api/v1/projects/{project_id}/agent-tasks",
            json={"instruction": "Fix add"},
            headers=admin_headers,
        )
    ).json()["id"]
    url = f"/api/v1/tasks/{task_id}/approvals"
    deadline = asyncio.get_running_loop().time() + 30
    pending: list[dict[str, Any]] = []
    while not pending:
        pending = (await client.get(url, headers=admin_headers)).json()
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.1)
    assert pending[0]["tool"] == "edit_file"
    assert pending[0]["call_id"] == "toolu_edit"
    unknown = await client.post(
        url, json={"call_id": "nope", "approved": True}, headers=admin_headers
    )
    assert unknown.status_code == 404
    decided = await client.post(
        url, json={"call_id": "toolu_edit", "approved": True}, headers=admin_headers
    )
    assert decided.status_code == 204
    twice = await client.post(
        url, json={"call_id": "toolu_edit", "approved": False}, headers=admin_headers
    )
    assert twice.status_code == 409
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "succeeded", task["error"]


@pytest.mark.sandbox
async def test_after_a_cancel_a_pending_call_can_no_longer_be_decided(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, root = await new_project(client, admin_headers, settings, calc_project, "ask")
    model_server.add(Reply(tool_calls=[ToolUse("edit_file", FIX, id="toolu_edit")]))
    task_id = (
        await client.post(
            f"/api/v1/projects/{project_id}/agent-tasks",
            json={"instruction": "Fix add"},
            headers=admin_headers,
        )
    ).json()["id"]
    url = f"/api/v1/tasks/{task_id}/approvals"
    deadline = asyncio.get_running_loop().time() + 60
    while not (await client.get(url, headers=admin_headers)).json():
        assert asyncio.get_running_loop().time() < deadline, "no call waited for a decision"
        await asyncio.sleep(0.1)
    cancelled = await client.post(f"/api/v1/tasks/{task_id}/cancel", headers=admin_headers)
    assert cancelled.status_code == 200, cancelled.text
    assert (await client.get(url, headers=admin_headers)).json() == []
    late = await client.post(
        url, json={"call_id": "toolu_edit", "approved": True}, headers=admin_headers
    )
    assert late.status_code == 409, late.text
    assert late.headers["content-type"].startswith("application/problem+json")
    assert "cancelled" in late.json()["detail"]
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "cancelled"
    assert (root / "calc.py").read_text() == "def add(a, b):\n    return a - b\n"


@pytest.mark.sandbox
async def test_cancelling_a_task_stops_the_model_stream(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, _ = await new_project(client, admin_headers, settings, calc_project, "auto")
    model_server.add(Stall(max_seconds=30))
    task_id = (
        await client.post(
            f"/api/v1/projects/{project_id}/agent-tasks",
            json={"instruction": "Think hard"},
            headers=admin_headers,
        )
    ).json()["id"]
    assert await asyncio.to_thread(model_server.stall_started.wait, 30)
    cancelled = await client.post(f"/api/v1/tasks/{task_id}/cancel", headers=admin_headers)
    assert cancelled.status_code == 200, cancelled.text
    assert await asyncio.to_thread(model_server.disconnected.wait, 10), "stream kept open"
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "cancelled"


@pytest.mark.sandbox
async def test_a_dirty_workspace_is_refused_not_overwritten(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, root = await new_project(client, admin_headers, settings, calc_project, "auto")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=u", "-c", "user.email=u@u", "commit", "-q", "-m", "mine"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    (root / "calc.py").write_text("# my unsaved idea\n")
    task_id = (
        await client.post(
            f"/api/v1/projects/{project_id}/agent-tasks",
            json={"instruction": "Fix add"},
            headers=admin_headers,
        )
    ).json()["id"]
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "failed"
    assert "uncommitted changes (calc.py)" in task["error"]
    assert (root / "calc.py").read_text() == "# my unsaved idea\n"


@pytest.mark.sandbox
async def test_a_workflow_runs_its_tasks_in_dependency_order(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, _ = await new_project(client, admin_headers, settings, calc_project, "auto")
    finish = Reply(tool_calls=[ToolUse("finish", {"summary": "ok"})])
    model_server.add(Reply(tool_calls=[ToolUse("edit_file", FIX)]), finish, finish, finish)
    created = await client.post(
        f"/api/v1/projects/{project_id}/workflows",
        json={
            "name": "chain",
            "concurrency": 2,
            "tasks": [
                {"key": "fix", "title": "Fix add"},
                {"key": "check", "title": "Check it", "depends_on": ["fix"]},
                {"key": "ship", "title": "Ship it", "depends_on": ["check"]},
            ],
        },
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    workflow = created.json()
    started = await client.post(
        f"/api/v1/workflows/{workflow['id']}/schedule", headers=admin_headers
    )
    assert started.status_code == 200, started.text
    ids = [t["id"] for t in workflow["tasks"]]
    done = [
        await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
        for task_id in ids
    ]
    assert [t["status"] for t in done] == ["succeeded"] * 3, [t["error"] for t in done]
    for before, after in itertools.pairwise(done):
        assert before["finished_at"] <= after["started_at"]
    assert model_server.remaining == 0


@pytest.mark.sandbox
async def test_streamed_model_text_reaches_the_feed_in_pieces_before_the_turn_ends(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    project_id, _ = await new_project(client, admin_headers, settings, calc_project, "auto")
    said = "\n".join(f"Line {n}: the subtraction in add should be an addition." for n in range(8))
    model_server.add(
        # About 40 pieces over two seconds: several feed events, far fewer than pieces.
        Reply(text=said, tool_calls=[ToolUse("edit_file", FIX)], chunk_delay=0.05),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
    )
    response = await client.post(
        f"/api/v1/projects/{project_id}/agent-tasks",
        json={"instruction": "Fix add"},
        headers=admin_headers,
    )
    task_id = response.json()["id"]
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "succeeded", task["error"]
    page = (
        await client.get(
            f"/api/v1/projects/{project_id}/events", params={"limit": 500}, headers=admin_headers
        )
    ).json()
    items = page["items"] if isinstance(page, dict) else page
    mine = [e for e in items if e["task_id"] == task_id]
    pieces = [e for e in mine if e["kind"] == "agent.model_text"]
    pieces_count = len(range(0, len(said), 12))
    assert 1 < len(pieces) < pieces_count, [p["payload"] for p in pieces]
    assert "".join(p["payload"]["text"] for p in pieces) == said
    first_message = next(e for e in mine if e["kind"] == "agent.model_message")
    assert max(p["id"] for p in pieces) < first_message["id"], "text came after its turn ended"
