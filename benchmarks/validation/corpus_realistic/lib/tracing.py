"""Tracing facade: real spans when OpenTelemetry is configured, no-ops otherwise."""

from __future__ import annotations

from types import TracebackType
from typing import Any


class NullSpan:
    def set_attribute(self, key: str, value: Any) -> None:
        """Attributes are dropped: tracing is off."""

    def __enter__(self) -> NullSpan:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        return False


_NULL = NullSpan()


class NullTracer:
    def start_span(self, name: str) -> NullSpan:
        return _NULL


def get_tracer(name: str) -> Any:
    try:
        from opentelemetry import trace
    except ImportError:
        return NullTracer()
    return trace.get_tracer(name)
