"""Tracing: request, database, httpx and AI spans; trace ids in logs; context across the queue."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import text

from claude_tui.api.app import create_app
from claude_tui.observability import correlation, metrics, tracing
from claude_tui.observability.context import request_id_var, task_id_var
from claude_tui.observability.logging import configure_logging, get_logger
from claude_tui.settings import Settings
from claude_tui.storage import migrate

EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def provider() -> TracerProvider:
    return tracing.configure_tracing(
        "claude-tui-test", version="0", environment="development", exporter=EXPORTER
    )


def finished(provider: TracerProvider) -> list[ReadableSpan]:
    provider.force_flush()
    return list(EXPORTER.get_finished_spans())


@pytest.fixture
async def traced_app(
    provider: TracerProvider, make_settings: Callable[..., Settings], sqlite_url: str
) -> AsyncIterator[FastAPI]:
    settings = make_settings(database_url=sqlite_url)
    migrate.upgrade(settings.database_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


class _Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, int]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        self.received.append((self.path, self.headers.get("content-type", ""), length))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        body = b"pong"
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture
def local_http() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_request_and_database_spans_share_one_trace_and_reach_logs(
    traced_app: FastAPI, provider: TracerProvider, tmp_path: Path
) -> None:
    log_file = tmp_path / "app.log"
    configure_logging("INFO", "json", log_file)
    EXPORTER.clear()
    transport = httpx.ASGITransport(app=traced_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/version", headers={"x-request-id": "req-trace-1"})
        await client.get("/health")
    assert response.status_code == 200
    spans = finished(provider)
    server = [s for s in spans if s.kind is trace.SpanKind.SERVER]
    assert [s.name for s in server] == ["GET /version"], "probes must not be traced"
    trace_id = format(server[0].context.trace_id, "032x")

    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    access = [line for line in lines if line.get("request_id") == "req-trace-1"]
    assert access
    assert access[0]["trace_id"] == trace_id

    EXPORTER.clear()
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("unit-of-work") as parent:
        async with traced_app.state.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    db_spans = [s for s in finished(provider) if s.kind is trace.SpanKind.CLIENT]
    assert db_spans
    assert db_spans[0].context.trace_id == parent.get_span_context().trace_id
    assert db_spans[0].attributes is not None
    assert "SELECT" in str(db_spans[0].name)


async def test_latency_exemplar_points_at_the_request_trace(
    traced_app: FastAPI, provider: TracerProvider
) -> None:
    EXPORTER.clear()
    transport = httpx.ASGITransport(app=traced_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/version")
    trace_id = format(
        next(s for s in finished(provider) if s.name == "GET /version").context.trace_id, "032x"
    )
    payload, _ = metrics.render_latest("application/openmetrics-text; version=1.0.0")
    assert f'trace_id="{trace_id}"' in payload.decode()


def test_httpx_requests_get_client_spans(provider: TracerProvider, local_http: str) -> None:
    EXPORTER.clear()
    with httpx.Client() as client:
        assert client.get(f"{local_http}/ping").text == "pong"
    names = [s.name for s in finished(provider) if s.kind is trace.SpanKind.CLIENT]
    assert "GET" in names


def test_ai_call_span_records_usage_and_errors(provider: TracerProvider) -> None:
    EXPORTER.clear()
    with tracing.ai_call_span("anthropic", "claude-x") as call:
        call.record_usage(input_tokens=10, output_tokens=4, cost_usd=0.01)
        call.record_response_model("claude-x-2026")
    with pytest.raises(TimeoutError), tracing.ai_call_span("openai", "gpt-y"):
        raise TimeoutError("provider took too long")
    spans = {s.name: s for s in finished(provider)}
    ok, failed = spans["chat claude-x"], spans["chat gpt-y"]
    assert ok.attributes is not None
    assert ok.attributes["gen_ai.usage.input_tokens"] == 10
    assert ok.attributes["gen_ai.response.model"] == "claude-x-2026"
    assert ok.status.status_code is trace.StatusCode.UNSET
    assert failed.status.status_code is trace.StatusCode.ERROR
    assert failed.attributes is not None
    assert failed.attributes["error.type"] == "TimeoutError"


def test_ids_and_trace_cross_the_queue(provider: TracerProvider, tmp_path: Path) -> None:
    tracer = trace.get_tracer("test")
    token = request_id_var.set("req-42")
    try:
        with tracer.start_as_current_span("enqueue") as producer:
            labels = correlation.outgoing_labels(task_id="task-7")
    finally:
        request_id_var.reset(token)
    assert labels["request_id"] == "req-42"
    assert labels["task_id"] == "task-7"
    assert "traceparent" in labels

    log_file = tmp_path / "worker.log"
    configure_logging("INFO", "json", log_file)
    # The worker side: nothing of the producer's context is set here.
    assert request_id_var.get() is None
    with correlation.incoming(labels), correlation.agent_step(3):
        assert tracing.current_trace_id() == format(producer.get_span_context().trace_id, "032x")
        with tracer.start_as_current_span("run-task") as consumer:
            get_logger("worker").info("step_done")
    assert consumer.get_span_context().trace_id == producer.get_span_context().trace_id
    assert request_id_var.get() is None
    assert task_id_var.get() is None
    line = json.loads(log_file.read_text().splitlines()[-1])
    assert line["request_id"] == "req-42"
    assert line["task_id"] == "task-7"
    assert line["agent_step"] == 3
    assert line["trace_id"] == format(producer.get_span_context().trace_id, "032x")


def test_malformed_queue_labels_are_ignored() -> None:
    with correlation.incoming({"request_id": "x" * 500, "task_id": 12, "traceparent": "junk"}):
        assert request_id_var.get() is None
        assert task_id_var.get() is None
        assert tracing.current_trace_id() is None
    with correlation.task_scope("task-9"):
        assert correlation.outgoing_labels()["task_id"] == "task-9"


def test_otlp_processor_exports_protobuf_to_the_collector(local_http: str) -> None:
    _Collector.received.clear()
    private = TracerProvider()
    private.add_span_processor(tracing.otlp_span_processor(local_http))
    with private.get_tracer("test").start_as_current_span("exported"):
        pass
    assert private.force_flush(5_000)
    private.shutdown()
    assert _Collector.received
    path, content_type, length = _Collector.received[0]
    assert path == "/v1/traces"
    assert content_type == "application/x-protobuf"
    assert length > 0
    assert tracing.traces_url("http://c:4318/v1/traces/") == "http://c:4318/v1/traces"
