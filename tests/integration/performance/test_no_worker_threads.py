"""No API route hands a dependency or its endpoint to a worker thread.

FastAPI runs a plain ``def`` dependency or endpoint in its thread pool: a thread hand-off and
two context switches per call, on every request of the route (it was a visible share of a
task creation's and a list's CPU). The routes of the real app, walked through every
included router, must all be ``async``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(list(inner.routes))


def _runs_on_the_loop(call: Callable[..., Any]) -> bool:
    dunder = getattr(call, "__call__", None)  # noqa: B004 - security schemes are instances
    return any(
        inspect.iscoroutinefunction(c) or inspect.isasyncgenfunction(c) for c in (call, dunder)
    )


def _threaded(dependant: Dependant, route: str) -> Iterator[str]:
    for sub in dependant.dependencies:
        if sub.call is not None and not _runs_on_the_loop(sub.call):
            yield f"{route}: dependency {getattr(sub.call, '__qualname__', sub.call)}"
        yield from _threaded(sub, route)


def test_every_route_runs_on_the_event_loop(app: FastAPI) -> None:
    routes = list(_routes(list(app.routes)))
    assert len(routes) > 50, "the walk did not reach the API's routers"
    threaded = [
        f"{'/'.join(sorted(r.methods))} {r.path}: endpoint {r.endpoint.__qualname__}"
        for r in routes
        if not _runs_on_the_loop(r.endpoint)
    ]
    for route in routes:
        threaded += _threaded(route.dependant, f"{'/'.join(sorted(route.methods))} {route.path}")
    assert not threaded, "run in a worker thread:\n" + "\n".join(sorted(set(threaded)))
