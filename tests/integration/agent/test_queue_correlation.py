"""The request that queues a task and the worker process that runs it share ids and a trace."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from claude_tui.settings import Settings
from model_server import ModelServer, Reply, ToolUse
from servers import RedisServer
from task_polling import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.sandbox]

FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}
REQUEST_ID = "req-queued-7f3a"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@dataclass
class WorkerSpan:
    name: str
    trace_id: str
    service: str


@dataclass
class Collector:
    """An OTLP/HTTP endpoint that keeps the spans it receives."""

    url: str
    spans: list[WorkerSpan] = field(default_factory=list)

    async def wait_for(self, found: Callable[[list[WorkerSpan]], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not found(list(self.spans)):
            assert time.monotonic() < deadline, f"spans never arrived: {self.spans}"
            await asyncio.sleep(0.1)


@pytest.fixture
def collector() -> Iterator[Collector]:
    received: list[WorkerSpan] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource_spans in request.resource_spans:
                service = next(
                    (
                        a.value.string_value
                        for a in resource_spans.resource.attributes
                        if a.key == "service.name"
                    ),
                    "",
                )
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        received.append(WorkerSpan(span.name, span.trace_id.hex(), service))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Collector(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()


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
    )


@pytest.fixture
def worker_log(settings: Settings, collector: Collector, tmp_path: Path) -> Iterator[Path]:
    """A ``claude-tui worker`` process; yields the file its JSON log lines go to."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "CLAUDE_TUI_DATA_DIR": str(settings.data_dir),
        "CLAUDE_TUI_DATABASE_URL": settings.database_url,
        "CLAUDE_TUI_REDIS_URL": settings.redis_url or "",
        "CLAUDE_TUI_WORKSPACE_ROOT": str(settings.effective_workspace_root),
        "CLAUDE_TUI_AGENT_PROVIDER": "anthropic",
        "CLAUDE_TUI_AGENT_API_KEY": "test-key",
        "CLAUDE_TUI_AGENT_BASE_URL": settings.agent_base_url or "",
        "CLAUDE_TUI_WORKER_METRICS_PORT": "0",
        "CLAUDE_TUI_LOG_FORMAT": "json",
        "CLAUDE_TUI_LOG_LEVEL": "INFO",
        "CLAUDE_TUI_OTLP_ENDPOINT": collector.url,
        # Export each span right away rather than every five seconds.
        "OTEL_BSP_SCHEDULE_DELAY": "100",
    }
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "worker", "--concurrency", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


async def test_the_worker_logs_and_traces_a_task_as_part_of_the_request_that_queued_it(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
    collector: Collector,
    worker_log: Path,
) -> None:
    model_server.add(
        Reply(text="Fixing add.", tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
    )
    project = await client.post(
        "/api/v1/projects",
        json={
            "name": "traced",
            "workspace_path": "traced",
            "settings": {"permission_mode": "auto"},
        },
        headers=admin_headers,
    )
    assert project.status_code == 201, project.text
    calc_project(settings.effective_workspace_root / "traced")
    created = await client.post(
        f"/api/v1/projects/{project.json()['id']}/agent-tasks",
        json={"instruction": "Fix add"},
        headers={**admin_headers, "X-Request-ID": REQUEST_ID, "traceparent": TRACEPARENT},
    )
    assert created.status_code == 201, created.text
    assert created.headers["x-request-id"] == REQUEST_ID
    task_id = int(created.json()["id"])
    task = await wait_for(
        client, admin_headers, task_id, lambda t: t["status"] in ("succeeded", "failed")
    )
    assert task["status"] == "succeeded", task

    await collector.wait_for(
        lambda spans: (
            any(s.name.startswith("process ") for s in spans)
            and sum(s.name.startswith("chat ") for s in spans) >= 2
        ),
        seconds=15,
    )
    worker_spans = [s for s in collector.spans if s.service == "claude-tui-worker"]
    execution = [s for s in worker_spans if s.name.startswith(("process ", "chat "))]
    assert execution, worker_spans
    assert {s.trace_id for s in execution} == {TRACE_ID}, execution

    lines = [
        json.loads(line)
        for line in worker_log.read_text().splitlines()
        if line.startswith("{") and line.endswith("}")
    ]
    of_task = [line for line in lines if line.get("task_id") == str(task_id)]
    assert {"task_started", "task_finished"} <= {line["event"] for line in of_task}, lines
    for line in of_task:
        assert line.get("request_id") == REQUEST_ID, line
        assert line.get("trace_id") == TRACE_ID, line
