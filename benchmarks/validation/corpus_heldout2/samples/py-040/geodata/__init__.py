"""Geospatial helpers. Heavy submodules load on first attribute access."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core.points import Point, haversine_km

if TYPE_CHECKING:
    from .io.geojson import read_geojson, write_geojson
    from .core.grid import Grid

_LAZY = {
    "read_geojson": ".io.geojson",
    "write_geojson": ".io.geojson",
    "Grid": ".core.grid",
}

__all__ = ["Point", "haversine_km", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
