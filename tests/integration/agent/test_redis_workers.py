"""Distributed mode: the API enqueues on Redis streams, ``claude-tui worker`` runs the tasks."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_tui.settings import Settings
from model_server import ModelServer, Reply, Stall, ToolUse
from servers import RedisServer
from task_polling import wait_for

pytestmark = [pytest.mark.redis]

FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}
FINAL = ("succeeded", "failed", "cancelled")
LEASE_SECONDS = 3


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    model_server: ModelServer,
    redis_server: RedisServer,
    tmp_path: Path,
) -> Settings:
    return make_settings(
        database_url=sqlite_url,
        redis_url=redis_server.url,
        workspace_root=tmp_path / "workspaces",
        agent_provider="anthropic",
        agent_api_key="test-key",
        agent_base_url=model_server.base_url,
        agent_lease_seconds=LEASE_SECONDS,
    )


@pytest.fixture
def start_worker(settings: Settings) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "CLAUDE_TUI_DATA_DIR": str(settings.data_dir),
        "CLAUDE_TUI_DATABASE_URL": settings.database_url,
        "CLAUDE_TUI_REDIS_URL": settings.redis_url or "",
        "CLAUDE_TUI_WORKSPACE_ROOT": str(settings.effective_workspace_root),
        "CLAUDE_TUI_AGENT_PROVIDER": "anthropic",
        "CLAUDE_TUI_AGENT_API_KEY": "test-key",
        "CLAUDE_TUI_AGENT_BASE_URL": settings.agent_base_url or "",
        "CLAUDE_TUI_AGENT_LEASE_SECONDS": str(LEASE_SECONDS),
        # Several workers run at once here: none serves metrics (test_worker_metrics does).
        "CLAUDE_TUI_WORKER_METRICS_PORT": "0",
    }

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "worker", "--concurrency", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


async def new_task(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    settings: Settings,
    calc_project: Callable[[Path], Path],
    name: str,
) -> int:
    response = await client.post(
        "/api/v1/projects",
        json={"name": name, "workspace_path": name, "settings": {"permission_mode": "auto"}},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    calc_project(settings.effective_workspace_root / name)
    created = await client.post(
        f"/api/v1/projects/{response.json()['id']}/agent-tasks",
        json={"instruction": "Fix add"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


@pytest.mark.sandbox
async def test_a_worker_runs_the_task_exactly_once(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    app: Any,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
    )
    start_worker()
    start_worker()
    task_id = await new_task(client, admin_headers, settings, calc_project, "once")
    # A duplicate delivery of the same task must not run it a second time.
    await app.state.execution._task.kiq(task_id)
    task = await wait_for(client, admin_headers, task_id, lambda t: t["status"] in FINAL)
    assert task["status"] == "succeeded", [r.tool_results() for r in model_server.requests]
    await asyncio.sleep(1.5)
    assert len(model_server.requests) == 2, "the task ran more than once"


async def test_a_worker_killed_mid_task_leaves_it_failed_not_running(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
    start_worker: Callable[[], subprocess.Popen[bytes]],
) -> None:
    model_server.add(Stall(max_seconds=60))
    victim = start_worker()
    task_id = await new_task(client, admin_headers, settings, calc_project, "killed")
    assert await asyncio.to_thread(model_server.stall_started.wait, 30), "the worker never ran it"
    running = await wait_for(client, admin_headers, task_id, lambda t: t["status"] == "running")
    assert running["status"] == "running"
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    start_worker()
    task = await wait_for(
        client, admin_headers, task_id, lambda t: t["status"] != "running", seconds=30
    )
    assert task["status"] == "failed"
    assert "worker running this task stopped" in task["error"]
