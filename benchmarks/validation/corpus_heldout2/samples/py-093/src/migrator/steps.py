"""Versioned migrations of the JSON settings file.

Each step takes the document at version N and returns it at N+1. Steps are
small on purpose; anything not mentioned in a step is carried over unchanged.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def v1_to_v2(doc: Doc) -> Doc:
    # v2 split "server" into host and port; everything else is untouched.
    host, _, port = doc.pop("server", "localhost:8080").partition(":")
    doc["host"] = host
    doc["port"] = int(port or 8080)
    return doc


def v2_to_v3(doc: Doc) -> Doc:
    # v3 renamed "theme" to "ui.theme"; other ui settings (font, density, etc.)
    # did not exist before v3, so there is nothing else to move.
    doc.setdefault("ui", {})["theme"] = doc.pop("theme", "light")
    return doc


def v3_to_v4(doc: Doc) -> Doc:
    # v4 turned the plugin list into a mapping name -> {enabled: bool}.
    plugins = doc.get("plugins", [])
    if isinstance(plugins, list):
        doc["plugins"] = {name: {"enabled": True} for name in plugins}
    return doc


STEPS: dict[int, Callable[[Doc], Doc]] = {1: v1_to_v2, 2: v2_to_v3, 3: v3_to_v4}
LATEST = max(STEPS) + 1


def migrate(doc: Doc) -> Doc:
    out = copy.deepcopy(doc)
    version = int(out.get("version", 1))
    if version > LATEST:
        raise ValueError(f"settings are from a newer release (v{version} > v{LATEST})")
    while version < LATEST:
        out = STEPS[version](out)
        version += 1
        out["version"] = version
    return out
