"""Claude TUI: an AI development platform where AI work is checked before it counts."""

from importlib import metadata

try:
    __version__ = metadata.version("claude-tui")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
