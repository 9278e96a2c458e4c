"""The authorization matrix: every route of the app x every role -> the expected status.

The routes come from the app's own route table, so a new route without an entry in
``expectations.EXPECTATIONS`` fails here. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from claude_tui.api import create_app
from claude_tui.settings import Settings
from integration.authz.expectations import EXPECTATIONS, PATH_PARAMS, Expect
from integration.authz.world import ROLES, Scenario, build_world

PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def route_table(app: FastAPI) -> set[tuple[str, str]]:
    """(METHOD, path template) of every route the app serves, HEAD aside."""
    table: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            continue  # static assets: files, not endpoints
        path = route.path
        assert path is not None
        methods = route.methods
        if not methods:
            table.add(("WEBSOCKET", path))
            continue
        table.update((method, path) for method in methods if method != "HEAD")
    return table


def test_every_route_has_exactly_one_expectation(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings())
    table = route_table(app)
    missing = sorted(table - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - table)
    assert not missing, f"routes without an entry in expectations.py: {missing}"
    assert not stale, f"entries in expectations.py for routes that do not exist: {stale}"


async def _value(spec: Any, scenario: Scenario) -> Any:
    if callable(spec):
        result = spec(scenario)
        return await result if inspect.isawaitable(result) else result
    return spec


async def _request(
    client: httpx.AsyncClient, method: str, path: str, expect: Expect, scenario: Scenario
) -> httpx.Response:
    headers = await scenario.headers()
    params = {**PATH_PARAMS, **expect.params}
    names = PARAM.findall(path)
    unknown = [name for name in names if name not in params]
    assert not unknown, f"no factory for path parameters {unknown} of {method} {path}"
    values = {name: str(await params[name](scenario)) for name in names}
    url = PARAM.sub(lambda match: values[match.group(1)], path)
    kwargs: dict[str, Any] = {"headers": headers}
    if expect.json is not None:
        kwargs["json"] = await _value(expect.json, scenario)
    if expect.form is not None:
        kwargs["data"] = await _value(expect.form, scenario)
    if expect.query is not None:
        kwargs["params"] = await _value(expect.query, scenario)
    return await client.request(method, url, **kwargs)


@pytest.mark.slow
async def test_authorization_matrix(app: FastAPI, client: httpx.AsyncClient) -> None:
    world = await build_world(app)
    mismatches: list[str] = []
    checked = 0
    for method, path in sorted(route_table(app)):
        expect = EXPECTATIONS.get((method, path))
        if expect is None or expect.websocket:
            continue  # a missing entry fails the test above
        for role in ROLES:
            scenario = Scenario(world, world.callers[role])
            response = await _request(client, method, path, expect, scenario)
            checked += 1
            wanted = expect.status(role)
            if response.status_code != wanted:
                mismatches.append(
                    f"{method} {path} as {role}: {response.status_code}, expected {wanted}"
                    f" ({response.text[:160]})"
                )
            elif response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json")
    assert checked >= 6 * 15
    assert not mismatches, "\n".join(mismatches)
