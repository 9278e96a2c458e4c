"""Load configuration from YAML, JSON or TOML into plain dicts."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from dateutil import parser as date_parser

try:
    import orjson as _json

    def _json_loads(text: str) -> Any:
        return _json.loads(text)

except ImportError:  # orjson is an optional speed-up
    import json as _json  # type: ignore[no-redef]

    def _json_loads(text: str) -> Any:
        return _json.loads(text)


if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import TypeAlias

    ConfigDict: TypeAlias = "dict[str, Any]"


def _coerce_dates(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _coerce_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_coerce_dates(v) for v in node]
    if isinstance(node, str) and node.startswith("@date "):
        return date_parser.isoparse(node[len("@date "):])
    return node


def loads(text: str, fmt: str) -> "ConfigDict":
    if fmt in ("yaml", "yml"):
        data = yaml.safe_load(text) or {}
    elif fmt == "json":
        data = _json_loads(text)
    elif fmt == "toml":
        data = tomllib.loads(text)
    else:
        raise ValueError(f"unsupported config format: {fmt}")
    if not isinstance(data, dict):
        raise ValueError("top level of a config must be a mapping")
    return _coerce_dates(data)


def load(path: str | Path) -> "ConfigDict":
    p = Path(path)
    return loads(p.read_text(encoding="utf-8"), p.suffix.lstrip(".").lower())


def merge(base: "Mapping[str, Any]", override: "Mapping[str, Any]") -> "ConfigDict":
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
