"""The metrics catalogue: helpers count what they say, labels stay bounded, exemplars appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, text

from claude_tui.observability import metrics


def sample(name: str, **labels: str) -> float:
    value = REGISTRY.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_ai_request_counts_tokens_cost_latency_and_errors() -> None:
    before = sample(
        "claude_tui_ai_tokens_total",
        provider="anthropic",
        model="claude-test",
        direction="input",
        outcome="success",
    )
    metrics.record_ai_request(
        provider="anthropic",
        model="claude-test",
        outcome=metrics.AIOutcome.SUCCESS,
        duration_seconds=1.5,
        input_tokens=120,
        output_tokens=30,
        cost_usd=0.25,
    )
    after = sample(
        "claude_tui_ai_tokens_total",
        provider="anthropic",
        model="claude-test",
        direction="input",
        outcome="success",
    )
    assert after - before == 120
    assert (
        sample(
            "claude_tui_ai_cost_usd_total",
            provider="anthropic",
            model="claude-test",
            outcome="success",
        )
        >= 0.25
    )
    assert (
        sample(
            "claude_tui_ai_request_duration_seconds_bucket",
            provider="anthropic",
            model="claude-test",
            le="2.0",
        )
        >= 1
    )

    errors_before = sample(
        "claude_tui_ai_provider_errors_total", provider="anthropic", kind="timeout"
    )
    metrics.record_ai_request(
        provider="anthropic",
        model="claude-test",
        outcome=metrics.AIOutcome.TIMEOUT,
        duration_seconds=30,
    )
    assert (
        sample("claude_tui_ai_provider_errors_total", provider="anthropic", kind="timeout")
        == errors_before + 1
    )


def test_cancelled_ai_request_is_not_a_provider_error() -> None:
    before = sample("claude_tui_ai_provider_errors_total", provider="openai", kind="other")
    metrics.record_ai_request(
        provider="openai", model="m", outcome=metrics.AIOutcome.CANCELLED, duration_seconds=0.1
    )
    assert sample("claude_tui_ai_provider_errors_total", provider="openai", kind="other") == before


def test_label_budget_turns_new_values_into_other_once_full() -> None:
    budget = metrics.LabelBudget(limit=2)
    assert budget.admit("a") == "a"
    assert budget.admit("b c") == "b_c"
    assert budget.admit("third") == metrics.OTHER
    assert budget.admit("a") == "a"
    assert budget.admit("") == metrics.UNKNOWN
    assert budget.admit("x" * 500) == metrics.OTHER
    budget.reset()
    assert budget.admit("third") == "third"
    assert budget.admit("y" * 500) == "y" * 64


def test_task_validation_security_and_event_helpers() -> None:
    metrics.record_task_created()
    finished = sample("claude_tui_tasks_finished_total", outcome="failed")
    metrics.record_task_finished(metrics.TaskOutcome.FAILED, 42.0)
    assert sample("claude_tui_tasks_finished_total", outcome="failed") == finished + 1
    assert sample("claude_tui_task_duration_seconds_count", outcome="failed") >= 1
    metrics.set_queue_depth("default", 7)
    assert sample("claude_tui_queue_depth", queue="default") == 7
    metrics.set_queue_depth("default", -3)
    assert sample("claude_tui_queue_depth", queue="default") == 0

    metrics.record_validation("syntax", metrics.ValidationOutcome.FAILED)
    assert sample("claude_tui_validations_total", check="syntax", outcome="failed") >= 1
    high = sample("claude_tui_findings_total", source="audit", severity="high")
    metrics.record_findings(
        metrics.FindingSource.AUDIT, [metrics.Severity.HIGH, metrics.Severity.HIGH]
    )
    assert sample("claude_tui_findings_total", source="audit", severity="high") == high + 2
    metrics.record_audit(metrics.AuditOutcome.FINDINGS)
    assert sample("claude_tui_audits_total", outcome="findings") >= 1

    metrics.record_auth_failure(
        metrics.AuthMethod.PASSWORD, metrics.AuthFailureReason.BAD_CREDENTIALS
    )
    assert (
        sample("claude_tui_auth_failures_total", method="password", reason="bad_credentials") >= 1
    )
    metrics.record_rate_limit_hit("login")
    assert sample("claude_tui_rate_limit_hits_total", scope="login") >= 1
    reuse = sample("claude_tui_refresh_token_reuse_total")
    metrics.record_refresh_token_reuse()
    assert sample("claude_tui_refresh_token_reuse_total") == reuse + 1
    metrics.record_event_streamed(metrics.EventTransport.WEBSOCKET, 3)
    assert sample("claude_tui_events_streamed_total", transport="websocket") >= 3


def test_db_pool_collector_reads_a_real_pool(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'pool.db'}", pool_size=3, max_overflow=0)
    metrics.watch_db_pool("unit-test", engine)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
            assert sample("claude_tui_db_pool_connections_in_use", pool="unit-test") == 1
        assert sample("claude_tui_db_pool_connections_in_use", pool="unit-test") == 0
        assert sample("claude_tui_db_pool_size", pool="unit-test") == 3
    finally:
        metrics.DB_POOL.forget("unit-test")
        engine.dispose()
    assert REGISTRY.get_sample_value("claude_tui_db_pool_size", {"pool": "unit-test"}) is None


def test_a_failing_pool_source_does_not_break_the_scrape() -> None:
    def broken() -> tuple[int, int]:
        raise RuntimeError("disposed")

    metrics.DB_POOL.watch("broken", broken)
    try:
        payload, _ = metrics.render_latest()
    finally:
        metrics.DB_POOL.forget("broken")
    assert b'pool="broken"' not in payload
    assert b"claude_tui_db_pool_connections_in_use" in payload


def test_disk_collector_reports_the_data_dir_file_system(tmp_path: Path) -> None:
    metrics.DATA_DIR_DISK.watch(tmp_path / "not-created-yet" / "deeper")
    free = REGISTRY.get_sample_value("claude_tui_data_dir_free_bytes")
    total = REGISTRY.get_sample_value("claude_tui_data_dir_size_bytes")
    assert free is not None
    assert total is not None
    assert 0 < free <= total


@pytest.mark.parametrize(
    ("accept", "openmetrics"),
    [
        (None, False),
        ("text/plain", False),
        ("application/openmetrics-text;version=1.0.0,text/plain;q=0.5", True),
    ],
)
def test_exposition_format_follows_the_accept_header(accept: str | None, openmetrics: bool) -> None:
    payload, content_type = metrics.render_latest(accept)
    assert content_type.startswith("application/openmetrics-text") is openmetrics
    assert payload.rstrip().endswith(b"# EOF") is openmetrics


def test_latency_histogram_carries_the_trace_id_as_exemplar() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request") as span:
        metrics.HTTP_REQUEST_DURATION.labels(method="GET", route="/exemplar-test").observe(0.15)
        trace_id = format(span.get_span_context().trace_id, "032x")
    payload, _ = metrics.render_latest("application/openmetrics-text")
    lines = [
        line
        for line in payload.decode().splitlines()
        if 'route="/exemplar-test"' in line and 'le="0.2"' in line
    ]
    assert lines
    assert f'trace_id="{trace_id}"' in lines[0]


def test_no_exemplar_outside_a_span() -> None:
    assert metrics.current_trace_exemplar() is None


def test_worker_heartbeat_is_the_current_time() -> None:
    import time

    metrics.record_worker_heartbeat()
    beat = REGISTRY.get_sample_value("claude_tui_worker_last_heartbeat_timestamp_seconds")
    assert beat is not None
    assert abs(beat - time.time()) < 5


def test_every_metric_of_the_catalogue_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "operations" / "metrics.md").read_text()
    names = set()
    for metric in REGISTRY.collect():
        if metric.name.startswith("claude_tui_"):
            suffix = "_total" if metric.type == "counter" else ""
            names.add(metric.name + suffix)
    assert len(names) >= 28
    missing = sorted(name for name in names if f"`{name}`" not in doc)
    assert missing == []


def test_multiprocess_exposition_keeps_the_scrape_time_collectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    metrics.DB_POOL.watch("multi", lambda: (2, 5))
    try:
        payload, _ = metrics.render_latest()
        openmetrics_payload, _ = metrics.render_latest("application/openmetrics-text")
    finally:
        metrics.DB_POOL.forget("multi")
    assert b'claude_tui_db_pool_size{pool="multi"} 5.0' in payload
    assert openmetrics_payload.rstrip().endswith(b"# EOF")
    # No exemplar is attached in multi-process mode (the files cannot hold them).
    metrics.HTTP_REQUEST_DURATION.labels(method="GET", route="/multi").observe(0.01)


def test_worker_metrics_server_serves_the_catalogue() -> None:
    import httpx

    from servers import free_port

    port = free_port()
    server, thread = metrics.start_metrics_server(port)
    try:
        metrics.record_worker_heartbeat()
        body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "claude_tui_worker_last_heartbeat_timestamp_seconds" in body
    assert "claude_tui_tasks_running" in body


def _value(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_running_and_subscriber_gauges_go_down_however_the_block_ends() -> None:
    running = _value("claude_tui_tasks_running")
    sse = {"transport": "sse"}
    subscribers = _value("claude_tui_event_subscribers", sse)
    with metrics.task_running(), metrics.event_subscriber(metrics.EventTransport.SSE):
        assert _value("claude_tui_tasks_running") == running + 1
        assert _value("claude_tui_event_subscribers", sse) == subscribers + 1
    with pytest.raises(RuntimeError), metrics.task_running():
        raise RuntimeError("the run crashed")
    with (
        pytest.raises(ConnectionResetError),
        metrics.event_subscriber(metrics.EventTransport.SSE),
    ):
        raise ConnectionResetError("the client went away")
    assert _value("claude_tui_tasks_running") == running
    assert _value("claude_tui_event_subscribers", sse) == subscribers


def test_worker_metrics_port_answers_probes_with_their_check() -> None:
    import httpx

    from servers import free_port

    state = {"ok": True}
    port = free_port()
    server, thread = metrics.start_metrics_server(
        port, probes={"/ready": lambda: (state["ok"], "why it is so")}
    )
    try:
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
        state["ok"] = False
        unready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
        exposition = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert (ready.status_code, ready.text) == (200, "why it is so\n")
    assert (unready.status_code, unready.text) == (503, "why it is so\n")
    assert "claude_tui_tasks_running" in exposition.text
