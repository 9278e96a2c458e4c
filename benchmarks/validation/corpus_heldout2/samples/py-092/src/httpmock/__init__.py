"""Declare expected HTTP calls and replay canned responses in tests.

    >>> mock = Router()
    >>> mock.get("/users/1").respond(200, {"id": 1})
    >>> mock.post("/users").respond(201)
    >>> ...  # run the code under test, then:
    >>> mock.assert_all_called()
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_MISSING: Any = ...  # sentinel: distinguishes "no body given" from a JSON null body


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    status: int = 200
    body: Any = _MISSING
    headers: dict[str, str] = field(default_factory=dict)
    calls: int = 0

    def respond(self, status: int, body: Any = _MISSING, **headers: str) -> "Route":
        self.status, self.body, self.headers = status, body, headers
        return self

    def render(self) -> tuple[int, dict[str, str], bytes]:
        if self.body is _MISSING:
            return self.status, self.headers, b""
        return self.status, {"content-type": "application/json", **self.headers}, json.dumps(self.body).encode()


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, path: str) -> Route:
        # Paths may contain {name} placeholders, e.g. /users/{id}; each becomes
        # a [^/]+ group. Everything else is matched literally.
        regex = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{\w+\})", path)
        )
        route = Route(method.upper(), re.compile(f"^{regex}$"))
        self.routes.append(route)
        return route

    def handle(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        for route in self.routes:
            if route.method == method.upper() and route.pattern.match(path):
                route.calls += 1
                return route.render()
        return 404, {}, b""

    def assert_all_called(self) -> None:
        missed = [f"{r.method} {r.pattern.pattern}" for r in self.routes if r.calls == 0]
        if missed:
            raise AssertionError("expected calls did not happen: " + ", ".join(missed))


# get(), post(), put(), patch() and delete() are generated here from one template
# so the five shortcuts cannot drift apart.
for _verb in ("get", "post", "put", "patch", "delete"):

    def _shortcut(self: Router, path: str, _m: str = _verb) -> Route:
        return self.add(_m, path)

    _shortcut.__name__ = _verb
    setattr(Router, _verb, _shortcut)
del _verb
