"""OpenTelemetry tracing: provider set-up, FastAPI/SQLAlchemy/httpx instrumentation, AI spans.

A tracer provider is always installed so that every log line and latency exemplar carries a
trace id; spans leave the process only when an OTLP endpoint is configured. Sampling follows
the standard ``OTEL_TRACES_SAMPLER`` / ``OTEL_TRACES_SAMPLER_ARG`` variables.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import Span, Status, StatusCode

SERVICE_NAMESPACE = "claude-tui"
#: Probe and scrape endpoints: traced, they would drown every other span.
UNTRACED_URLS = "/health,/ready,/metrics"

_lock = threading.Lock()
_provider: TracerProvider | None = None
_exporting_to: set[str] = set()
_exporters = 0
_httpx_instrumented = False
_traced_engines: weakref.WeakSet[Any] = weakref.WeakSet()


def configure_tracing(
    service_name: str,
    *,
    version: str,
    environment: str,
    otlp_endpoint: str | None = None,
    exporter: SpanExporter | None = None,
) -> TracerProvider:
    """Install the process tracer provider once and add an exporter per endpoint.

    ``otlp_endpoint`` is the OTLP/HTTP base URL of a collector (``/v1/traces`` is appended
    when missing); ``exporter`` adds any other exporter (the tests use an in-memory one).
    Calling again reuses the provider, so several apps in one process share it.
    """
    global _provider, _exporters
    with _lock:
        if _provider is None:
            resource = Resource.create(
                {
                    "service.name": service_name,
                    "service.namespace": SERVICE_NAMESPACE,
                    "service.version": version,
                    "deployment.environment": environment,
                }
            )
            _provider = TracerProvider(resource=resource)
            trace.set_tracer_provider(_provider)
        provider = _provider
        if otlp_endpoint and otlp_endpoint not in _exporting_to:
            provider.add_span_processor(otlp_span_processor(otlp_endpoint))
            _exporting_to.add(otlp_endpoint)
            _exporters += 1
        if exporter is not None:
            provider.add_span_processor(BatchSpanProcessor(exporter))
            _exporters += 1
        exporting = _exporters > 0
    if exporting:  # client spans nobody receives would only cost each outgoing request
        instrument_httpx()
    return provider


def otlp_span_processor(endpoint: str) -> BatchSpanProcessor:
    """A batching processor that exports spans over OTLP/HTTP to the collector at ``endpoint``."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(endpoint), timeout=5))


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector given by its base URL or full traces URL."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else f"{endpoint}/v1/traces"


def instrument_fastapi(app: Any) -> None:
    """Give each request a server span (probes and /metrics excluded)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    if getattr(app, "_is_instrumented_by_opentelemetry", False):
        return
    FastAPIInstrumentor.instrument_app(app, excluded_urls=UNTRACED_URLS)


def instrument_engine(engine: Any) -> None:
    """Give each statement run on a SQLAlchemy engine (sync or async) a client span.

    Only when spans leave the process (an exporter is configured): statement spans nobody
    receives would cost every request about a millisecond of CPU for nothing. Request spans
    stay, since log lines carry their trace ids.
    """
    sync_engine = getattr(engine, "sync_engine", engine)
    with _lock:
        if not _exporters or sync_engine in _traced_engines:
            return
        _traced_engines.add(sync_engine)
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    usage = get_meter("claude_tui.storage").create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    EngineTracer(trace.get_tracer("claude_tui.storage"), sync_engine, usage)  # type: ignore[no-untyped-call]


def instrument_httpx() -> None:
    """Give every httpx request (the API client, provider SDKs) a client span."""
    global _httpx_instrumented
    with _lock:
        if _httpx_instrumented:
            return
        _httpx_instrumented = True
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument()


@dataclass
class AICallSpan:
    """What an AI provider call reports about itself while its span is open."""

    span: Span
    attributes: dict[str, Any] = field(default_factory=dict)

    def record_usage(self, *, input_tokens: int, output_tokens: int, cost_usd: float) -> None:
        """Attach token counts and cost to the span."""
        self.span.set_attribute("gen_ai.usage.input_tokens", input_tokens)
        self.span.set_attribute("gen_ai.usage.output_tokens", output_tokens)
        self.span.set_attribute("claude_tui.ai.cost_usd", cost_usd)

    def record_response_model(self, model: str) -> None:
        """The model that actually answered (providers may resolve an alias)."""
        self.span.set_attribute("gen_ai.response.model", model)


@contextmanager
def ai_call_span(provider: str, model: str, operation: str = "chat") -> Iterator[AICallSpan]:
    """A client span around one AI provider request, named like ``chat claude-...``.

    An exception leaving the block marks the span as an error and is re-raised.
    """
    tracer = trace.get_tracer("claude_tui.agent")
    attributes = {
        "gen_ai.system": provider,
        "gen_ai.operation.name": operation,
        "gen_ai.request.model": model,
    }
    with tracer.start_as_current_span(
        f"{operation} {model}",
        kind=trace.SpanKind.CLIENT,
        attributes=attributes,
        record_exception=True,
        set_status_on_exception=False,
    ) as span:
        try:
            yield AICallSpan(span, attributes)
        except BaseException as exc:
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            span.set_attribute("error.type", type(exc).__name__)
            raise


def current_trace_id() -> str | None:
    """The hex trace id of the active span, or None outside a span."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None
