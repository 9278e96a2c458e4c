"""The one catalogue of Prometheus metrics. Every metric of the platform is defined here."""

from __future__ import annotations

import os
import platform

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

NAMESPACE = "claude_tui"

# The *_created series double the exposition size and no dashboard or alert uses them.
disable_created_metrics()  # type: ignore[no-untyped-call]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests handled, by method, route template and status class.",
    ["method", "route", "status_class"],
    namespace=NAMESPACE,
)
HTTP_REQUEST_DURATION = Histogram(
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


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def set_build_info(version: str, commit: str) -> None:
    BUILD_INFO.labels(version=version, commit=commit, python_version=platform.python_version()).set(
        1
    )


def render_latest() -> tuple[bytes, str]:
    """The exposition text of this process, or of all worker processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
