"""The one catalogue of Prometheus metrics. Every metric of the platform is defined here.

Each metric is documented in ``docs/operations/metrics.md``. Labels only take values from
small closed sets (the enums below, route templates, status classes) or pass through
:func:`bounded` so that a misbehaving caller cannot create unbounded series. Call the typed
``record_*`` helpers instead of ``.labels(...)`` where a label set is easy to get wrong.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.openmetrics import exposition as openmetrics
from prometheus_client.registry import Collector

NAMESPACE = "claude_tui"

# The *_created series double the exposition size and no dashboard or alert uses them.
disable_created_metrics()  # type: ignore[no-untyped-call]

#: HTTP and AI latency buckets. 0.2 s is a boundary because the latency SLO is "under 200 ms".
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
AI_LATENCY_BUCKETS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)
TASK_DURATION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)

OTHER = "other"
UNKNOWN = "unknown"
_MAX_LABEL_LENGTH = 64
_LABEL_SAFE = re.compile(r"[^A-Za-z0-9._:/-]")


# --- closed label sets --------------------------------------------------------------------


class AIOutcome(StrEnum):
    """How an AI provider request ended."""

    SUCCESS = "success"
    ERROR = "error"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"


class ProviderErrorKind(StrEnum):
    """Why an AI provider request failed (the ``kind`` label of provider errors)."""

    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    AUTHENTICATION = "authentication"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    CONNECTION = "connection"
    OVERLOADED = "overloaded"
    OTHER = "other"


class TokenDirection(StrEnum):
    INPUT = "input"
    OUTPUT = "output"


class TaskOutcome(StrEnum):
    """The terminal state of a task."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    REJECTED = "rejected"


class ValidationOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class Severity(StrEnum):
    """Severity of a validation or audit finding."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class FindingSource(StrEnum):
    VALIDATION = "validation"
    AUDIT = "audit"


class AuditOutcome(StrEnum):
    CLEAN = "clean"
    FINDINGS = "findings"
    ERROR = "error"


class AuthFailureReason(StrEnum):
    """Why an authentication attempt was refused."""

    # Values are label names, not secrets.

    BAD_CREDENTIALS = "bad_credentials"
    UNKNOWN_USER = "unknown_user"
    MISSING_CREDENTIALS = "missing_credentials"
    INVALID_TOKEN = "invalid_token"  # noqa: S105
    EXPIRED_TOKEN = "expired_token"  # noqa: S105
    REVOKED_TOKEN = "revoked_token"  # noqa: S105
    INVALID_API_KEY = "invalid_api_key"
    DISABLED_ACCOUNT = "disabled_account"
    LOCKED_OUT = "locked_out"


class AuthMethod(StrEnum):
    PASSWORD = "password"  # noqa: S105 - a label value
    ACCESS_TOKEN = "access_token"  # noqa: S105
    REFRESH_TOKEN = "refresh_token"  # noqa: S105
    API_KEY = "api_key"


class EventTransport(StrEnum):
    WEBSOCKET = "websocket"
    SSE = "sse"


# --- bounded free-form labels ---------------------------------------------------------------


class LabelBudget:
    """Admits at most ``limit`` distinct values for one label; later new values become "other".

    Provider and model names come from configuration, not from a closed set; the budget keeps
    a misconfiguration (a model name with a date in it per request, say) from exploding the
    number of series.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def admit(self, value: str | None) -> str:
        """The label value to use for ``value``."""
        if not value:
            return UNKNOWN
        cleaned = _LABEL_SAFE.sub("_", value.strip())[:_MAX_LABEL_LENGTH] or UNKNOWN
        with self._lock:
            if cleaned in self._seen:
                return cleaned
            if len(self._seen) >= self._limit:
                return OTHER
            self._seen.add(cleaned)
            return cleaned

    def reset(self) -> None:
        """Forget the admitted values (used when a process reloads its configuration)."""
        with self._lock:
            self._seen.clear()


PROVIDER_LABELS = LabelBudget(limit=8)
MODEL_LABELS = LabelBudget(limit=32)
QUEUE_LABELS = LabelBudget(limit=8)
CHECK_LABELS = LabelBudget(limit=32)
RATE_LIMIT_SCOPE_LABELS = LabelBudget(limit=16)
ROUTE_LABELS = LabelBudget(limit=200)


def bounded(value: str | None, budget: LabelBudget) -> str:
    """``value`` cleaned and admitted by ``budget`` (see :class:`LabelBudget`)."""
    return budget.admit(value)


# --- exemplars ----------------------------------------------------------------------------


def current_trace_exemplar() -> dict[str, str] | None:
    """The trace id of the active span as an exemplar, or None outside a sampled span."""
    try:
        from opentelemetry import trace
    except ImportError:  # tracing is optional at run time
        return None
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid or not ctx.trace_flags.sampled:
        return None
    return {"trace_id": format(ctx.trace_id, "032x")}


class TracedHistogram(Histogram):
    """A histogram that attaches the active trace id as an exemplar to each observation.

    Exemplars appear in the OpenMetrics exposition (which Prometheus asks for) and link a
    latency spike on a dashboard to one trace. Multiprocess mode does not keep exemplars.
    """

    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
        if exemplar is None and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            exemplar = current_trace_exemplar()
        super().observe(amount, exemplar)


# --- HTTP (RED) ---------------------------------------------------------------------------

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests handled, by method, route template and status class.",
    ["method", "route", "status_class"],
    namespace=NAMESPACE,
)
HTTP_REQUEST_DURATION = TracedHistogram(
    "http_request_duration_seconds",
    "Time to handle an HTTP request, by method and route template.",
    ["method", "route"],
    namespace=NAMESPACE,
    buckets=LATENCY_BUCKETS,
)
HTTP_REQUESTS_IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "HTTP requests being handled right now.",
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)
HTTP_REQUESTS_SHED = Counter(
    "http_requests_shed",
    "HTTP requests refused with 503 past the concurrency limit, by reason (queue_full: no "
    "room to wait, queue_timeout: waited too long for a slot).",
    ["reason"],
    namespace=NAMESPACE,
)

# --- build and readiness ------------------------------------------------------------------

BUILD_INFO = Gauge(
    "build_info",
    "Always 1; labels carry the version, commit and Python version of the running build.",
    ["version", "commit", "python_version"],
    namespace=NAMESPACE,
    multiprocess_mode="max",
)
READINESS = Gauge(
    "component_ready",
    "1 when the component answered the last readiness check, 0 otherwise.",
    ["component"],
    namespace=NAMESPACE,
    multiprocess_mode="min",
)

# --- AI providers ---------------------------------------------------------------------------

AI_REQUESTS = Counter(
    "ai_requests",
    "Requests sent to AI providers, by provider, model and outcome.",
    ["provider", "model", "outcome"],
    namespace=NAMESPACE,
)
AI_TOKENS = Counter(
    "ai_tokens",
    "Tokens exchanged with AI providers, by provider, model, direction (input/output), outcome.",
    ["provider", "model", "direction", "outcome"],
    namespace=NAMESPACE,
)
AI_COST = Counter(
    "ai_cost_usd",
    "Estimated cost in US dollars of AI provider requests, by provider, model and outcome.",
    ["provider", "model", "outcome"],
    namespace=NAMESPACE,
)
AI_REQUEST_DURATION = TracedHistogram(
    "ai_request_duration_seconds",
    "Time from sending a request to an AI provider to its last byte, by provider and model.",
    ["provider", "model"],
    namespace=NAMESPACE,
    buckets=AI_LATENCY_BUCKETS,
)
AI_PROVIDER_ERRORS = Counter(
    "ai_provider_errors",
    "Failed AI provider requests by provider and kind (timeouts have kind=timeout).",
    ["provider", "kind"],
    namespace=NAMESPACE,
)

# --- tasks and the queue --------------------------------------------------------------------

TASKS_CREATED = Counter(
    "tasks_created",
    "Tasks created (accepted into the queue).",
    namespace=NAMESPACE,
)
TASKS_FINISHED = Counter(
    "tasks_finished",
    "Tasks that reached a terminal state, by outcome.",
    ["outcome"],
    namespace=NAMESPACE,
)
TASK_DURATION = Histogram(
    "task_duration_seconds",
    "Time from a task starting to run to its terminal state, by outcome.",
    ["outcome"],
    namespace=NAMESPACE,
    buckets=TASK_DURATION_BUCKETS,
)
QUEUE_DEPTH = Gauge(
    "queue_depth",
    "Messages waiting in a task queue (not yet picked up by a worker).",
    ["queue"],
    namespace=NAMESPACE,
    multiprocess_mode="max",
)
TASKS_RUNNING = Gauge(
    "tasks_running",
    "Tasks being executed right now by this process.",
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)
WORKER_HEARTBEAT = Gauge(
    "worker_last_heartbeat_timestamp_seconds",
    "Unix time at which this worker last finished a poll of its queue.",
    namespace=NAMESPACE,
    multiprocess_mode="max",
)

# --- validation and audit -------------------------------------------------------------------

VALIDATIONS = Counter(
    "validations",
    "Validation checks run by the anti-hallucination engine, by check and outcome.",
    ["check", "outcome"],
    namespace=NAMESPACE,
)
FINDINGS = Counter(
    "findings",
    "Findings reported, by source (validation or audit) and severity.",
    ["source", "severity"],
    namespace=NAMESPACE,
)
AUDITS = Counter(
    "audits",
    "Security audits run, by outcome.",
    ["outcome"],
    namespace=NAMESPACE,
)
AUDIT_SCANNER_DURATION = Histogram(
    "audit_scanner_duration_seconds",
    "Wall time of one audit scanner, by scanner and how it ended.",
    ["scanner", "status"],
    namespace=NAMESPACE,
    buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0),
)
AUDIT_SCANNER_LABELS = LabelBudget(limit=16)

# --- security ---------------------------------------------------------------------------

AUTH_FAILURES = Counter(
    "auth_failures",
    "Refused authentication attempts, by method and reason.",
    ["method", "reason"],
    namespace=NAMESPACE,
)
RATE_LIMIT_HITS = Counter(
    "rate_limit_hits",
    "Requests refused by a rate limit, by limit scope.",
    ["scope"],
    namespace=NAMESPACE,
)
REFRESH_TOKEN_REUSE = Counter(
    "refresh_token_reuse",
    "Refresh tokens presented again after rotation (a sign of token theft).",
    namespace=NAMESPACE,
)
REVOCATION_CACHE_MISSES = Counter(
    "revocation_cache_misses",
    "Access tokens refused by the database whose revocation Redis did not hold.",
    namespace=NAMESPACE,
)

# --- live events --------------------------------------------------------------------------

EVENTS_STREAMED = Counter(
    "events_streamed",
    "Events sent to live subscribers, by transport.",
    ["transport"],
    namespace=NAMESPACE,
)
EVENT_SUBSCRIBERS = Gauge(
    "event_subscribers",
    "Live event subscribers connected right now, by transport.",
    ["transport"],
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)


# --- helpers ------------------------------------------------------------------------------


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def set_build_info(version: str, commit: str) -> None:
    BUILD_INFO.labels(version=version, commit=commit, python_version=platform.python_version()).set(
        1
    )


def record_ai_request(
    *,
    provider: str,
    model: str,
    outcome: AIOutcome,
    duration_seconds: float,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cost_usd: float = 0.0,
    error_kind: ProviderErrorKind | None = None,
) -> None:
    """Count one AI provider request: outcome, latency, tokens, cost and the error if any."""
    provider_label = bounded(provider, PROVIDER_LABELS)
    model_label = bounded(model, MODEL_LABELS)
    AI_REQUESTS.labels(provider_label, model_label, outcome.value).inc()
    AI_REQUEST_DURATION.labels(provider_label, model_label).observe(max(duration_seconds, 0.0))
    if input_tokens > 0:
        AI_TOKENS.labels(provider_label, model_label, TokenDirection.INPUT, outcome.value).inc(
            input_tokens
        )
    if output_tokens > 0:
        AI_TOKENS.labels(provider_label, model_label, TokenDirection.OUTPUT, outcome.value).inc(
            output_tokens
        )
    if cost_usd > 0:
        AI_COST.labels(provider_label, model_label, outcome.value).inc(cost_usd)
    if outcome is not AIOutcome.SUCCESS:
        kind = error_kind or (
            ProviderErrorKind.TIMEOUT if outcome is AIOutcome.TIMEOUT else ProviderErrorKind.OTHER
        )
        if outcome is not AIOutcome.CANCELLED:
            AI_PROVIDER_ERRORS.labels(provider_label, kind.value).inc()


def record_task_created() -> None:
    """Count a task accepted into the queue."""
    TASKS_CREATED.inc()


def record_task_finished(outcome: TaskOutcome, duration_seconds: float | None = None) -> None:
    """Count a task that reached ``outcome``; ``duration_seconds`` when it ran at all."""
    TASKS_FINISHED.labels(outcome.value).inc()
    if duration_seconds is not None:
        TASK_DURATION.labels(outcome.value).observe(max(duration_seconds, 0.0))


def set_queue_depth(queue: str, depth: int) -> None:
    """Publish how many messages wait in ``queue``."""
    QUEUE_DEPTH.labels(bounded(queue, QUEUE_LABELS)).set(max(depth, 0))


def record_worker_heartbeat() -> None:
    """Mark that this worker just finished a poll of its queue (feeds the stall alert)."""
    WORKER_HEARTBEAT.set_to_current_time()


def record_validation(check: str, outcome: ValidationOutcome) -> None:
    """Count one validation check (``check`` is the engine's check name, e.g. "syntax")."""
    VALIDATIONS.labels(bounded(check, CHECK_LABELS), outcome.value).inc()


def record_findings(source: FindingSource, severities: Iterable[Severity]) -> None:
    """Count the findings of one validation or audit run by severity."""
    for severity in severities:
        FINDINGS.labels(source.value, severity.value).inc()


def record_audit(outcome: AuditOutcome) -> None:
    """Count one finished security audit."""
    AUDITS.labels(outcome.value).inc()


def record_audit_scanner(scanner: str, status: str, seconds: float) -> None:
    """Time one scanner of an audit (``status``: completed, not run, not checked, failed...)."""
    AUDIT_SCANNER_DURATION.labels(
        bounded(scanner, AUDIT_SCANNER_LABELS), bounded(status, AUDIT_SCANNER_LABELS)
    ).observe(seconds)


def record_auth_failure(method: AuthMethod, reason: AuthFailureReason) -> None:
    """Count a refused authentication attempt."""
    AUTH_FAILURES.labels(method.value, reason.value).inc()


def record_rate_limit_hit(scope: str) -> None:
    """Count a request refused by the rate limit named ``scope`` (e.g. "login", "api")."""
    RATE_LIMIT_HITS.labels(bounded(scope, RATE_LIMIT_SCOPE_LABELS)).inc()


def record_refresh_token_reuse() -> None:
    """Count a refresh token presented again after it was rotated."""
    REFRESH_TOKEN_REUSE.inc()


def record_revocation_cache_miss() -> None:
    """Count a revocation the database knew and the Redis cache did not (then written back)."""
    REVOCATION_CACHE_MISSES.inc()


def record_event_streamed(transport: EventTransport, count: int = 1) -> None:
    """Count events sent to live subscribers."""
    EVENTS_STREAMED.labels(transport.value).inc(count)


@contextmanager
def event_subscriber(transport: EventTransport) -> Iterator[None]:
    """Count a live subscriber for as long as the block runs, however it ends."""
    gauge = EVENT_SUBSCRIBERS.labels(transport.value)
    gauge.inc()
    try:
        yield
    finally:
        gauge.dec()


@contextmanager
def task_running() -> Iterator[None]:
    """Count a task as running for as long as the block runs (success, failure or cancel)."""
    TASKS_RUNNING.inc()
    try:
        yield
    finally:
        TASKS_RUNNING.dec()


# --- collectors read at scrape time -------------------------------------------------------


class PoolStatusCollector(Collector):
    """Connections in use and pool size of database pools, read when Prometheus scrapes.

    Reading at scrape time costs nothing per query and is always current. Sources are
    callables returning ``(in_use, size)`` so this module imports no database library.
    """

    def __init__(self) -> None:
        self._sources: dict[str, Callable[[], tuple[int, int]]] = {}
        self._lock = threading.Lock()

    def watch(self, name: str, source: Callable[[], tuple[int, int]]) -> None:
        """Publish the pool called ``name``; a second call with the same name replaces it."""
        with self._lock:
            self._sources[name] = source

    def forget(self, name: str) -> None:
        """Stop publishing the pool called ``name`` (when its engine is disposed)."""
        with self._lock:
            self._sources.pop(name, None)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        in_use = GaugeMetricFamily(
            f"{NAMESPACE}_db_pool_connections_in_use",
            "Database connections checked out of the pool right now.",
            labels=["pool"],
        )
        size = GaugeMetricFamily(
            f"{NAMESPACE}_db_pool_size",
            "Connections the database pool keeps open (without overflow).",
            labels=["pool"],
        )
        with self._lock:
            sources = list(self._sources.items())
        for name, source in sources:
            try:
                used, total = source()
            except Exception:  # noqa: BLE001, S112 - a disposed pool must not break the scrape
                continue
            in_use.add_metric([name], float(used))
            size.add_metric([name], float(total))
        yield in_use
        yield size


class DiskSpaceCollector(Collector):
    """Free and total bytes of the file system holding the data directory."""

    def __init__(self) -> None:
        self._path: Path | None = None

    def watch(self, path: Path) -> None:
        """Publish the file system that holds ``path``."""
        self._path = path

    def collect(self) -> Iterator[GaugeMetricFamily]:
        free = GaugeMetricFamily(
            f"{NAMESPACE}_data_dir_free_bytes",
            "Bytes available to the service on the file system of its data directory.",
        )
        total = GaugeMetricFamily(
            f"{NAMESPACE}_data_dir_size_bytes",
            "Size in bytes of the file system of the data directory.",
        )
        path = self._path
        if path is not None:
            try:
                usage = shutil.disk_usage(_existing_parent(path))
            except OSError:
                usage = None
            if usage is not None:
                free.add_metric([], float(usage.free))
                total.add_metric([], float(usage.total))
        yield free
        yield total


def _existing_parent(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


DB_POOL = PoolStatusCollector()
DATA_DIR_DISK = DiskSpaceCollector()
REGISTRY.register(DB_POOL)
REGISTRY.register(DATA_DIR_DISK)


def watch_db_pool(name: str, engine: Any) -> None:
    """Publish the pool of a SQLAlchemy engine (sync or async) as ``pool=name``."""
    sync_engine = getattr(engine, "sync_engine", engine)
    pool = sync_engine.pool

    def status() -> tuple[int, int]:
        checked_out = getattr(pool, "checkedout", None)
        pool_size = getattr(pool, "size", None)
        used = int(checked_out()) if callable(checked_out) else 0
        size = int(pool_size()) if callable(pool_size) else 0
        return used, size

    DB_POOL.watch(name, status)


# --- exposition ---------------------------------------------------------------------------


def wants_openmetrics(accept: str | None) -> bool:
    """Whether a scraper's Accept header asks for OpenMetrics (which carries exemplars)."""
    return bool(accept) and "application/openmetrics-text" in (accept or "")


def exposition_registry() -> CollectorRegistry:
    """The registry to expose: this process's, or every worker process's in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    prom_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(DB_POOL)
    registry.register(DATA_DIR_DISK)
    return registry


#: A probe: whether the process is fine, and one line saying why (the probe's answer body).
ProbeCheck = Callable[[], tuple[bool, str]]


def start_metrics_server(
    port: int, addr: str = "127.0.0.1", probes: Mapping[str, ProbeCheck] | None = None
) -> tuple[Any, threading.Thread]:
    """Serve ``/metrics`` on its own port from a background thread (for worker processes).

    Each path of ``probes`` answers 200 when its check passes and 503 otherwise, for the
    orchestrator's liveness and readiness probes. Returns the server and its thread;
    ``server.shutdown()`` stops it. In a container bind ``addr="0.0.0.0"`` so that Prometheus
    and the kubelet can reach it.
    """
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from prometheus_client import make_wsgi_app

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            # Probes every few seconds would flood stderr; requests are not worth logging here.
            return

    exposition = make_wsgi_app(exposition_registry())
    checks = dict(probes or {})

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        check = checks.get(environ.get("PATH_INFO", ""))
        if check is None:
            answer: Iterable[bytes] = exposition(environ, start_response)
            return answer
        ok, detail = check()
        body = f"{detail}\n".encode()
        start_response(
            "200 OK" if ok else "503 Service Unavailable",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

    server = make_server(addr, port, app, server_class=Server, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="metrics-server", daemon=True)
    thread.start()
    return server, thread


def render_latest(accept: str | None = None) -> tuple[bytes, str]:
    """The exposition of this process, or of all worker processes in multiprocess mode.

    OpenMetrics (with exemplars) when the Accept header asks for it, else the text format.
    """
    registry = exposition_registry()
    if wants_openmetrics(accept):
        payload: bytes = openmetrics.generate_latest(registry)  # type: ignore[no-untyped-call]
        return payload, openmetrics.CONTENT_TYPE_LATEST
    return generate_latest(registry), CONTENT_TYPE_LATEST
