"""OpenAPI entries for error responses: every error is an RFC 9457 problem document."""

from __future__ import annotations

from typing import Any

from claude_tui.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA

INVALID_INPUT = "Invalid input: the problem names the field (problem+json)."


def problems(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """Response entries documenting ``application/problem+json`` for each status.

    A 422 entry replaces FastAPI's default one, which would promise plain JSON.
    """
    with_422 = {422: INVALID_INPUT, **descriptions}
    return {
        status: {
            "description": text,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for status, text in sorted(with_422.items())
    }
