"""ANSI colour codes, generated on attribute access: colors.RED, colors.BRIGHT_BLUE, colors.BG_GREEN."""
from __future__ import annotations

_BASE = {"BLACK": 0, "RED": 1, "GREEN": 2, "YELLOW": 3, "BLUE": 4, "MAGENTA": 5, "CYAN": 6, "WHITE": 7}
RESET = "\x1b[0m"


def __getattr__(name: str) -> str:
    bright = name.startswith("BRIGHT_")
    background = name.startswith("BG_")
    base = name.removeprefix("BRIGHT_").removeprefix("BG_")
    if base not in _BASE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    code = _BASE[base] + (40 if background else 30) + (60 if bright else 0)
    return f"\x1b[{code}m"
