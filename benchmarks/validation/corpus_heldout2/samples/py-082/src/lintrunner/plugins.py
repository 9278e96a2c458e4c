"""Discover checks from installed distributions via entry points."""
from __future__ import annotations

import importlib
import logging
import sys
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol

log = logging.getLogger(__name__)

GROUP = "lintrunner.checks"


class Check(Protocol):
    name: str

    def run(self, path: str, text: str) -> list[str]: ...


def _entry_points() -> list[EntryPoint]:
    if sys.version_info >= (3, 10):
        return list(entry_points(group=GROUP))
    return list(entry_points().get(GROUP, []))


def load_checks(enabled: set[str] | None = None) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for ep in _entry_points():
        if enabled is not None and ep.name not in enabled:
            continue
        cls = ep.load()
        checks[ep.name] = cls()
    if enabled:
        missing = enabled - set(checks)
        if missing:
            raise LookupError(f"no installed plugin provides: {', '.join(sorted(missing))}")
    return checks


def load_by_path(spec: str) -> Check:
    """Load 'package.module:ClassName' given on the command line."""
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"expected module:Class, got {spec!r}")
    module = importlib.import_module(module_name)
    return getattr(module, attr)()
