"""The HTTP API: app factory, routers, error model."""

from claude_tui.api.app import create_app

__all__ = ["create_app"]
