"""The API skeleton: health, readiness, version, metrics, docs, problem details, logging."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from claude_tui.api.routing import api_router
from claude_tui.settings import Settings

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["type"], str)
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_health_ready_and_version(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["components"]["database"]["ok"] is True
    version = (await client.get("/version")).json()
    assert set(version) == {"version", "git_commit", "build_date"}


async def test_metrics_count_requests_by_route_template_and_status_class(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(3):
        await client.get("/health")
    await client.get("/no/such/route/12345")
    text = (await client.get("/metrics")).text
    assert 'claude_tui_http_requests_total{method="GET",route="/health",status_class="2xx"}' in text
    assert 'route="<unmatched>",status_class="4xx"' in text
    assert "/no/such/route/12345" not in text
    assert "claude_tui_http_request_duration_seconds_bucket" in text
    assert "claude_tui_build_info{" in text
    assert "process_resident_memory_bytes" in text


async def test_docs_render_from_local_assets(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    script = await client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000
    schema = (await client.get("/openapi.json")).json()
    assert {"/health", "/ready", "/version", "/metrics"} <= set(schema["paths"])


async def test_unknown_route_and_wrong_method_are_problems(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/missing"), 404)
    assert body["detail"] == "No resource at /missing"
    assert_problem(await client.post("/health"), 405)


async def test_request_id_is_taken_or_generated(client: httpx.AsyncClient) -> None:
    taken = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert taken.headers["x-request-id"] == "abc-123"
    generated = await client.get("/health", headers={"X-Request-ID": "bad id\nwith newline"})
    assert len(generated.headers["x-request-id"]) == 32


class Echo(BaseModel):
    name: str
    count: int


@pytest.fixture
async def echo_client(
    migrated_settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with one extra JSON route, to exercise body handling end to end."""
    from claude_tui.api import create_app
    from claude_tui.observability.logging import configure_logging

    configure_logging("INFO", "json")
    app: FastAPI = create_app(migrated_settings.model_copy(update={"max_body_bytes": 2048}))
    router = api_router()

    @router.post("/echo")
    async def echo(item: Echo) -> Echo:
        return item

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom with password=hunter2")

    app.include_router(router)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as ac:
            yield ac


async def test_valid_json_body_is_accepted(echo_client: httpx.AsyncClient) -> None:
    response = await echo_client.post("/echo", json={"name": "a", "count": 1})
    assert response.status_code == 200
    assert response.json() == {"name": "a", "count": 1}


async def test_malformed_json_is_a_400_problem(echo_client: httpx.AsyncClient) -> None:
    response = await echo_client.post(
        "/echo", content=b'{"name": "a", ', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 400)
    assert body["title"] == "Malformed JSON body"


async def test_invalid_fields_are_a_422_problem_naming_them(
    echo_client: httpx.AsyncClient,
) -> None:
    body = assert_problem(await echo_client.post("/echo", json={"name": "a"}), 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors[0]["location"] == ["body", "count"]


async def test_wrong_content_type_is_a_415_problem(echo_client: httpx.AsyncClient) -> None:
    response = await echo_client.post(
        "/echo", content=b"name=a", headers={"content-type": "text/plain"}
    )
    body = assert_problem(response, 415)
    assert "text/plain" in str(body["detail"])


async def test_oversized_body_is_a_413_problem(echo_client: httpx.AsyncClient) -> None:
    big = json.dumps({"name": "x" * 5000, "count": 1})
    assert_problem(
        await echo_client.post("/echo", content=big, headers={"content-type": "application/json"}),
        413,
    )


async def test_oversized_streamed_body_without_length_is_a_413(
    echo_client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'", "count": 1}'

    response = await echo_client.post(
        "/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


async def test_unhandled_error_is_a_500_problem_without_internals(
    echo_client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    body = assert_problem(await echo_client.get("/boom"), 500)
    assert "kaboom" not in json.dumps(body)
    assert "hunter2" not in capsys.readouterr().out


async def test_access_log_has_one_line_per_request_without_secrets(
    make_settings: object, migrated_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from claude_tui.api import create_app
    from claude_tui.observability.logging import configure_logging

    configure_logging("INFO", "json")
    app = create_app(migrated_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as ac:
            capsys.readouterr()
            await ac.get(
                "/health?password=hunter2",
                headers={"Authorization": "Bearer s3cr3t-token", "X-Request-ID": "rid-1"},
            )
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "request"]
    assert len(access) == 1
    line = access[0]
    assert line["method"] == "GET"
    assert line["route"] == "/health"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == "rid-1"
    assert "hunter2" not in out
    assert "s3cr3t-token" not in out


async def test_metrics_speak_openmetrics_when_asked(client: httpx.AsyncClient) -> None:
    await client.get("/health")
    response = await client.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")
    plain = await client.get("/metrics")
    assert plain.headers["content-type"].startswith("text/plain")
