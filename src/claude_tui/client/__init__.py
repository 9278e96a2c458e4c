"""A typed async client of the Claude TUI HTTP API. The terminal UI talks only through it."""

from claude_tui.client.api import ApiClient, ApiError

__all__ = ["ApiClient", "ApiError"]
