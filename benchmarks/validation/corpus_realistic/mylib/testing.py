"""Helpers for users who test code built on mylib."""

from __future__ import annotations

from collections.abc import Callable

from mylib.http import Request, Response, Transport


class MockTransport(Transport):
    """A transport that answers every request with ``handler(request)``; for tests."""

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self.handler = handler
        self.requests: list[Request] = []

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        response = self.handler(request)
        if not isinstance(response, Response):
            raise TypeError(f"handler returned {type(response).__name__}, not Response")
        return response

    def close(self) -> None:
        self.requests.clear()
