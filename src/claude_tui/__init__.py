"""Claude TUI: an AI development platform where AI work is checked before it counts."""

from __future__ import annotations

import functools

__all__ = ["__version__"]


@functools.cache
def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("claude-tui")
    except metadata.PackageNotFoundError:  # running from a source tree never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    # Read on first use: importlib.metadata costs every command, even --help, ~40 ms.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
