"""Numeric helpers with an optional compiled fast path."""
from __future__ import annotations

from array import array
from collections.abc import Sequence

try:
    from ._speedups import moving_average as _fast_moving_average
except ImportError:  # not compiled (e.g. an editable install without a C compiler)
    _fast_moving_average = None


def _py_moving_average(values: Sequence[float], window: int) -> list[float]:
    out: list[float] = []
    acc = 0.0
    for i, v in enumerate(values):
        acc += v
        if i >= window:
            acc -= values[i - window]
        if i >= window - 1:
            out.append(acc / window)
    return out


def moving_average(values: Sequence[float], window: int) -> list[float]:
    if window < 1:
        raise ValueError("window must be at least 1")
    if _fast_moving_average is not None:
        return _fast_moving_average(array("d", values), window)
    return _py_moving_average(values, window)
