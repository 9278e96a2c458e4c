"""Counters, gauges and histograms with pluggable exporters.

`acme` is a namespace package shared with other acme-* distributions, so it
has no __init__.py of its own.
"""
from .registry import Counter, Gauge, Histogram, Registry
from .exporters import *  # noqa: F401,F403  (re-exports what exporters.__all__ lists)

default_registry = Registry()

__all__ = ["Counter", "Gauge", "Histogram", "Registry", "default_registry", "PrometheusText", "JsonLines"]
