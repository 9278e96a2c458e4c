"""How a refused request reads in the UI."""

from __future__ import annotations

from claude_tui.client import ApiError


def explain(exc: ApiError) -> str:
    """The server's explanation; for a server fault, with the request id to quote."""
    text = exc.detail or exc.title
    request_id = exc.body.get("request_id")
    if exc.status >= 500 and request_id:
        text = f"{text} (request id {request_id})"
    return text
