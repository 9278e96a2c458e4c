"""Colour conversions.

2.0 renamed `hex_to_rgb` to `parse_hex` and `rgb_to_hex` to `format_hex`.
The old names still resolve (with a DeprecationWarning) through the module
__getattr__ below.
"""
from __future__ import annotations

import warnings
from typing import Any

from .convert import format_hex, hsl_to_rgb, parse_hex, rgb_to_hsl

__all__ = ["format_hex", "hsl_to_rgb", "parse_hex", "rgb_to_hsl"]

_RENAMED = {"hex_to_rgb": "parse_hex", "rgb_to_hex": "format_hex"}


def __getattr__(name: str) -> Any:
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(f"colorkit.{name} is now colorkit.{new}", DeprecationWarning, stacklevel=2)
    return globals()[new]
